"""The manifest: what the last build made, and from which inputs, so a build redoes only that.

It lives in the output folder and is committed with it, so a pull request can change it: it
is untrusted input. Every output path in it must stay below the output folder, and a design
entry that does not have the expected shape is dropped with a warning (that design is then
built again). Input paths are only ever hashed, and only when they are regular files.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

NAME = ".mlsd-manifest.json"
SCHEMA = 2  # bumped when the layout of this file changes: an older one is ignored
log = logging.getLogger("mlsd")


def digest(*parts: str | bytes) -> str:
    """Return a short, stable hash of the parts."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:32]


def file_digest(path: str | os.PathLike) -> str:
    """Return the hash of a regular file's bytes, or '' for anything else (a FIFO, a folder,
    a missing or unreadable file): a manifest may name any path, and reading must not hang."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return ""
        with open(path, "rb") as handle:
            return digest(handle.read())
    except (OSError, ValueError):
        return ""


def safe_rel(rel: object) -> bool:
    """Return whether rel is a plain relative path that stays below the folder it is in."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        return False
    path = PurePosixPath(rel)
    return (not path.is_absolute() and ".." not in path.parts and str(path) == rel
            and not any(ord(c) < 32 for c in rel))


def inside(root: Path, rel: str) -> Path | None:
    """Return root/rel when it resolves below root (no symlink leads out), else None."""
    if not safe_rel(rel):
        return None
    path = root / rel
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return path


@dataclass(frozen=True)
class Output:
    """One output file: its path below the output folder, what it was made from, its bytes."""

    rel: str
    made_from: str
    data: bytes


@dataclass
class Entry:
    """An output file as the manifest remembers it: what made it and what was written."""

    made_from: str
    digest: str


@dataclass
class DesignRecord:
    """What the manifest remembers of one design module."""

    slug: str
    inputs: dict[str, str]  # every file its output depends on -> content hash
    outputs: dict[str, Entry]  # its files below the output folder
    card: dict  # what the home page, cheat sheet and casebook show of it
    problems: list[dict] = field(default_factory=list)  # `mlsd check` warnings, replayed
    error: str = ""  # its latest build failed; its outputs are the last good ones

    def current(self, hashes) -> bool:
        """Return whether every input still has the hash it had (hashes: path -> hash)."""
        return not self.error and all(hashes(p) == h for p, h in self.inputs.items())


@dataclass
class Manifest:
    key: str = ""
    designs: dict[str, DesignRecord] = field(default_factory=dict)  # design file name -> record
    files: dict[str, Entry] = field(default_factory=dict)  # the collection's own files

    @classmethod
    def read(cls, out: Path) -> "Manifest":
        """Return the manifest in out: empty when missing or unreadable, minus bad entries."""
        try:
            data = json.loads((out / NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            return cls()
        designs = {}
        for name, value in _dict(data.get("designs")).items():
            record = _record(name, value)
            if record is None:
                log.warning("%s: ignoring the malformed entry for %r: it will be built again",
                            out / NAME, name)
            else:
                designs[name] = record
        key = data.get("key") if isinstance(data.get("key"), str) else ""
        return cls(key, designs, _entries(data.get("files")) or {})

    def to_bytes(self) -> bytes:
        data = {"schema": SCHEMA, "key": self.key,
                "designs": {n: asdict(r) for n, r in sorted(self.designs.items())},
                "files": {k: asdict(v) for k, v in sorted(self.files.items())}}
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()

    def all_files(self) -> dict[str, Entry]:
        """Return every output file this manifest knows, designs' and the collection's."""
        found = dict(self.files)
        for record in self.designs.values():
            found.update(record.outputs)
        return found


def intact(out: Path, rel: str, entry: Entry | None) -> bytes | None:
    """Return the bytes on disk for rel when they are what the manifest says was written."""
    path = inside(out, rel) if entry else None
    try:
        data = path.read_bytes() if path and path.is_file() else None
    except OSError:
        return None
    return data if data is not None and digest(data) == entry.digest else None


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _entries(value) -> dict[str, Entry] | None:
    """Return {path: Entry} when every path is safe and every entry well formed, else None."""
    if not isinstance(value, dict):
        return None
    found = {}
    for rel, entry in value.items():
        if not (safe_rel(rel) and isinstance(entry, dict) and set(entry) == {"made_from", "digest"}
                and all(isinstance(v, str) for v in entry.values())):
            return None
        found[rel] = Entry(**entry)
    return found


def _record(name: str, value) -> DesignRecord | None:
    """Return a design's record when it has the expected shape, else None."""
    if not (isinstance(value, dict) and safe_rel(name) and "/" not in name):
        return None
    outputs = _entries(value.get("outputs"))
    inputs, card = value.get("inputs"), value.get("card")
    slug, error, problems = value.get("slug"), value.get("error", ""), value.get("problems", [])
    if (outputs is None or not isinstance(slug, str) or not safe_rel(slug) or "/" in slug
            or not isinstance(inputs, dict) or not isinstance(card, dict)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in inputs.items())
            or not isinstance(error, str) or not isinstance(problems, list)
            or not all(rel.startswith(f"{slug}/") for rel in outputs)):
        return None
    return DesignRecord(slug, inputs, outputs, card, problems, error)
