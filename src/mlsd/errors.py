"""One exception root that click prints as a single line, with a location when there is one."""
from __future__ import annotations

import os
import traceback
from dataclasses import dataclass

import click


def display_path(path: str | os.PathLike) -> str:
    """Return path relative to the working directory when it lies below it."""
    path = os.fspath(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


@dataclass(frozen=True)
class Location:
    """Where something was declared: a file and a line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}"


def traceback_location(exc: BaseException, path: str, default: "Location") -> "Location":
    """Return the deepest line of the file at path in the exception's traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if os.path.abspath(frame.filename) == os.path.abspath(path):
            return Location(path, frame.lineno or default.line)
    return default


def raised(exc: BaseException, path: str, default: "Location") -> "DesignError":
    """Return a located DesignError for anything a design's own code raised, exits included."""
    where = traceback_location(exc, path, default)
    if isinstance(exc, SystemExit):
        return DesignError(f"the design exits (status {exc.code}): a design must not end the "
                           f"process: remove the sys.exit or os._exit call", where)
    return DesignError(f"{type(exc).__name__}: {exc}: fix the design module", where)


class MlsdError(click.ClickException):
    """An error a user can act on; printed as one line, exit code 1."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.location = location

    def __reduce__(self):  # pickled across the workers: keep the location
        return (type(self), (self.message, self.location))

    def format_message(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def __str__(self) -> str:
        return self.format_message()


class DesignError(MlsdError):
    """A design module cannot be loaded or declares something invalid."""


class RenderError(MlsdError):
    """Graphviz or a template failed to turn a design into output."""
