"""Find design modules and import each with importlib; one bad module never stops the rest."""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import DesignError, Location, MlsdError, raised
from .model import CaseStudy


@dataclass
class Loaded:
    """The outcome of loading one design file: its case study, or the error that stopped it."""

    path: Path
    case: CaseStudy | None = None
    error: MlsdError | None = None

    @property
    def slug(self) -> str:
        """Return the design's slug, or the one its file name implies when it failed to load."""
        return self.case.slug if self.case else self.path.stem.replace("_", "-")


def discover(designs_dir: Path) -> list[Path]:
    """Return the design modules in a folder, sorted; files starting with _ are helpers.

    An x.py that is not a Python file (a folder, a FIFO, a link to nothing or to another kind
    of file) is skipped with a warning: reading it would fail, or block for ever.
    """
    import logging

    from .errors import display_path

    if not designs_dir.is_dir():
        raise MlsdError(f"designs folder '{designs_dir}' does not exist: "
                        f"create it or pass --designs DIR")
    found = []
    for path in sorted(p for p in designs_dir.glob("*.py") if not p.name.startswith("_")):
        if path.is_file() and path.resolve().suffix == ".py":
            found.append(path)
            continue
        what = ("a folder" if path.is_dir() else "a link to nothing" if not path.exists()
                else f"a link to {path.resolve()}" if path.is_file() else "a FIFO or a device")
        logging.getLogger("mlsd").warning("%s: skipped: it is %s, not a Python file: remove "
                                          "it or rename it", display_path(path), what)
    return found


def load_all(designs_dir: Path, slugs: tuple[str, ...] = ()) -> list[Loaded]:
    """Load every design; duplicate slugs and unknown requested slugs become errors."""
    results = [_load(path) for path in discover(designs_dir)]
    seen: dict[str, Path] = {}
    for item in results:
        if item.case is None:
            continue
        first = seen.setdefault(item.case.slug, item.path)
        if first != item.path:
            item.error = DesignError(
                f"slug '{item.case.slug}' is already used by {first.name}: "
                f"give this design its own slug", item.case.location)
            item.case = None
    return _select(results, slugs)


def _select(results: list[Loaded], slugs: tuple[str, ...]) -> list[Loaded]:
    """Keep the requested designs (all when none are named); name slugs that match nothing.

    A requested design that failed to load is kept by its file name (visual_search.py for
    visual-search), so its own error is shown rather than "no design with slug".
    """
    if not slugs:
        return results
    chosen = [r for r in results if r.slug in slugs]
    unknown = [s for s in slugs if s not in {r.slug for r in chosen}]
    if unknown:
        raise MlsdError(f"no design with slug {', '.join(unknown)}: "
                        f"'mlsd list' shows the slugs there are")
    return chosen


def _load(path: Path) -> Loaded:
    try:
        return Loaded(path, case=load_design(path))
    except MlsdError as exc:
        return Loaded(path, error=exc)


def load_design(path: Path) -> CaseStudy:
    """Import one design module and return the single CaseStudy it defines."""
    return load_with_helpers(path)[0]


def load_with_helpers(path: Path) -> tuple[CaseStudy, set[Path]]:
    """Import a design with its folder on the import path, so it can import helper modules
    beside it (`_shared.py`); return its CaseStudy and the helper files it imported.

    Helpers are forgotten after each design, so every design imports them afresh.
    """
    path = path.resolve()
    folder = str(path.parent)
    before = set(sys.modules)
    sys.path.insert(0, folder)
    try:
        return _case_of(_import(path)), _helpers(before, path)
    finally:
        sys.path.remove(folder)
        for name in [n for n in set(sys.modules) - before if _file(n, path.parent)]:
            del sys.modules[name]


def _helpers(before: set[str], path: Path) -> set[Path]:
    """Return the files of the modules imported since `before` from the design's folder."""
    return {f for name in set(sys.modules) - before if (f := _file(name, path.parent))}


def _file(name: str, folder: Path) -> Path | None:
    """Return the file of module `name` when it lies in folder, else None."""
    file = getattr(sys.modules.get(name), "__file__", None)
    if not file:
        return None
    found = Path(file).resolve()
    return found if folder in found.parents and found.suffix == ".py" else None


def _case_of(module) -> CaseStudy:
    """Return the single CaseStudy a design module defines."""
    path = Path(module.__file__)
    cases = [(name, v) for name, v in vars(module).items() if isinstance(v, CaseStudy)]
    if not cases:
        raise DesignError("defines no CaseStudy: assign one to a module-level name such as "
                          "'case = CaseStudy(...)'", Location(str(path), 1))
    if len(cases) > 1:
        names = ", ".join(name for name, _ in cases)
        raise DesignError(f"defines {len(cases)} CaseStudy objects ({names}): keep one per file",
                          cases[1][1].location)
    return cases[0][1]


def _import(path: Path):
    """Execute the module with importlib, turning any failure into a located DesignError."""
    _require_utf8(path)
    spec = importlib.util.spec_from_file_location(f"mlsd_design_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except DesignError as exc:
        raise exc
    except SyntaxError as exc:
        raise DesignError(f"syntax error: {exc.msg}: fix the file and run again",
                          Location(str(path), exc.lineno or 1)) from None
    except (Exception, SystemExit) as exc:
        raise raised(exc, str(path), Location(str(path), 1)) from None
    return module


def _require_utf8(path: Path) -> None:
    """Refuse a file that is not UTF-8, naming the line of the first bad byte."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except OSError as exc:  # removed or replaced since it was found
        raise DesignError(f"cannot read it: {exc.strerror}: check the file",
                          Location(str(path), 1)) from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DesignError(f"is not UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
                          Location(str(path), line)) from None



@dataclass
class Surveyed:
    """What a command learnt of one design loaded in a worker: its slug and `inspect`'s
    answer, or the error that stopped it."""

    path: Path
    slug: str = ""
    value: object = None
    error: MlsdError | None = None
    location: Location | None = None  # of its CaseStudy

    def __post_init__(self) -> None:
        self.slug = self.slug or self.path.stem.replace("_", "-")


def survey(designs_dir: Path, slugs: tuple[str, ...], inspect: Callable[[CaseStudy], object],
           timeout: float = 120.0) -> list[Surveyed]:
    """Load each design in a worker of its own and return what `inspect(case)` says of it.

    A design that exits, hangs or prints then costs only its own line (see workers.py);
    `inspect` runs in the worker and must return something that pickles.
    """
    import os

    import diagrams  # noqa: F401 -- imported once, before the workers fork

    from . import workers

    items = [Surveyed(path) for path in discover(designs_dir)]
    tasks = [_inspecting(item.path, inspect) for item in items]
    for event in workers.run(tasks, os.cpu_count() or 1, timeout):
        item = items[event.index]
        if event.kind == "result":
            item.slug, item.location, item.value = event.payload
        elif event.kind == "error":
            item.error = event.payload
        elif event.kind == "failed":
            item.error = DesignError(str(event.payload), Location(str(item.path), 1))
    _refuse_duplicates(items)
    return _select(items, slugs)


def _inspecting(path: Path, inspect):
    """Return the worker task that loads one design and sends what inspect says of it."""
    def run(send) -> None:
        try:
            case = load_design(path)
            send("result", (case.slug, case.location, inspect(case)))
        except MlsdError as exc:
            send("error", exc)
        except BaseException as exc:  # noqa: BLE001 -- the design's own code, exits included
            send("error", raised(exc, str(path), Location(str(path), 1)))
    return run


def _refuse_duplicates(items: list[Surveyed]) -> None:
    """Fail every design whose slug an earlier design file already has."""
    first: dict[str, Path] = {}
    for item in items:
        if item.error is None and first.setdefault(item.slug, item.path) != item.path:
            item.value = None
            item.error = DesignError(f"slug '{item.slug}' is already used by "
                                     f"{first[item.slug].name}: give this design its own slug",
                                     item.location)
