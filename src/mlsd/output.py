"""The output folder: claimed, locked, and written one whole file at a time.

Each file is written in a staging folder and renamed into place, so a build killed at any
moment leaves every output file whole. The staging folder sits beside the output folder
when a rename from there works, else inside it (an output folder that is a mount point);
either way the next build clears what a killed one staged. A lock on the folder keeps two
builds from writing it at once; the system drops it when its build dies, so it never goes stale.
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import MlsdError
from .manifest import NAME as MANIFEST, Output, inside

INNER_STAGING = ".mlsd-staging"


class OutputFolder:
    """Where a build writes; with dry set, nothing is written and differences are collected."""

    def __init__(self, root: Path, designs: Path, dry: bool = False):
        self.root, self.dry = root, dry
        self.made: dict[str, bytes] = {}  # dry builds keep their PDFs for the casebook
        check_output_folder(root, designs)

    @contextmanager
    def locked(self):
        """Hold the folder's lock for a build; refuse when another build holds it."""
        if self.dry:
            yield
            return
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        if not (self.root / MANIFEST).exists():  # claim a new folder before anything else
            write_atomic(self.root / MANIFEST, b"{}\n")
        handle = os.open(self.root, os.O_RDONLY)  # the folder itself: no lock file to leave
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise MlsdError(f"another mlsd build is writing to {self.root}: wait for it "
                                f"to finish, then run this one again") from None
            clear_staging(self.root)
            try:
                yield
            finally:
                clear_staging(self.root)
        finally:
            os.close(handle)

    def put(self, outputs: list[Output], report) -> list[str]:
        """Write outputs (or, dry, note which differ from the disk); return those that changed."""
        if self.dry:
            for o in outputs:
                if o.rel.endswith(".pdf"):
                    self.made[o.rel] = o.data
                path = inside(self.root, o.rel)
                if path is None or not path.is_file() or path.read_bytes() != o.data:
                    report.stale.append(o.rel)
            return []
        return [o.rel for o in outputs if write_atomic(self._path(o.rel), o.data, self.root)]

    def read(self, rel: str) -> bytes:
        """Return the bytes of an output file: as just made (dry) or as on disk."""
        if rel in self.made:
            return self.made[rel]
        try:
            return self._path(rel).read_bytes()
        except OSError as exc:
            raise MlsdError(f"cannot read '{self.root / rel}': {exc.strerror}: "
                            f"run 'mlsd build --force'") from None

    def remove(self, rels: list[str]) -> list[str]:
        """Delete these files (ones an earlier build wrote) and any folder left empty."""
        removed = []
        for rel in rels:
            path = inside(self.root, rel)
            if path is None or not path.is_file() or path.is_symlink():
                continue
            path.unlink()
            removed.append(rel)
            if path.parent != self.root and not any(path.parent.iterdir()):
                path.parent.rmdir()
        return removed

    def _path(self, rel: str) -> Path:
        path = inside(self.root, rel)
        if path is None:
            raise MlsdError(f"refusing to write '{rel}': it is not a plain path inside "
                            f"{self.root}")
        return path


def staging_dirs(root: Path) -> list[Path]:
    """Return where files for root are staged: beside it, or inside it as a fallback."""
    return [root.parent / f".{root.name}.mlsd-staging", root / INNER_STAGING]


def clear_staging(root: Path) -> None:
    for folder in staging_dirs(root):
        shutil.rmtree(folder, ignore_errors=True)


def write_atomic(path: Path, data: bytes, root: Path | None = None) -> bool:
    """Write data to path through a temporary file and a rename; return whether it changed.

    With root, the temporary file is staged outside root's tree where a rename works.
    """
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        folders = staging_dirs(root) if root else [path.parent]
        for number, folder in enumerate(folders):
            try:
                _replace(path, data, folder)
                return True
            except OSError as exc:
                if number == len(folders) - 1 or exc.errno not in (errno.EXDEV, errno.EACCES,
                                                                   errno.EROFS, errno.EPERM):
                    raise
    except OSError as exc:
        raise MlsdError(f"cannot write '{path}': {exc.strerror}: "
                        f"check the folder's permissions or pass --out DIR") from None
    return True


def _replace(path: Path, data: bytes, folder: Path) -> None:
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


def check_output_folder(out: Path, designs: Path) -> None:
    """Refuse an output folder that mlsd cannot own: a source folder, or someone else's files."""
    target = out.resolve()
    for owned, what in ((Path.cwd(), "the working folder"), (designs.resolve(), "the designs"),
                        (Path.home(), "your home folder")):
        if target == owned or target in owned.parents:
            raise MlsdError(f"refusing to build into {out}: it contains {what}; "
                            f"pass --out a folder of its own, such as output/")
    if target.is_dir() and any(p.name != INNER_STAGING for p in target.iterdir()) \
            and not (target / MANIFEST).is_file():
        raise MlsdError(f"refusing to build into {out}: it holds files mlsd did not write; "
                        f"pass --out an empty or new folder")

