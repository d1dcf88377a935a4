"""The 7-stage ML system design framework: each stage's title, colours and minutes.

What a stage must contain and asks comes from its section's schema in sections.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from .sections import SECTIONS, Section, required


@dataclass(frozen=True)
class Stage:
    """One stage of the framework, as shown in write-ups, diagrams and the worksheet."""

    id: str
    number: int
    title: str
    fill: str  # light fill of the stage's cluster in a diagram
    border: str  # darker border in the same hue
    minutes: int  # suggested share of a 45-minute interview

    @property
    def anchor(self) -> str:
        """Return the id of the stage's section in a web page."""
        return f"stage-{self.number}-{self.id}"

    @property
    def section(self) -> type[Section]:
        """Return the section class a design fills in for this stage."""
        return SECTIONS[self.id]

    @property
    def must_contain(self) -> tuple[str, ...]:
        """Return what the stage's answer must cover, with the count check wants when above 1."""
        return tuple(p.holds + (f" ({p.minimum}+)" if p.minimum > 1 else "")
                     for _, p in required(self.section))

    @property
    def prompts(self) -> tuple[str, ...]:
        """Return the questions the stage asks an author, one per field it needs."""
        return tuple(p.prompt for _, p in required(self.section))


STAGES: tuple[Stage, ...] = (
    Stage("requirements", 1, "Clarifying requirements", "#F1F3F5", "#868E96", 5),
    Stage("framing", 2, "Framing the problem as an ML task", "#FFF4E6", "#D9480F", 5),
    Stage("data", 3, "Data preparation", "#E7F5FF", "#1971C2", 8),
    Stage("model", 4, "Model development", "#F3F0FF", "#6741D9", 10),
    Stage("evaluation", 5, "Evaluation", "#FFF9DB", "#E67700", 6),
    Stage("serving", 6, "Deployment and serving", "#EBFBEE", "#2B8A3E", 7),
    Stage("monitoring", 7, "Monitoring and infrastructure", "#FFF0F6", "#C2255C", 4),
)

STAGE_BY_ID: dict[str, Stage] = {s.id: s for s in STAGES}

# Stages drawn as coloured clusters in architecture diagrams.
DIAGRAM_STAGES = ("data", "model", "serving", "monitoring")


def get_stage(stage_id: str) -> Stage:
    """Return the stage with this id, or raise KeyError naming the valid ids."""
    try:
        return STAGE_BY_ID[stage_id]
    except KeyError:
        valid = ", ".join(STAGE_BY_ID)
        raise KeyError(f"unknown stage {stage_id!r}: use one of {valid}") from None
