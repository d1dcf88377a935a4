"""Settings: built-in resource folders, and `[tool.mlsd]` defaults that flags override."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MlsdError

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent.parent  # src/mlsd -> repository root, in a source checkout


FORMATS = ("svg", "png", "dot", "md", "html", "json", "pdf")
DEFAULT_FORMATS = ("svg", "png", "md", "html", "json", "pdf")  # DOT only when asked
PAPERS = {"a4": "A4", "letter": "Letter"}


def paper_size(value: str) -> str:
    """Return the CSS name of a paper size, or raise naming the valid ones."""
    try:
        return PAPERS[value.strip().lower()]
    except KeyError:
        raise MlsdError(f"unknown paper size '{value}': use A4 or Letter") from None


def bundled(name: str) -> Path:
    """Return a folder shipped with mlsd: inside the wheel, or at the repository root."""
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _REPO / name


@dataclass
class Settings:
    """Where to read designs and templates, where to write, and what to build."""

    designs: Path
    output: Path
    templates: Path | None = None  # a user's folder, shadowing the built-in one file by file
    paper: str = "A4"
    formats: list[str] = field(default_factory=list)
    timeout: float = 120.0  # seconds one design may take to build


def load_settings(root: Path | None = None) -> Settings:
    """Return settings from `[tool.mlsd]` in root/pyproject.toml, else the defaults.

    The shipped designs are used only when nothing names a designs folder: a configured
    folder that does not exist is reported when it is read, never swapped for them.
    """
    root = root or Path.cwd()
    pyproject = root / "pyproject.toml"
    table, problems = _tool_table(pyproject), []

    def value(key: str, parse, default):
        """Return the parsed value of key, or default after noting why it is wrong."""
        if key not in table:
            return default
        try:
            return parse(table[key])
        except (TypeError, ValueError) as exc:
            detail = f" ({exc})" if str(exc) else ""
            problems.append(f"{key} should be {_SHOULD[key]}, got {table[key]!r}{detail}")
            return default

    def path(text) -> Path:
        """Return a configured path, relative to root."""
        return root / _typed(text, str)

    designs = value("designs", path, root / "designs")
    settings = Settings(
        designs=designs if "designs" in table or designs.is_dir() else bundled("designs"),
        output=value("output", path, root / "output"),
        templates=value("templates", path, None),
        paper=value("paper", _paper, "A4"),
        formats=value("formats", parse_formats, []),
        timeout=value("timeout", _seconds, 120.0),
    )
    if problems:
        raise MlsdError(f"{pyproject}: [tool.mlsd]: {'; '.join(problems)}: fix the values")
    return settings


_SHOULD = {"designs": "a string path", "output": "a string path", "templates": "a string path",
           "paper": '"A4" or "Letter"', "timeout": "a positive number of seconds",
           "formats": "a list of names or a comma-separated string"}


def _typed(value, kind: type):
    """Return value when it is of kind (a bool is no number), else raise TypeError."""
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError("")
    return value


def _paper(value) -> str:
    """Return the CSS name of a paper size given as text."""
    try:
        return PAPERS[_typed(value, str).strip().lower()]
    except KeyError:
        raise ValueError("") from None


def _seconds(value) -> float:
    """Return a positive, finite number of seconds."""
    seconds = float(_typed(value, (int, float)))
    if not 0 < seconds < float("inf"):
        raise ValueError("")
    return seconds


def parse_formats(value) -> list[str]:
    """Return the formats in a list of names or a comma-separated string; refuse unknown ones."""
    names = _typed(value, str).split(",") if isinstance(value, str) else _typed(value, list)
    chosen = [_typed(n, str).strip().lower() for n in names if not isinstance(n, str) or n.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown {', '.join(unknown)}; choose from {','.join(FORMATS)}")
    return chosen


def _tool_table(pyproject: Path) -> dict:
    if not pyproject.is_file():
        return {}
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MlsdError(f"{pyproject}: cannot read [tool.mlsd]: {exc}: fix the TOML") from None
    table = table.get("mlsd", {}) if isinstance(table, dict) else {}
    if not isinstance(table, dict):
        raise MlsdError(f"{pyproject}: tool.mlsd should be a table ([tool.mlsd] and keys below "
                        f"it), got {table!r}: fix the TOML")
    return table
