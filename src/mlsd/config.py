"""Settings: built-in resource folders, and `[tool.mlsd]` defaults that flags override."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MlsdError

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent.parent  # src/mlsd -> repository root, in a source checkout


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
    )


def _tool_table(pyproject: Path) -> dict:
    if not pyproject.is_file():
        return {}
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("mlsd", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MlsdError(f"{pyproject}: cannot read [tool.mlsd]: {exc}: fix the TOML") from None
