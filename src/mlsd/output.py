"""Write output files atomically, and leave a file alone when its content is unchanged.

Each file is written in a staging folder beside the output folder and renamed into place, so
a build killed at any moment leaves every output file whole and no temporary file inside
the output folder; the next build clears what a killed one staged.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import MlsdError


def staging_dir(root: Path) -> Path:
    """Return the folder where files for root are written before being renamed into it."""
    return root.parent / f".{root.name}.mlsd-staging"


def write_atomic(path: Path, data: bytes, staging: Path | None = None) -> bool:
    """Write data to path through a temporary file and a rename; return whether it changed."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = staging or path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise MlsdError(f"cannot write '{path}': {exc.strerror}: "
                        f"check the folder's permissions or pass --out DIR") from None
    return True


def write_tree(root: Path, files: dict[str, bytes]) -> list[str]:
    """Write {relative path: bytes} below root; return the paths whose content changed."""
    staging = staging_dir(root)
    shutil.rmtree(staging, ignore_errors=True)  # what a killed build left
    try:
        return [rel for rel, data in sorted(files.items())
                if write_atomic(root / rel, data, staging)]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_files(root: Path, paths: list[str]) -> list[str]:
    """Delete these files below root (ones an earlier build wrote) and any folder left empty."""
    removed = []
    for rel in paths:
        path = root / rel
        if path.is_file():
            path.unlink()
            removed.append(rel)
            if path.parent != root and not any(path.parent.iterdir()):
                path.parent.rmdir()
    return removed
