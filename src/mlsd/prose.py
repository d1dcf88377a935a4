"""The prose of a design: every text it holds, and how many words that makes."""
from __future__ import annotations

import dataclasses
import re

from .scale import Scale


def texts(obj, prefix: str = ""):
    """Yield (field path, text) for every string inside a declared object."""
    if isinstance(obj, str):
        yield prefix, obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from texts(key, prefix)
            yield from texts(value, prefix)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from texts(value, prefix)
    elif isinstance(obj, Scale):
        return  # numbers and the nouns that label them: not prose
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.init:
                yield from texts(getattr(obj, f.name), prefix or f.name)


def word_count(case) -> int:
    """Return the number of words in a design's write-up."""
    return sum(len(re.findall(r"\w+", text)) for _, text in texts(case))
