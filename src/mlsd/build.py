"""The build pipeline: plan, lay out, fill pages, print PDFs, write, record.

1. Plan: from file hashes alone, which designs changed (an unchanged tree imports nothing).
2. Lay out, fill pages, print: each changed design in a worker of its own (design_build.py),
   its files written as they arrive, pages before PDFs, so an edit shows at once.
3. The collection (home page, cheat sheet, worksheet, casebook) from the designs' cards.
4. Record: the manifest of what was made from what; files no build makes any more go.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from .config import DEFAULT_FORMATS, paper_size
from .errors import DesignError, Location, MlsdError
from .manifest import NAME as MANIFEST, DesignRecord, Entry, Manifest, Output, digest, intact
from .plan import (DEFAULT_TIMEOUT, Job, Plan, card, collection_files, collection_made_from,
                   make_plan, printed, shown)

log = logging.getLogger("mlsd")
# The casebook takes longest and waits for every handout: it starts first.
COLLECTION_ORDER = ["casebook.pdf", "cheatsheet.pdf", "worksheet.pdf", "cheatsheet.html",
                    "index.html"]


@dataclass
class Report:
    """What a build did, for the command line and tests."""

    built: list[str] = field(default_factory=list)  # slugs of the designs built now
    reused: list[str] = field(default_factory=list)  # slugs of the designs left as they were
    written: list[str] = field(default_factory=list)  # output files whose bytes changed
    removed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # with check: files that differ from disk
    errors: list[MlsdError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # `mlsd check` lines, path:line: ...
    up_to_date: bool = False


def build(designs: Path, out: Path, *, slugs: tuple[str, ...] = (),
          formats: tuple[str, ...] = DEFAULT_FORMATS, templates: Path | None = None,
          paper: str = "A4", jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
          force: bool = False, strict: bool = False, check: bool = False,
          fail_fast: bool = False) -> Report:
    """Build the designs in `designs` into `out`, redoing only what changed.

    Naming slugs builds just those designs; the collection pages are updated either way.
    With check, nothing is written: the report names the files that differ from the disk.
    """
    from .output import OutputFolder

    job = Job(designs, out, tuple(slugs), tuple(formats), templates, paper_size(paper),
              max(1, min(jobs or os.cpu_count() or 1, os.cpu_count() or 1)), timeout,
              force, strict, check, fail_fast)
    folder = OutputFolder(out, designs, dry=check)
    plan = make_plan(job)
    report = Report()
    if not plan.stale:
        _refuse_unknown(job, set(), plan.kept)
    if plan.up_to_date():
        report.up_to_date, report.reused = True, [r.slug for r in plan.kept.values()]
        _replay(job, plan.kept.values(), report)
        return report
    with folder.locked():
        records = _build_designs(plan, folder, report)
        files = _build_collection(plan, records, folder, report)
        if not check:
            _record(plan, records, files, folder, report)
    _replay(job, [records[p.name] for p in plan.files if p.name in records], report)
    return report


def _build_designs(plan: Plan, folder, report: Report) -> dict[str, DesignRecord]:
    """Build every stale design in workers, writing its files as they arrive; return the
    manifest's record of every design, by file name (a failed one keeps its last good one)."""
    from . import workers
    from .design_build import prepare, task
    from .progress import progress

    job = plan.job
    shared = prepare(job) if plan.stale else None
    if plan.stale and {"svg", "png", "pdf"} & set(job.formats):
        from .render import dot_binary

        dot_binary()  # a missing Graphviz is one error for the build, not one per design
    if plan.stale and "pdf" in job.formats:
        import weasyprint  # noqa: F401 -- loaded once here, shared by every forked worker
    records = dict(plan.kept)
    tasks = [task(path, job, plan.old.designs.get(path.name), shared) for path in plan.stale]
    claims = Claims(plan)
    with progress(len(tasks), "Built", quiet=job.check) as advance:
        # bigger modules make longer write-ups and handouts: start them first
        size = lambda i: plan.stale[i].stat().st_size  # noqa: E731
        for event in workers.run(tasks, job.jobs, job.timeout, cost=size):
            for index, kind, payload in claims.release(event):
                path = plan.stale[index]
                if kind in ("error", "failed"):
                    error = payload if isinstance(payload, MlsdError) else \
                        DesignError(str(payload), Location(str(path), 1))
                    _fail(job, report, error, records, plan, path)
                elif kind == "outputs":
                    report.written += folder.put(payload, report)
                elif kind == "record":
                    records[path.name] = payload
                    report.built.append(payload.slug)
                    advance(payload.slug)
    _refuse_unknown(job, set(claims.slugs.values()), records)
    report.reused = [r.slug for r in plan.kept.values()]
    return records


class Claims:
    """Slugs claimed in file order: a design's events wait until every design before it has
    said its slug, so two designs with one slug fail the same way in every build."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.owners = {r.slug: name for name, r in plan.kept.items()}
        self.slugs: dict[int, str | None] = {}  # index -> slug; None when it failed first
        self.held: dict[int, list] = {i: [] for i in range(len(plan.stale))}
        self.dropped: set[int] = set()  # not asked for, or a duplicate
        self.settled = 0  # designs before this index have claimed (or lost) their slug

    def release(self, event) -> list[tuple[int, str, object]]:
        """Take one worker event; return the events that may be acted on now, in order."""
        index = event.index
        if event.kind == "slug":
            self.slugs[index] = event.payload
        else:
            self.slugs.setdefault(index, None)
            self.held[index].append((index, event.kind, event.payload))
        ready = []
        while self.settled in self.slugs:
            ready += self._settle(self.settled)
            self.settled += 1
        if index < self.settled and index not in self.dropped:
            ready += self.held[index]
        self.held[index] = [] if index < self.settled else self.held[index]
        return ready

    def _settle(self, index: int) -> list:
        """Claim a design's slug; return its held events, or an error when it lost the slug."""
        slug, path = self.slugs[index], self.plan.stale[index]
        asked = self.plan.job.slugs
        if asked and (slug or path.stem.replace("_", "-")) not in asked:
            self.dropped.add(index)  # built only to learn its slug
            return []
        owner = path.name if slug is None else self.owners.setdefault(slug, path.name)
        if owner != path.name:
            self.dropped.add(index)
            return [(index, "error", DesignError(
                f"slug '{slug}' is already used by {owner}: give this design its own slug",
                Location(str(path), 1)))]
        events, self.held[index] = self.held[index], []
        return events


def _refuse_unknown(job: Job, loaded: set[str], records: dict[str, DesignRecord]) -> None:
    """Raise when a slug asked for names no design."""
    unknown = [s for s in job.slugs if s not in loaded | {r.slug for r in records.values()}]
    if unknown:
        raise MlsdError(f"no design with slug {', '.join(unknown)}: 'mlsd list' shows the "
                        f"slugs there are")


def _fail(job: Job, report: Report, error: MlsdError, records, plan: Plan, path: Path) -> None:
    """Record a design's error; it keeps its last good output, marked; fail fast if asked."""
    if job.fail_fast:
        raise error
    report.errors.append(error)
    old = plan.old.designs.get(path.name)
    if old is not None:
        records[path.name] = DesignRecord(old.slug, old.inputs, old.outputs, old.card,
                                          old.problems, error=error.message)
    else:
        records.pop(path.name, None)


def _build_collection(plan: Plan, records: dict[str, DesignRecord], folder,
                      report: Report) -> dict[str, Entry]:
    """Make the home page, cheat sheet, worksheet and casebook that changed, and write them;
    return the manifest's entries for the collection's files. PDFs are laid out in workers,
    side by side."""
    from . import workers

    job = plan.job
    shown_records = shown(plan, records)
    entries = {rel: e for rel, e in plan.old.files.items() if _format(rel) not in job.formats}
    todo = []
    for rel in sorted(collection_files(job), key=COLLECTION_ORDER.index):
        made_from = collection_made_from(plan, rel, shown_records)
        old = plan.old.files.get(rel)
        if old is not None and old.made_from == made_from and intact(job.out, rel, old):
            entries[rel] = old
        else:
            todo.append((rel, made_from))
    if any(rel.endswith(".pdf") for rel, _ in todo):
        import weasyprint  # noqa: F401 -- loaded once here, shared by every forked worker
    make = _collection_maker(plan, shown_records, folder)
    for event in workers.run([_making(make, rel) for rel, _ in todo], job.jobs, job.timeout):
        rel, made_from = todo[event.index]
        if event.kind == "data":
            report.written += folder.put([Output(rel, made_from, event.payload)], report)
            entries[rel] = Entry(made_from, digest(event.payload))
        elif event.kind in ("error", "failed"):
            raise event.payload if isinstance(event.payload, MlsdError) else \
                MlsdError(f"{job.out / rel}: {event.payload}")
    return entries


def _making(make, rel: str):
    """Return the worker task that makes one collection file."""
    def run(send) -> None:
        try:
            send("data", make(rel))
        except MlsdError as exc:
            send("error", exc)
    return run


def _collection_maker(plan: Plan, records: list[DesignRecord], folder):
    """Return a function that makes one collection file's bytes (run in a worker)."""
    from . import collection, pages

    job = plan.job
    env = pages.environment(job.templates)
    cards, chapters = [card(r) for r in records], printed(records)

    def make(rel: str) -> bytes:
        if rel == "index.html":
            return collection.home(env, cards, job.formats)
        if rel.startswith("cheatsheet."):
            html = collection.cheatsheet(env, cards, job.paper)
            return html.encode() if rel.endswith(".html") else _pdf(html)
        if rel == "worksheet.pdf":
            return _pdf(collection.worksheet(env, job.paper))
        handouts = [folder.read(f"{r.slug}/handout.pdf") for r in chapters]
        return collection.casebook(env, [card(r) for r in chapters], handouts, job.paper)
    return make


def _pdf(html: str) -> bytes:
    from .handouts import print_pdf

    return print_pdf(html)[0]


def _record(plan: Plan, records: dict[str, DesignRecord], files: dict[str, Entry], folder,
            report: Report) -> None:
    """Write the manifest and remove the files no build makes any more (only mlsd's own)."""
    manifest = Manifest(plan.key, {}, files)
    for name, record in sorted(records.items()):
        old = plan.old.designs.get(name)
        if old is not None and record is not old and not record.error:
            # a design's files of formats not built this time stay as the last build left them
            kept = {rel: e for rel, e in old.outputs.items()
                    if rel.startswith(f"{record.slug}/") and _format(rel) not in plan.job.formats}
            record.outputs = {**kept, **record.outputs}
        manifest.designs[name] = record
    report.removed = folder.remove(sorted(set(plan.old.all_files()) - set(manifest.all_files())))
    folder.put([Output(MANIFEST, "", manifest.to_bytes())], report)


def _format(rel: str) -> str:
    """Return the format an output file belongs to: its suffix (README.md is md, ...)."""
    return Path(rel).suffix.lstrip(".")


def _replay(job: Job, records, report: Report) -> None:
    """Report each design's `mlsd check` problems, kept in its record, as warnings (errors
    with strict)."""
    for record in records:
        for p in record.problems:
            if not (isinstance(p, dict) and all(isinstance(p.get(k), str)
                                                for k in ("path", "stage", "message"))
                    and isinstance(p.get("line"), int)):
                continue  # a hand-edited manifest: the design's next build says it again
            line = f"{Location(str(job.designs / p['path']), p['line'])}: {p['stage']}: " \
                   f"{p['message']}"
            if job.strict:
                report.errors.append(MlsdError(line))
            else:
                report.warnings.append(line)
