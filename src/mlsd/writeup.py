"""Turn a CaseStudy into the blocks every write-up shows: one list per stage, in order.

Templates only format these blocks, so Markdown, HTML and PDF say the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .framework import Stage
from .model import CaseStudy, Section, step_ms
from .scale import Scale, human


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


def requirements_blocks(s) -> list[Block]:
    blocks = (text("Business objective", s.objective)
              + pairs("Clarifying questions and assumed answers", s.questions)
              + listing("Functional requirements", s.functional)
              + pairs("Non-functional requirements",
                      {k.replace("_", " ").capitalize(): v for k, v in s.non_functional.items()}))
    if s.scale:
        blocks += table("Scale assumptions", ("Assumption", "Value"), s.scale.assumptions())
        blocks += table("Back-of-the-envelope estimates", ("Figure", "Value", "Formula"),
                        estimate_rows(s.scale))
    return blocks


def framing_blocks(s) -> list[Block]:
    return (text("ML objective", s.ml_objective) + text("Input", s.input)
            + text("Output", s.output) + text("ML category", s.category)
            + pairs("Alternatives considered", s.alternatives))


def data_blocks(s) -> list[Block]:
    return (pairs("Data sources and storage", s.sources) + text("Labels", s.labels)
            + table("Features", ("Feature", "Encoding"), [(f.name, f.encoding) for f in s.features])
            + listing("Data pipeline", s.pipeline, "steps")
            + text("Privacy", s.privacy) + text("Bias", s.bias))


def model_blocks(s) -> list[Block]:
    cards = [{"title": c.name, "badge": "", "text": c.description,
              "lists": [("Strengths", c.pros), ("Weaknesses", c.cons)]} for c in s.candidates]
    return (text("Baseline", s.baseline)
            + ([Block("cards", "Candidate models", cards=cards)] if cards else [])
            + text("Choice", s.choice) + text("Loss", s.loss)
            + text("Training set", s.training_data))


def evaluation_blocks(s) -> list[Block]:
    return (table("Offline metrics", ("Metric", "Why"), [(m.name, m.why) for m in s.offline])
            + table("Online metrics", ("Metric", "Why"), [(m.name, m.why) for m in s.online])
            + text("When offline and online disagree", s.gap)
            + text("Testing online", s.experiments))


def serving_blocks(s) -> list[Block]:
    cards = [{"title": p.name, "badge": p.mode, "text": "", "lists": [("", p.steps)]}
             for p in s.pipelines]
    budget = []
    for step, ms in s.latency_budget.items():
        if isinstance(ms, dict):  # parallel branches: the step costs its slowest branch
            budget.append((f"{step} (in parallel)", f"{human(step_ms(ms))} ms"))
            budget += [(f"↳ {branch}", f"{human(b)} ms") for branch, b in ms.items()]
        else:
            budget.append((step, f"{human(ms)} ms"))
    if budget:
        budget.append(("**Total**", f"**{human(s.total_latency_ms)} ms**"))
    return (([Block("cards", "Pipelines", cards=cards)] if cards else [])
            + table("Latency budget", ("Step", "Budget"), budget)
            + text("Where the model runs", s.placement) + text("Compression", s.compression)
            + text("Rollout", s.rollout))


def monitoring_blocks(s) -> list[Block]:
    return (listing("Operational signals", s.operational)
            + listing("ML signals", s.ml_signals) + listing("Alerts", s.alerts)
            + text("Retraining", s.retraining) + pairs("Failure modes", s.failure_modes))


BLOCKS = {
    "requirements": requirements_blocks, "framing": framing_blocks, "data": data_blocks,
    "model": model_blocks, "evaluation": evaluation_blocks, "serving": serving_blocks,
    "monitoring": monitoring_blocks,
}


def stage_view(stage: Stage, section: Section | None) -> StageView:
    """Return the blocks of one stage; a missing stage shows its prompts instead."""
    if section is None:
        return StageView(stage, listing("Still to answer", list(stage.prompts)), missing=True)
    return StageView(stage, BLOCKS[stage.id](section) + text("Discussion", section.notes))


def stage_views(case: CaseStudy) -> list[StageView]:
    return [stage_view(stage, section) for stage, section in case.sections()]
