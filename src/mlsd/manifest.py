"""The build manifest: what the last build wrote and from which inputs, so work can be skipped.

It lives in the output folder. Its key covers mlsd's version, Graphviz's version, the
templates, the formats and the paper; any change there makes every cached entry stale.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
from importlib import metadata
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

NAME = ".mlsd-manifest.json"


def digest(*parts: str | bytes) -> str:
    """Return a short, stable hash of the parts."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:32]


def file_digest(path: Path) -> str:
    return digest(path.read_bytes())


def graphviz_version() -> str:
    """Return `dot -V`'s line, or '' when Graphviz is missing (the build reports that)."""
    try:
        done = subprocess.run(["dot", "-V"], capture_output=True, text=True)
    except OSError:
        return ""
    return done.stderr.strip()


def build_key(formats, paper: str, template_dirs: list[Path], designs: Path) -> str:
    """Return the hash of everything besides each design module that output depends on:
    versions, formats, paper, templates, mlsd's own code and icons, and the designs' shared
    helper modules (_*.py)."""
    folders = dict.fromkeys(d.resolve() for d in template_dirs if d and d.is_dir())
    files = [p for d in folders for p in sorted(d.iterdir()) if p.is_file()]
    files += sorted(designs.glob("_*.py")) + _own_files()
    return digest(__version__, graphviz_version(), metadata.version("diagrams"),
                  ",".join(sorted(formats)), paper, *(f"{p.name}:{file_digest(p)}" for p in files))


def build_state(designs: Path, formats, paper: str,
                templates: Path | None) -> tuple[str, dict[str, str]]:
    """Return the build key and {design file name: content hash}: what output depends on."""
    from .config import bundled
    from .loader import discover

    key = build_key(formats, paper, [templates, bundled("templates")], designs)
    return key, {p.name: file_digest(p) for p in discover(designs)}


def up_to_date(designs: Path, out: Path, formats, paper: str, templates: Path | None) -> bool:
    """Return whether out already holds this build, judging by file hashes alone."""
    return Manifest.read(out).is_current(*build_state(designs, formats, paper, templates), out)


def _own_files() -> list[Path]:
    """Return mlsd's source files and icons: a change to them changes every build."""
    package = Path(__file__).resolve().parent
    return sorted(package.glob("*.py")) + sorted(package.glob("icons/*.png"))


@dataclass
class Entry:
    """One output file: the hash of what made it and the hash of what was written."""

    input: str
    output: str


@dataclass
class Manifest:
    key: str = ""
    designs: dict[str, dict] = field(default_factory=dict)  # file name -> {hash, slug}
    files: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def read(cls, out: Path) -> "Manifest":
        """Return the manifest in out, or an empty one when missing or unreadable."""
        try:
            data = json.loads((out / NAME).read_text(encoding="utf-8"))
            files = {k: Entry(**v) for k, v in data["files"].items()}
            return cls(data["key"], data["designs"], files)
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def to_bytes(self) -> bytes:
        data = {"key": self.key, "designs": self.designs,
                "files": {k: vars(v) for k, v in sorted(self.files.items())}}
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()

    def is_current(self, key: str, design_hashes: dict[str, str], out: Path) -> bool:
        """Return whether nothing changed since this manifest was written (no import needed)."""
        return (self.key == key
                and {n: d["hash"] for n, d in self.designs.items()} == design_hashes
                and all((out / rel).is_file() for rel in self.files))

    def cached(self, out: Path, rel: str, input_hash: str) -> bytes | None:
        """Return the bytes on disk for rel when they were made from input_hash, untouched."""
        entry = self.files.get(rel)
        if entry is None or entry.input != input_hash:
            return None
        try:
            data = (out / rel).read_bytes()
        except OSError:
            return None
        return data if digest(data) == entry.output else None
