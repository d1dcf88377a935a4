"""Turn a CaseStudy into the blocks every write-up shows: one list per stage, in order.

Templates only format these blocks, so Markdown, HTML and PDF say the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from .framework import Stage
from .model import CaseStudy, Section
from .scale import Scale, human
from .sections import critical_path_ms, schema, step_ms


@dataclass
class Block:
    """A titled piece of a stage: text, list, steps, pairs, table or cards."""

    kind: str
    title: str
    text: str = ""
    items: list = field(default_factory=list)  # str for list/steps, (term, text) for pairs
    header: tuple[str, ...] = ()  # table columns
    rows: list[tuple] = field(default_factory=list)
    cards: list[dict] = field(default_factory=list)


@dataclass
class StageView:
    """One stage of a write-up: the framework stage and its blocks (empty when missing)."""

    stage: Stage
    blocks: list[Block]
    missing: bool = False


def text(title: str, value: str) -> list[Block]:
    return [Block("text", title, text=value)] if value else []


def listing(title: str, values: list[str], kind: str = "list") -> list[Block]:
    return [Block(kind, title, items=list(values))] if values else []


def pairs(title: str, mapping: dict[str, str]) -> list[Block]:
    return [Block("pairs", title, items=list(mapping.items()))] if mapping else []


def table(title: str, header: tuple[str, ...], rows: list[tuple]) -> list[Block]:
    return [Block("table", title, header=header, rows=rows)] if rows else []


def estimate_rows(scale: Scale) -> list[tuple[str, str, str]]:
    return [(e.name, e.text, e.formula) for e in scale.estimates()]


def qualities(title: str, mapping: dict[str, str]) -> list[Block]:
    return pairs(title, {k.replace("_", " ").capitalize(): v for k, v in mapping.items()})


def scale_tables(title: str, scale: Scale | None) -> list[Block]:
    """Return the assumptions table under title, then the estimates they support."""
    if scale is None:
        return []
    return (table(title, ("Assumption", "Value"), scale.assumptions())
            + table("Back-of-the-envelope estimates", ("Figure", "Value", "Formula"),
                    estimate_rows(scale)))


def feature_table(title: str, features: list) -> list[Block]:
    return table(title, ("Feature", "Encoding"), [(f.name, f.encoding) for f in features])


def metric_table(title: str, metrics: list) -> list[Block]:
    return table(title, ("Metric", "Why"), [(m.name, m.why) for m in metrics])


def candidate_cards(title: str, candidates: list) -> list[Block]:
    cards = [{"title": c.name, "badge": "", "text": c.description,
              "lists": [("Strengths", c.pros), ("Weaknesses", c.cons)]} for c in candidates]
    return [Block("cards", title, cards=cards)] if cards else []


def pipeline_cards(title: str, pipelines: list) -> list[Block]:
    cards = [{"title": p.name, "badge": p.mode, "text": "", "lists": [("", p.steps)]}
             for p in pipelines]
    return [Block("cards", title, cards=cards)] if cards else []


def latency_table(title: str, latency_budget: dict) -> list[Block]:
    """Return the budget table: one row per step or parallel branch, then the total."""
    budget = []
    for step, ms in latency_budget.items():
        if isinstance(ms, dict):  # parallel branches: the step costs its slowest branch
            budget.append((f"{step} (in parallel)", f"{human(step_ms(ms))} ms"))
            budget += [(f"↳ {branch}", f"{human(b)} ms") for branch, b in ms.items()]
        else:
            budget.append((step, f"{human(ms)} ms"))
    if budget:
        budget.append(("**Total**", f"**{human(critical_path_ms(latency_budget))} ms**"))
    return table(title, ("Step", "Budget"), budget)


# Part.show -> how the write-up lays a field out under its heading
LAYOUTS = {
    "text": text, "list": listing, "steps": partial(listing, kind="steps"),
    "pairs": pairs, "qualities": qualities, "scale": scale_tables, "features": feature_table,
    "metrics": metric_table, "candidates": candidate_cards, "pipelines": pipeline_cards,
    "latency": latency_table,
}


def section_blocks(section: Section) -> list[Block]:
    """Return the blocks of a section: each field of its schema under its heading, in order."""
    return [block for name, p in schema(type(section))
            for block in LAYOUTS[p.show](p.heading, getattr(section, name))]


def stage_view(stage: Stage, section: Section | None) -> StageView:
    """Return the blocks of one stage; a missing stage shows its prompts instead."""
    if section is None:
        return StageView(stage, listing("Still to answer", list(stage.prompts)), missing=True)
    return StageView(stage, section_blocks(section))


def stage_views(case: CaseStudy) -> list[StageView]:
    return [stage_view(stage, section) for stage, section in case.sections()]
