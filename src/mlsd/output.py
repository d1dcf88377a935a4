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
from .manifest import NAME as MANIFEST, Manifest


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


def check_output_folder(out: Path, designs: Path) -> None:
    """Refuse an output folder that mlsd cannot own: a source folder, or someone else's files."""
    target = out.resolve()
    for owned, what in ((Path.cwd(), "the working folder"), (designs.resolve(), "the designs"),
                        (Path.home(), "your home folder")):
        if target == owned or target in owned.parents:
            raise MlsdError(f"refusing to build into {out}: it contains {what}; "
                            f"pass --out a folder of its own, such as output/")
    if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise MlsdError(f"refusing to build into {out}: it holds files mlsd did not write; "
                        f"pass --out an empty or new folder")


def stale_files(out: Path, files: dict[str, bytes]) -> list[str]:
    """Return the output files that differ from, are missing from or are extra on disk."""
    old = Manifest.read(out)
    differ = [rel for rel, data in sorted(files.items())
              if not (out / rel).is_file() or (out / rel).read_bytes() != data]
    extra = sorted(rel for rel in old.files if rel not in files and (out / rel).exists())
    return differ + extra
