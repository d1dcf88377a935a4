"""The build pipeline: load designs, draw, lay out in parallel, fill templates, then write.

Everything is built in memory first and written atomically, design pages before PDFs so an
edit shows at once. The manifest lets a build skip what has not changed: an unchanged tree
imports no design at all, and unchanged diagrams and PDFs are taken from disk.
"""
from __future__ import annotations

import os
import re
import signal
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import handouts, pages
from .check import word_count
from .config import DEFAULT_FORMATS, paper_size
from .drawing import Drawing, draw
from .errors import MlsdError
from .loader import load_all
from .manifest import NAME as MANIFEST, Entry, Manifest, build_state, digest
from .model import CaseStudy
from .output import check_output_folder, remove_files, write_tree
from .progress import progress
from .render import DIAGRAM_FORMATS, dot_binary, render_dot, source_key


@dataclass
class BuildResult:
    """What a build produced in memory (keyed by path below the output folder) and did."""

    files: dict[str, bytes] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # path -> hash of what made it
    errors: list[MlsdError] = field(default_factory=list)
    cases: list[CaseStudy] = field(default_factory=list)
    refs: dict[str, list] = field(default_factory=dict)  # slug -> its DiagramRefs
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    up_to_date: bool = False


@dataclass
class Job:
    """Everything one build needs to know, fixed before any work starts."""

    designs: Path
    out: Path
    slugs: tuple[str, ...] = ()
    formats: tuple[str, ...] = DEFAULT_FORMATS
    templates: Path | None = None
    jobs: int | None = None
    paper: str = "A4"
    force: bool = False
    fail_fast: bool = False
    hashes: dict[str, str] = field(default_factory=dict)  # design file name -> content hash

    def failed(self, result: "BuildResult", error: MlsdError) -> None:
        """Record an error; with fail_fast, stop the build at the first one."""
        if self.fail_fast:
            raise error
        result.errors.append(error)

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


def build(designs: Path, out: Path, *, write: bool = True, skip_if_current: bool = True,
          **options) -> BuildResult:
    """Build the designs into out, or only in memory when write is False.

    Naming slugs builds just those designs' folders; the collection pages (home, casebook,
    cheat sheet, worksheet) and the removal of stale files happen only in a full build.
    """
    job = Job(designs, out, **options)
    job.paper = paper_size(job.paper)
    check_output_folder(out, designs)
    key, job.hashes = build_state(designs, job.formats, job.paper, job.templates)
    old = Manifest() if job.force else Manifest.read(out)
    if write and skip_if_current and not job.slugs and old.is_current(key, job.hashes, out):
        return BuildResult(up_to_date=True)
    cached = old if old.key == key else Manifest()
    result = _build_in_memory(job, cached, write)
    if write:
        _finish(job, result, old, key)
    return result


def _build_in_memory(job: Job, cached: Manifest, write: bool) -> BuildResult:
    """Make every output in memory; with write, design pages land before PDFs start."""
    loaded = load_all(job.designs, job.slugs)
    result = BuildResult()
    for item in loaded:
        if item.error:
            job.failed(result, item.error)
    env = pages.environment(job.templates)
    contexts = _design_outputs(job, [i.case for i in loaded if i.case], cached, env, result)
    if not job.slugs and result.cases:
        _add(result, "index.html", _home(result, env, printed="pdf" in job.formats,
                                         thumbnails="svg" in job.formats))
    early = set(result.files)
    if write:
        result.written += write_tree(job.out, _wanted(result.files, job.formats))
    if "pdf" in job.formats:
        _pdf_outputs(job, contexts, cached, env, result)
    result.files = _wanted(result.files, job.formats)
    if write:
        late = {k: v for k, v in result.files.items() if k not in early}
        result.written += write_tree(job.out, late)
    return result


def _design_outputs(job: Job, cases: list[CaseStudy], cached: Manifest, env,
                    result: BuildResult) -> list[dict]:
    """Render each design's diagrams (in parallel) and pages; return their contexts."""
    wanted = [f for f in job.formats if f in DIAGRAM_FORMATS]
    if "pdf" in job.formats and "svg" not in wanted:
        wanted.append("svg")  # handouts embed the SVG even when it is not written
    if wanted and cases:
        dot_binary()  # a missing Graphviz is one error for the build, not one per diagram
    contexts = []
    with ThreadPoolExecutor(max_workers=job.workers) as pool, \
            progress(len(cases), "Built") as advance:
        reused = {case.slug: _reuse(job, case, cached, result) for case in cases}
        started = [(case, reused[case.slug] or _start(job, case, wanted, cached, pool))
                   for case in cases]
        for case, diagrams in started:
            try:
                context = diagrams if isinstance(diagrams, dict) else _design_pages(
                    job, case, diagrams, env, cached, result)
                contexts.append(context)
                result.cases.append(case)
                result.refs[case.slug] = context["diagrams"]
            except MlsdError as exc:
                job.failed(result, exc)
            advance(case.slug)
    return contexts


def _reuse(job: Job, case: CaseStudy, cached: Manifest, result: BuildResult) -> dict | None:
    """Return the context of a design unchanged since the last build, taking its files from
    disk without drawing or filling a template; None when anything of it changed."""
    path = Path(case.location.path)
    entry = cached.designs.get(path.name, {})
    if "diagrams" not in entry or entry["hash"] != job.hashes.get(path.name):
        return None
    inputs = {rel: e.input for rel, e in cached.files.items() if rel.startswith(f"{case.slug}/")}
    files = {rel: cached.cached(job.out, rel, made_from) for rel, made_from in inputs.items()}
    if not files or None in files.values():
        return None
    for rel, data in files.items():
        _add(result, rel, data, inputs[rel])
    return pages.design_context(case, [pages.DiagramRef(**d) for d in entry["diagrams"]])


def _start(job: Job, case: CaseStudy, wanted: list[str], cached: Manifest, pool):
    """Draw each diagram now; take its files from disk when unchanged, else queue dot."""
    started: list[tuple[Drawing, str, Future | dict]] = []
    try:
        for spec in case.diagrams:
            drawing = draw(spec)
            made_from = digest(source_key(drawing.source), drawing.description(),
                               ",".join(wanted))
            hits = {f: cached.cached(job.out, f"{case.slug}/{spec.slug}.{f}", made_from)
                    for f in wanted}
            if any(v is None for v in hits.values()):
                hits = pool.submit(render_dot, drawing.source, wanted, title=drawing.title,
                                   description=drawing.description(), name=spec.title)
            started.append((drawing, made_from, hits))
    except MlsdError as exc:
        return exc
    return started


def _design_pages(job: Job, case: CaseStudy, started, env, cached: Manifest,
                  result: BuildResult) -> dict:
    """Collect one design's diagrams and fill its templates, or raise its first error.

    Pages of a design whose file and diagrams are unchanged are taken from disk.
    """
    if isinstance(started, MlsdError):
        raise started
    files, refs = {}, []
    for spec, (drawing, made_from, rendered) in zip(case.diagrams, started):
        try:
            rendered = rendered.result() if isinstance(rendered, Future) else rendered
        except MlsdError as exc:
            exc.location = exc.location or spec.location
            raise
        for fmt, data in rendered.items():
            files[f"{case.slug}/{spec.slug}.{fmt}"] = (data, made_from)
        refs.append(pages.DiagramRef(spec.title, spec.slug, spec.stage, drawing.description(),
                                     wide=is_wide(rendered.get("svg", b""))))
    context = pages.design_context(case, refs)
    made_from = digest(job.hashes.get(Path(case.location.path).name, ""),
                       *(repr(r) for r in refs))
    makers = {"README.md": lambda: pages.render(env, "readme.md.j2", **context).encode(),
              "index.html": lambda: pages.render(env, "design.html.j2", **context).encode(),
              "design.json": lambda: pages.design_json(case, refs).encode()}
    for name, make in makers.items():
        rel = f"{case.slug}/{name}"
        files[rel] = (cached.cached(job.out, rel, made_from) or make(), made_from)
    for rel, value in files.items():
        _add(result, rel, *(value if isinstance(value, tuple) else (value,)))
    return context


def _pdf_outputs(job: Job, contexts: list[dict], cached: Manifest, env, result: BuildResult):
    """Lay out the PDFs in a process pool (WeasyPrint is CPU-bound), skipping unchanged ones."""
    documents = handouts.documents(contexts, env, job.paper, collection=not job.slugs)
    todo = {}
    for doc in documents:
        needed = {k: v for k, v in result.files.items() if k.startswith(doc.folder) and
                  k.endswith(".svg")}
        made_from = digest(doc.html, *(f"{k}:{digest(v)}" for k, v in sorted(needed.items())))
        hit = cached.cached(job.out, doc.path, made_from) if doc.path.endswith(".pdf") else None
        if doc.path.endswith(".html"):
            _add(result, doc.path, doc.html.encode())
        elif hit is not None:
            _add(result, doc.path, hit, made_from)
        else:
            todo[doc.path] = (doc, needed, made_from)
    if not todo:
        return
    # Longest first, so the casebook does not start last.
    order = sorted(todo.values(), key=lambda t: -len(t[0].html))
    with ProcessPoolExecutor(max_workers=min(job.workers, len(order)),
                             initializer=_leave_interrupts_to_the_parent) as pool, \
            progress(len(order), "Printed") as advance:
        futures = [(doc, made_from, pool.submit(handouts.pdf_bytes, doc.html, needed, doc.folder))
                   for doc, needed, made_from in order]
        for doc, made_from, future in futures:
            try:
                _add(result, doc.path, future.result(), made_from)
            except MlsdError as exc:
                job.failed(result, exc)
            advance(doc.path)


def _leave_interrupts_to_the_parent() -> None:
    """Let Ctrl-C stop the build once, in the parent, instead of a traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _add(result: BuildResult, rel: str, data: bytes, made_from: str = "") -> None:
    result.files[rel] = data
    if made_from:
        result.inputs[rel] = made_from


def _wanted(files: dict[str, bytes], formats) -> dict[str, bytes]:
    """Keep the files of the asked formats (md for README.md, html for pages, ...)."""
    return {k: v for k, v in files.items() if _format(k) in formats}


def _finish(job: Job, result: BuildResult, old: Manifest, key: str):
    """Record what was built and remove what it replaces: only files mlsd itself wrote."""
    manifest = Manifest(key, dict(old.designs), {})
    for case in result.cases:
        name = Path(case.location.path).name
        manifest.designs[name] = {"hash": job.hashes.get(name, ""), "slug": case.slug,
                                  "diagrams": [vars(r) for r in result.refs[case.slug]]}
    gone = {d["slug"] for name, d in old.designs.items() if name not in job.hashes}
    manifest.designs = {n: d for n, d in manifest.designs.items() if n in job.hashes}
    built = {c.slug for c in result.cases}
    for rel, entry in old.files.items():
        folder = rel.split("/")[0] if "/" in rel else ""
        replaced = folder in gone or (folder in built and _format(rel) in job.formats)
        if rel not in result.files and not replaced:
            manifest.files[rel] = entry  # a failed design, or a format not built this time
    for rel, data in result.files.items():
        manifest.files[rel] = Entry(result.inputs.get(rel, ""), digest(data))
    result.removed = remove_files(job.out, sorted(set(old.files) - set(manifest.files)))
    write_tree(job.out, {MANIFEST: manifest.to_bytes()})


def _format(rel: str) -> str:
    return Path(rel).suffix.lstrip(".")


def is_wide(svg: bytes) -> bool:
    """Return whether a diagram would print too small across a portrait page.

    Such a diagram gets a landscape page; a portrait A4 text block is about 510 pt wide.
    """
    size = re.search(rb'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if not size:
        return False
    width, height = float(size.group(1)), float(size.group(2))
    return width > 1.4 * height and width > 720


def _home(result: BuildResult, env, printed: bool, thumbnails: bool) -> bytes:
    """Return the home page: a card per design, with its first diagram as a thumbnail."""
    items = [{"case": c, "words": word_count(c), "diagrams": len(c.diagrams),
              "category": c.framing.category if c.framing else "not framed yet",
              "thumbnail": result.refs[c.slug][0].svg if thumbnails and result.refs[c.slug]
              else ""}
             for c in result.cases]
    return pages.render(env, "home.html.j2", cases=items, printed=printed).encode()
