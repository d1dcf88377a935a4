"""Turn a CaseStudy into the blocks every write-up shows: one list per stage, in order.

Templates only format these blocks, so Markdown, HTML and PDF say the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from .framework import Stage
from .model import CaseStudy, Section
from .scale import Scale, figure_name, human
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


def qualities(title: str, mapping: dict[str, str]) -> list[Block]:
    return pairs(title, {k.replace("_", " ").capitalize(): v for k, v in mapping.items()})


def scale_tables(title: str, scale: Scale | None, case: CaseStudy | None = None) -> list[Block]:
    """Return the assumptions table under title, then the capacity they and the components
    support: traffic, storage, every fleet, job and store."""
    if scale is None:
        return []
    from .capacity import capacity

    rows = capacity(case) if case is not None else scale.estimates()
    assumptions = scale.assumptions()
    if any("replica" in r.unit for r in rows) and not scale.latency_ms:
        assumptions.append(("Target replica utilisation", f"{scale.target_utilisation:.0%}"))
    return (table(title, ("Assumption", "Value"), assumptions)
            + table("Back-of-the-envelope estimates", ("Figure", "Value", "Formula"),
                    [(e.name, e.text, e.formula) for e in rows]))


NOTE_P50 = ("Each step is its median (p50) time, and the total is their critical path. "
            "Percentiles do not add: for independent steps the p99 of the whole path is "
            "usually below the sum of the steps' p99s, while a fan-out waits for its slowest "
            "branch, so its tail grows with the number of branches. The target is a p99: the "
            "gap between the median total and the target is the headroom the tail needs.")


def path_table(title: str, path: list, case: CaseStudy | None = None) -> list[Block]:
    """Return the latency path as a budget: a row per step, parallel branches indented,
    then the total against the target."""
    from .components import Component, Parallel, step_ms, step_name

    rows = []
    for step in path:
        if isinstance(step, Parallel):
            rows.append((f"{step_name(step)} (in parallel)", f"{human(step_ms(step))} ms"))
            rows += [(f"↳ {step_name(b)}", f"{human(step_ms(b))} ms") for b in step.steps]
        else:
            name = step_name(step)
            rows.append((f"[{name}](#{step.anchor})" if isinstance(step, Component) else name,
                         f"{human(step_ms(step))} ms"))
    if not rows:
        return []
    serving = case.serving if case is not None else None
    total = sum(step_ms(s) for s in path)
    rows.append(("**Total (critical path)**", f"**{human(total)} ms**"))
    if serving is not None and serving.latency_target_ms:
        rows.append(("Target (p99)", f"{human(serving.latency_target_ms)} ms"))
    return table(title, ("Step", "Budget"), rows) + text("How to read the budget", NOTE_P50)


def nothing(title: str, value) -> list[Block]:
    """Show nothing: a field another layout shows (the latency target, with the path)."""
    return []


def feature_table(title: str, features: list) -> list[Block]:
    return table(title, ("Feature", "Encoding"), [(f.name, f.encoding) for f in features])


def metric_table(title: str, metrics: list) -> list[Block]:
    return table(title, ("Metric", "Why"), [(m.name, m.why) for m in metrics])


def candidate_cards(title: str, candidates: list) -> list[Block]:
    cards = [{"title": c.name, "badge": "", "text": c.description,
              "lists": [("Strengths", c.pros), ("Weaknesses", c.cons)]} for c in candidates]
    return [Block("cards", title, cards=cards)] if cards else []


def pipeline_cards(title: str, pipelines: list) -> list[Block]:
    from .components import Component

    cards = [{"title": p.name, "badge": p.mode, "text": "",
              "lists": [("", [f"[{s.label}](#{s.anchor})" if isinstance(s, Component) else s
                              for s in p.steps])]}
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
    "latency": latency_table, "path": path_table, "none": nothing,
}
WITH_CASE = {"scale", "path"}  # layouts that read the whole design, not just their field


def section_blocks(section: Section, case: CaseStudy | None = None) -> list[Block]:
    """Return the blocks of a section: each field of its schema under its heading, in order."""
    return [block for name, p in schema(type(section))
            for block in (LAYOUTS[p.show](p.heading, getattr(section, name), case)
                          if p.show in WITH_CASE
                          else LAYOUTS[p.show](p.heading, getattr(section, name)))]


def component_table(stage: Stage, case: CaseStudy, rows: list) -> list[Block]:
    """Return the stage's components, each with its figures and what they size (rows: the
    design's capacity)."""
    sized: dict[str, list[str]] = {}
    for row in rows:
        owner = row.figure.split(".")[0]
        sized.setdefault(owner, []).append(f"{row.text} ({row.name.split(': ')[-1]})")
    rows = [(c.anchor, c.label, c.note or "", describe(c),
             "; ".join(sized.get(c.name, []) + sized.get(figure_name(c.host), [])))
            for c in case.all_components() if c.stage == stage.id]
    return [Block("components", "Components", rows=rows)] if rows else []


def describe(c) -> str:
    """Return a component's declared figures in words."""
    parts = []
    if c.latency_ms:
        parts.append(f"{human(c.latency_ms)} ms a call" + (f", {human(c.calls)} calls a request"
                                                           if c.calls != 1 else ""))
    if c.in_flight:
        parts.append(f"{human(c.in_flight)} in flight per {c.hardware} replica"
                     + (f" on {c.host}" if c.host else ""))
    if c.items_per_day:
        parts.append(f"{human(c.items_per_day)} items a day")
    if c.per_second:
        parts.append(f"{human(c.per_second)} items/s per {c.hardware}")
    if c.items:
        parts.append(f"{human(c.items)} items held")
    if c.bytes_per_item:
        parts.append(f"{human(c.bytes_per_item, 'B')} per item")
    return "; ".join(parts)


def stage_view(stage: Stage, section: Section | None, case: CaseStudy | None = None,
               rows: list | None = None) -> StageView:
    """Return the blocks of one stage; a missing stage shows its prompts instead."""
    components = component_table(stage, case, rows or []) if case is not None else []
    if section is None:
        return StageView(stage, components + listing("Still to answer", list(stage.prompts)),
                         missing=True)
    return StageView(stage, components + section_blocks(section, case))


def stage_views(case: CaseStudy) -> list[StageView]:
    from .capacity import capacity

    rows = capacity(case)  # sized once, shown in every stage's component table
    return [stage_view(stage, section, case, rows) for stage, section in case.sections()]
