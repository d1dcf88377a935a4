"""Declared objects remember where they were written and check the types of their fields."""
from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import os
import re
import sys
import types
import typing
from pathlib import Path

from .errors import DesignError, Location
from .untrusted import text_problem

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def caller_location() -> Location:
    """Return the first file and line on the stack outside mlsd and generated code."""
    frame = sys._getframe(1)
    while frame is not None:
        path = frame.f_code.co_filename
        inside = path.startswith("<") or os.path.dirname(os.path.abspath(path)) == _PACKAGE_DIR
        if not inside:
            return Location(os.path.abspath(path), frame.f_lineno)
        frame = frame.f_back
    return Location("<unknown>", 0)


def describe(hint) -> str:
    """Return a type hint in words, for error messages."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(a) for a in args if a is not type(None))
    if origin is list:
        return f"a list of {describe(args[0])}"
    if origin is dict:
        return f"a dict of {describe(args[0])} to {describe(args[1])}"
    if hint is float:
        return "a number"
    if hint is int:
        return "a whole number"
    if hint is str:
        return "text"
    if dataclasses.is_dataclass(hint):  # Metric(name, why): how to write one
        needed = [f.name for f in dataclasses.fields(hint) if f.init and f.kw_only is False
                  and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        return f"{hint.__name__}({', '.join(needed)})"
    return f"a {getattr(hint, '__name__', hint)}"


def mismatch(value, hint) -> str:
    """Return how value fails its type hint, naming the list item or dict entry at fault."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and isinstance(value, list):
        for index, item in enumerate(value, 1):
            if not conforms(item, args[0]):
                return f"item {index} should be {describe(args[0])}, got {_got(item)}"
    if origin is dict and isinstance(value, dict):
        for key, item in value.items():
            if not conforms(key, args[0]):
                return f"key {_got(key)} should be {describe(args[0])}"
            if not conforms(item, args[1]):
                return f"entry {key!r} should be {describe(args[1])}, got {_got(item)}"
    return f"should be {describe(hint)}, got {_got(value)}"


def _got(value) -> str:
    """Return a value's type and a short look at it: str 'PR-AUC'."""
    shown = repr(value)
    return f"{type(value).__name__} {shown[:40] + '…' if len(shown) > 40 else shown}"


def prose(text: str) -> str:
    """Return a triple-quoted text as prose: dedented, lines of a paragraph joined, and
    paragraphs kept apart by one blank line."""
    if "\n" not in text:
        return text
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(text))
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _normalised(value):
    """Return a field's value with every text in it read as prose (see `prose`)."""
    if isinstance(value, str):
        return prose(value)
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, dict):
        return {_normalised(k): _normalised(v) for k, v in value.items()}
    return value


def conforms(value, hint) -> bool:
    """Return whether value fits the type hint (str, numbers, list, dict, classes, unions)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, a) for a in args)
    if origin is list:
        return isinstance(value, list) and all(conforms(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is type(None):
        return value is None
    return isinstance(value, hint)


class Declared:
    """Base of every declared object: records its location and validates its fields."""

    location: Location
    _verbatim: tuple[str, ...] = ()  # fields that are names, not prose: never normalised

    def __post_init__(self) -> None:
        object.__setattr__(self, "location", caller_location())
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            if f.init and not conforms(getattr(self, f.name), hints[f.name]):
                raise self.error(f"field '{f.name}' {mismatch(getattr(self, f.name), hints[f.name])}"
                                 f": fix its value", f.name)
            if f.init and f.name not in self._verbatim:
                object.__setattr__(self, f.name, _normalised(getattr(self, f.name)))
            for text in strings(getattr(self, f.name)):
                if (bad := _surrogate(text)) is not None:  # no file can hold it
                    raise self.error(f"field '{f.name}' holds a lone surrogate {bad!r}, which "
                                     f"is not text: remove the \\u escape or write the "
                                     f"character", f.name)
                if problem := text_problem(text):
                    raise self.error(f"field '{f.name}': {problem}", f.name)

    def error(self, message: str, field: str = "") -> DesignError:
        """Return a DesignError located at this object's declaration (or at one field)."""
        line = keyword_lines(self.location).get(field, self.location.line)
        return DesignError(f"{type(self).__name__}: {message}",
                           Location(self.location.path, line))


def _surrogate(text: str) -> str | None:
    """Return the first lone surrogate in text, else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return text[exc.start]
    return None


def strings(value):
    """Yield every string in a field's value: list items, dict keys and values, nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    # a nested declared object checked its own strings when it was made


def keyword_lines(location: Location) -> dict[str, int]:
    """Return {keyword: line} of the call that starts at location, so problems point at fields."""
    try:
        source = Path(location.path).read_text(encoding="utf-8-sig")  # Python allows a BOM
        return _keyword_lines(source).get(location.line, {})
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):  # edited since it was run
        return {}


@functools.lru_cache(maxsize=64)
def _keyword_lines(source: str) -> dict[int, dict[str, int]]:
    lines: dict[int, dict[str, int]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg:
                    lines.setdefault(node.lineno, {}).setdefault(kw.arg, kw.value.lineno)
    return lines


