"""Figures in prose: a text field names a derived figure, `{peak_qps}`, and pages print it.

So no number is typed twice: the capacity table, the latency path and the sentences that
quote them are made from the same declarations. A name that is not a figure is left as it is
in pages and reported by `mlsd check`.
"""
from __future__ import annotations

import copy
import dataclasses
import re

from .scale import human

FIGURE_RE = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\}")


def figures(case) -> dict[str, str]:
    """Return every figure prose may name, as the text pages print for it."""
    from .capacity import capacity

    found = {row.figure: row.text for row in capacity(case)}
    serving = case.serving
    if serving is not None and (serving.latency_path or serving.latency_budget):
        found["latency_total"] = f"{human(serving.total_latency_ms)} ms"
    if serving is not None and serving.latency_target_ms:
        found["latency_target"] = f"{human(serving.latency_target_ms)} ms"
    return found


def named(text: str) -> list[str]:
    """Return the figure names a text uses."""
    return FIGURE_RE.findall(text)


def fill(text: str, known: dict[str, str]) -> str:
    """Return text with each named figure replaced by its value (unknown names stay)."""
    return FIGURE_RE.sub(lambda m: known.get(m.group(1), m.group(0)), text)


def filled(obj, known: dict[str, str]):
    """Return a copy of a declared object with the figures in all its text filled in."""
    from .components import Component
    from .scale import Scale

    if isinstance(obj, str):
        return fill(obj, known)
    if isinstance(obj, list):
        return [filled(v, known) for v in obj]
    if isinstance(obj, tuple):
        return tuple(filled(v, known) for v in obj)
    if isinstance(obj, dict):
        return {filled(k, known): filled(v, known) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, (type, Component, Scale)):
        new = copy.copy(obj)  # not replace(): that would declare the object again, elsewhere
        for f in dataclasses.fields(obj):
            if f.init:
                object.__setattr__(new, f.name, filled(getattr(obj, f.name), known))
        return new
    return obj
