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
    """Return settings from `[tool.mlsd]` in root/pyproject.toml, else the defaults."""
    root = root or Path.cwd()
    table = _tool_table(root / "pyproject.toml")
    designs = root / table.get("designs", "designs")
    templates = table.get("templates")
    return Settings(
        designs=designs if designs.is_dir() else bundled("designs"),
        output=root / table.get("output", "output"),
        templates=(root / templates) if templates else None,
        paper=table.get("paper", "A4"),
        formats=list(table.get("formats", [])),
        timeout=float(table.get("timeout", 120.0)),
    )


def _tool_table(pyproject: Path) -> dict:
    if not pyproject.is_file():
        return {}
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("mlsd", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MlsdError(f"{pyproject}: cannot read [tool.mlsd]: {exc}: fix the TOML") from None
