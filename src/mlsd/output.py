"""Write output files atomically, and leave a file alone when its content is unchanged."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import MlsdError


def write_atomic(path: Path, data: bytes) -> bool:
    """Write data to path through a temporary file and a rename; return whether it changed."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
    return [rel for rel, data in sorted(files.items()) if write_atomic(root / rel, data)]


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
