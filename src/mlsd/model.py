"""The design model: a CaseStudy holds one section per framework stage and its diagrams."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ._declared import Declared, caller_location
from .errors import DesignError, Location
from .framework import STAGE_BY_ID, STAGES, Stage
from .scale import Scale

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Return a lowercase, hyphenated slug of text (letters and digits only)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# Small building blocks used inside stages -------------------------------------------------

@dataclass
class Metric(Declared):
    """A metric and why it fits this problem."""

    name: str
    why: str


@dataclass
class Feature(Declared):
    """A model input and how it is encoded."""

    name: str
    encoding: str


@dataclass
class Candidate(Declared):
    """A candidate model with what it is good and bad at."""

    name: str
    description: str
    pros: list[str] = field(default_factory=list)
    cons: list[str] = field(default_factory=list)


@dataclass
class Pipeline(Declared):
    """A prediction, indexing or training pipeline; mode is online, batch or streaming."""

    name: str
    mode: str
    steps: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.mode not in ("online", "batch", "streaming"):
            raise self.error(f"mode {self.mode!r} should be 'online', 'batch' or 'streaming'")


# The seven stages -------------------------------------------------------------------------

@dataclass(kw_only=True)
class Section(Declared):
    """Base of the stage types; `notes` holds any further discussion."""

    stage_id = ""
    notes: str = ""

    @property
    def stage(self) -> Stage:
        return STAGE_BY_ID[self.stage_id]


@dataclass(kw_only=True)
class Requirements(Section):
    stage_id = "requirements"
    objective: str = ""
    questions: dict[str, str] = field(default_factory=dict)  # question -> assumed answer
    functional: list[str] = field(default_factory=list)
    non_functional: dict[str, str] = field(default_factory=dict)  # quality -> target
    scale: Scale | None = None


@dataclass(kw_only=True)
class Framing(Section):
    stage_id = "framing"
    ml_objective: str = ""
    input: str = ""
    output: str = ""
    category: str = ""
    alternatives: dict[str, str] = field(default_factory=dict)  # framing -> why not


@dataclass(kw_only=True)
class DataPreparation(Section):
    stage_id = "data"
    sources: dict[str, str] = field(default_factory=dict)  # source -> content and storage
    labels: str = ""
    features: list[Feature] = field(default_factory=list)
    pipeline: list[str] = field(default_factory=list)
    privacy: str = ""
    bias: str = ""


@dataclass(kw_only=True)
class ModelDevelopment(Section):
    stage_id = "model"
    baseline: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    choice: str = ""
    loss: str = ""
    training_data: str = ""


@dataclass(kw_only=True)
class Evaluation(Section):
    stage_id = "evaluation"
    offline: list[Metric] = field(default_factory=list)
    online: list[Metric] = field(default_factory=list)
    gap: str = ""  # why offline and online results can disagree
    experiments: str = ""  # how to test it: A/B, interleaving, off-policy estimates


@dataclass(kw_only=True)
class Serving(Section):
    stage_id = "serving"
    pipelines: list[Pipeline] = field(default_factory=list)
    # step -> milliseconds; a step may be {branch: ms} for branches that run in parallel
    latency_budget: dict[str, float | dict[str, float]] = field(default_factory=dict)
    placement: str = ""  # cloud or on-device, hardware
    compression: str = ""
    rollout: str = ""

    @property
    def total_latency_ms(self) -> float:
        """Return the budget's critical path: steps add up, parallel branches take the max."""
        return sum(step_ms(v) for v in self.latency_budget.values())

    @property
    def pattern(self) -> str:
        """Return the serving pattern in words, derived from the pipelines' modes."""
        modes = sorted({p.mode for p in self.pipelines})
        return " + ".join(modes) if modes else "unspecified"


@dataclass(kw_only=True)
class Monitoring(Section):
    stage_id = "monitoring"
    operational: list[str] = field(default_factory=list)
    ml_signals: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    retraining: str = ""
    failure_modes: dict[str, str] = field(default_factory=dict)  # failure -> mitigation


def step_ms(budget: float | dict[str, float]) -> float:
    """Return one step's milliseconds: its number, or its slowest parallel branch."""
    return max(budget.values(), default=0) if isinstance(budget, dict) else budget


# The case study ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DiagramSpec:
    """A diagram registered with @case.diagram: how to draw it and where it was declared."""

    title: str
    slug: str
    draw: Callable[[], None]
    direction: str
    stage: str  # the stage whose section shows it; "" shows it in the overview
    location: Location


@dataclass(kw_only=True)
class CaseStudy(Declared):
    """One design: a prompt, the seven stage sections and the diagrams that illustrate them."""

    slug: str
    title: str
    summary: str
    prompt: str = ""
    requirements: Requirements | None = None
    framing: Framing | None = None
    data: DataPreparation | None = None
    model: ModelDevelopment | None = None
    evaluation: Evaluation | None = None
    serving: Serving | None = None
    monitoring: Monitoring | None = None
    diagrams: list[DiagramSpec] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not SLUG_RE.match(self.slug):
            raise self.error(
                f"slug {self.slug!r} should be lowercase words joined by hyphens, "
                f"like {slugify(self.slug) or 'my-design'!r}")

    def diagram(self, title: str, *, direction: str = "LR", stage: str = ""):
        """Register the decorated function as a diagram, shown in the overview or a stage."""
        location = caller_location()
        if direction not in ("LR", "TB", "RL", "BT"):
            raise DesignError(f"diagram {title!r}: direction should be LR, TB, RL or BT",
                              location)
        if stage and stage not in STAGE_BY_ID:
            raise DesignError(f"diagram {title!r}: unknown stage {stage!r}: use one of "
                              f"{', '.join(STAGE_BY_ID)}", location)

        def register(draw: Callable[[], None]) -> Callable[[], None]:
            slug = slugify(title)
            if any(d.slug == slug for d in self.diagrams):
                raise DesignError(f"two diagrams are titled {title!r}: give each its own title",
                                  location)
            self.diagrams.append(DiagramSpec(title, slug, draw, direction, stage, location))
            return draw
        return register

    def sections(self) -> list[tuple[Stage, Section | None]]:
        """Return every framework stage with this design's section for it, in order."""
        return [(s, getattr(self, s.id)) for s in STAGES]

    @property
    def scale(self) -> Scale | None:
        return self.requirements.scale if self.requirements else None

