"""Plan a build: which designs must be built, decided from file hashes alone.

Nothing heavy is imported and no design is run here, so a build with nothing to do ends in a
fraction of a second. A design is current when every input its last build recorded (its
module, the helpers and icons it used, the templates of its pages) has the same hash, and
every output file the asked formats need is on disk as it was written.
"""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from . import __version__
from .cards import valid
from .config import DEFAULT_FORMATS, bundled
from .manifest import DesignRecord, Manifest, digest, file_digest, intact
from .render import DIAGRAM_FORMATS

DEFAULT_TIMEOUT = 120.0  # seconds per design; the shipped ones take about three
PAGES = {"md": "README.md", "html": "index.html", "json": "design.json", "pdf": "handout.pdf"}
COLLECTION = {"index.html": "html", "cheatsheet.html": "html", "cheatsheet.pdf": "pdf",
              "worksheet.pdf": "pdf", "casebook.pdf": "pdf"}
TEMPLATE = "template:"
# What each collection page shows of a card (the casebook shows it all): an edit that changes
# nothing a page shows does not make that page again.
_ROW = ("slug", "title", "row")
SHOWN = {"index.html": ("slug", "title", "summary", "category", "words", "diagrams", "error"),
         "cheatsheet.html": _ROW, "cheatsheet.pdf": _ROW, "worksheet.pdf": ()}  # inputs named so are templates, found in the template folders


@dataclass(frozen=True)
class Job:
    """A build's settings, fixed before any work starts; each worker gets a copy."""

    designs: Path
    out: Path
    slugs: tuple[str, ...] = ()
    formats: tuple[str, ...] = DEFAULT_FORMATS
    templates: Path | None = None
    paper: str = "A4"
    jobs: int = 1
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False
    strict: bool = False
    check: bool = False  # build in memory and compare with the disk; write nothing
    fail_fast: bool = False

    @property
    def template_dirs(self) -> list[Path]:
        """Return the template folders in lookup order: the user's, then the built-in one."""
        return [d for d in (self.templates, bundled("templates")) if d]

    def input_hash(self, name: str) -> str:
        """Return the current hash of an input a manifest recorded (see `input_name`)."""
        if name.startswith(TEMPLATE):
            path = template_path(name.removeprefix(TEMPLATE), tuple(self.template_dirs))
            return file_digest(path) if path else ""
        return file_digest(Path(name) if os.path.isabs(name) else self.designs / name)

    def input_name(self, path: Path) -> str:
        """Return how a manifest names an input file: below the designs folder, relatively."""
        try:
            return path.resolve().relative_to(self.designs.resolve()).as_posix()
        except ValueError:
            return str(path.resolve())


@dataclass
class Plan:
    """What a build will do: the designs to build and the records of those it keeps."""

    job: Job
    key: str
    old: Manifest  # the last build's manifest, or an empty one when it cannot be reused
    files: list[Path]  # every design module, in order
    stale: list[Path] = field(default_factory=list)  # the modules to build now
    kept: dict[str, DesignRecord] = field(default_factory=dict)  # file name -> current record

    @property
    def gone(self) -> list[str]:
        """Return the file names of designs that were built before and no longer exist."""
        names = {p.name for p in self.files}
        return sorted(n for n in self.old.designs if n not in names)

    def up_to_date(self) -> bool:
        """Return whether the build has nothing to do, the collection pages included."""
        if self.stale or self.gone:
            return False
        records = shown(self, self.kept)
        return all(intact(self.job.out, rel, self.old.files.get(rel)) is not None
                   and self.old.files[rel].made_from == collection_made_from(self, rel, records)
                   for rel in collection_files(self.job))


def make_plan(job: Job) -> Plan:
    """Return the plan of a build: which designs are current, from file hashes alone."""
    from .loader import discover

    key = build_key(job.paper)
    old = Manifest() if job.force else Manifest.read(job.out)
    if old.key != key:
        old = Manifest(files={})  # made by another mlsd, Graphviz or paper: nothing is reused
    plan = Plan(job, key, old, discover(job.designs))
    hashes = cache(job.input_hash)
    for path in plan.files:
        record = old.designs.get(path.name)
        if record is not None and job.slugs and record.slug not in job.slugs:
            plan.kept[path.name] = record  # not asked for: left as it is
        elif record is not None and _current(job, record, hashes):
            plan.kept[path.name] = record
        else:  # changed, or never built (its slug is known only once it loads)
            plan.stale.append(path)
    return plan


def _current(job: Job, record: DesignRecord, hashes) -> bool:
    """Return whether a design's inputs are unchanged and its outputs whole on disk."""
    if not valid(record.card) or not record.current(hashes):
        return False
    wanted = design_files(record.slug, record.card["diagrams"], job.formats)
    return all(intact(job.out, rel, record.outputs.get(rel)) is not None for rel in wanted)


def design_files(slug: str, diagrams: list[dict], formats) -> list[str]:
    """Return the output files of a design with these diagrams, for the asked formats."""
    rels = [f"{slug}/{d['slug']}.{f}" for d in diagrams for f in DIAGRAM_FORMATS
            if f in formats and (f != "png" or d.get("raster", True))]
    return rels + [f"{slug}/{name}" for f, name in PAGES.items() if f in formats]


def collection_files(job: Job) -> list[str]:
    """Return the collection's own files (home page, cheat sheet, ...) for the asked formats."""
    return [rel for rel, fmt in COLLECTION.items() if fmt in job.formats]


def shown(plan: Plan, records: dict[str, DesignRecord]) -> list[DesignRecord]:
    """Return the records the collection shows, in file order (records: file name -> record).

    A design whose latest build failed keeps its last good record, marked with the error.
    """
    return [records[p.name] for p in plan.files
            if p.name in records and valid(records[p.name].card) and records[p.name].outputs]


def printed(records: list[DesignRecord]) -> list[DesignRecord]:
    """Return the records that have a handout: the casebook's chapters."""
    return [r for r in records if f"{r.slug}/handout.pdf" in r.outputs]


def card(record: DesignRecord) -> dict:
    """Return the card a collection page shows for a record, marked when its build failed."""
    return {**record.card, "error": record.error}


def collection_made_from(plan: Plan, rel: str, records: list[DesignRecord]) -> str:
    """Return what a collection file is made from: the cards it shows and every template
    (the casebook also from the handouts, as written)."""
    if rel == "casebook.pdf":  # made of the designs that have a handout, as printed
        records = printed(records)
    keys = SHOWN.get(rel)
    cards = [card(r) if keys is None else {k: card(r)[k] for k in keys} for r in records]
    parts = [json.dumps(cards, sort_keys=True)]
    if rel == "casebook.pdf":
        parts += [r.outputs[f"{r.slug}/handout.pdf"].digest for r in records]
    return digest(rel, ",".join(sorted(plan.job.formats)), _templates_digest(plan.job), *parts)


def _templates_digest(job: Job) -> str:
    files = sorted({p.name: p for d in reversed(job.template_dirs) if d.is_dir()
                    for p in d.iterdir() if p.is_file()}.items())
    return digest(*(f"{name}:{file_digest(p)}" for name, p in files))


@cache
def template_path(name: str, folders: tuple[Path, ...]) -> Path | None:
    """Return the file a template name resolves to: the first folder that has it."""
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    return None


def build_key(paper: str) -> str:
    """Return the hash of what every output depends on besides its own inputs: the versions
    of mlsd (its code and icons), Graphviz and diagrams, and the paper size."""
    own = Path(__file__).resolve().parent
    files = sorted(own.glob("*.py")) + sorted(own.glob("icons/*.png"))
    return digest(__version__, graphviz_version(), metadata.version("diagrams"), paper,
                  *(f"{p.name}:{file_digest(p)}" for p in files))


def graphviz_version() -> str:
    """Return `dot -V`'s line, or '' when Graphviz is missing (the build reports that)."""
    try:
        done = subprocess.run(["dot", "-V"], capture_output=True, text=True)
    except OSError:
        return ""
    return done.stderr.strip()
