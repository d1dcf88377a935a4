"""The build pipeline: load designs, draw, lay out in parallel, fill templates, then write.

Everything is built in memory first; a design that fails is reported and leaves its previous
output untouched, and every file is written atomically.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import handouts, pages
from .check import word_count
from .drawing import Drawing, draw
from .errors import MlsdError
from .loader import load_all
from .model import CaseStudy
from .output import write_tree
from .progress import progress
from .render import DIAGRAM_FORMATS, render_dot

FORMATS = ("svg", "png", "dot", "md", "html", "json", "pdf")
DEFAULT_FORMATS = ("svg", "png", "md", "html", "json", "pdf")


@dataclass
class BuildResult:
    """The files a build produced in memory, keyed by path below the output folder."""

    files: dict[str, bytes] = field(default_factory=dict)
    errors: list[MlsdError] = field(default_factory=list)
    cases: list[CaseStudy] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def build(designs: Path, out: Path, *, slugs: tuple[str, ...] = (), formats=DEFAULT_FORMATS,
          templates: Path | None = None, jobs: int | None = None, paper: str = "A4",
          write: bool = True) -> BuildResult:
    """Build the designs into out (or only in memory when write is False).

    Naming slugs builds just those designs' folders; the collection pages (home, casebook,
    cheat sheet, worksheet) are built only in a full build.
    """
    loaded = load_all(designs, slugs)
    result = BuildResult(errors=[item.error for item in loaded if item.error])
    cases = [item.case for item in loaded if item.case]
    env = pages.environment(templates)
    files, contexts = {}, []
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool, \
            progress(len(cases), "Built") as advance:
        pending = [(case, _start(case, formats, pool)) for case in cases]
        for case, started in pending:
            try:
                design_files, context = _design_files(case, started, env)
                files.update(design_files)
                contexts.append(context)
                result.cases.append(case)
            except MlsdError as exc:
                result.errors.append(exc)
            advance(case.slug)
    if "pdf" in formats:
        paper = handouts.paper_size(paper)
        files.update(handouts.handout_pdfs(contexts, env, files, paper))
        if not slugs:
            files.update(handouts.collection_files(contexts, env, files, paper))
    if not slugs and result.cases:
        files["index.html"] = _home(result.cases, env)
    result.files = {k: v for k, v in files.items() if SUFFIX_FORMAT[Path(k).suffix] in formats}
    if write:
        result.written = write_tree(out, result.files)
    return result


SUFFIX_FORMAT = {f".{f}": f for f in FORMATS} | {".md": "md"}


def _start(case: CaseStudy, formats, pool: ThreadPoolExecutor):
    """Draw every diagram now and queue its Graphviz layout; return drawings with futures."""
    wanted = [f for f in formats if f in DIAGRAM_FORMATS]
    if "pdf" in formats and "svg" not in wanted:
        wanted.append("svg")  # handouts embed the SVG even when it is not written
    started: list[tuple[Drawing, Future | None]] = []
    try:
        for spec in case.diagrams:
            drawing = draw(spec)
            future = pool.submit(render_dot, drawing.source, wanted, title=drawing.title,
                                 description=drawing.description(), name=spec.title) if wanted else None
            started.append((drawing, future))
    except MlsdError as exc:
        return exc
    return started


def _design_files(case: CaseStudy, started, env) -> tuple[dict[str, bytes], dict]:
    """Collect one design's diagrams and filled templates, or raise its first error."""
    if isinstance(started, MlsdError):
        raise started
    files: dict[str, bytes] = {}
    refs = []
    for spec, (drawing, future) in zip(case.diagrams, started):
        rendered = future.result() if future else {}
        for fmt, data in rendered.items():
            files[f"{case.slug}/{spec.slug}.{fmt}"] = data
        refs.append(pages.DiagramRef(spec.title, spec.slug, spec.stage, drawing.description(),
                                     wide=is_wide(rendered.get("svg", b""))))
    context = pages.design_context(case, refs)
    files[f"{case.slug}/README.md"] = pages.render(env, "readme.md.j2", **context).encode()
    files[f"{case.slug}/index.html"] = pages.render(env, "design.html.j2", **context).encode()
    files[f"{case.slug}/design.json"] = pages.design_json(case, refs).encode()
    return files, context


def is_wide(svg: bytes) -> bool:
    """Return whether a diagram is too wide for a portrait page (it gets a landscape one)."""
    size = re.search(rb'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    return bool(size) and float(size.group(1)) > 1.6 * float(size.group(2))


def _home(cases: list[CaseStudy], env) -> bytes:
    items = [{"case": c, "words": word_count(c), "diagrams": len(c.diagrams),
              "category": c.framing.category if c.framing else "not framed yet"}
             for c in cases]
    return pages.render(env, "home.html.j2", cases=items).encode()
