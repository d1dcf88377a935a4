"""One exception root that click prints as a single line, with a location when there is one."""
from __future__ import annotations

import os
import re
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
    if isinstance(exc, OSError) and "diagrams context" in str(exc):
        return DesignError("a diagrams node is made outside a diagram: make nodes inside a "
                           "function registered with @case.diagram, or declare a Component "
                           "and call it there", where)
    if isinstance(exc, TypeError) and (found := _UNEXPECTED.search(str(exc))):
        return _unknown_keyword(found.group(1), found.group(2), where)
    return DesignError(f"{type(exc).__name__}: {exc}: fix the design module", where)


_UNEXPECTED = re.compile(r"(\w+)\.__init__\(\) got an unexpected keyword argument '(\w+)'")


def _unknown_keyword(cls_name: str, keyword: str, where: "Location") -> "DesignError":
    """Return an unknown keyword's error at the keyword's own line, with the nearest field."""
    import dataclasses
    import difflib

    from . import model
    from ._declared import keyword_lines

    cls = getattr(model, cls_name, None)
    fields = [f.name for f in dataclasses.fields(cls) if f.init] if dataclasses.is_dataclass(
        cls) else []
    near = difflib.get_close_matches(keyword, fields, n=1)
    hint = f": did you mean {near[0]}?" if near else (
        f": use one of {', '.join(fields)}" if fields else "")
    line = keyword_lines(where).get(keyword, where.line)
    return DesignError(f"{cls_name} has no field '{keyword}'{hint}", Location(where.path, line))


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
