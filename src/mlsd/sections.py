"""The seven stage sections and their schema, declared once on the fields.

Each stage field says, through `part(...)`, its write-up heading, how many entries `mlsd check`
wants, what it holds (for check messages and the worksheet), the question it asks an author
(for `mlsd new` and the worksheet), how the write-up lays it out and its starter value.
framework.py derives each stage's checklist and prompts from here, so this module must not
import framework.py or model.py.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ._declared import Declared
from .components import Component, Parallel, path_components
from .components import step_ms as path_step_ms
from .scale import Scale

NON_FUNCTIONAL = ("scalability", "latency", "throughput", "privacy", "cost")


@dataclass(frozen=True)
class Part:
    """What one stage field holds, and how it is checked, asked, shown and started."""

    heading: str  # the write-up title
    holds: str  # in check messages: "no <holds>", and on the worksheet
    prompt: str  # the question an author answers
    minimum: int  # entries `mlsd check` wants; 0 is optional
    show: str  # the write-up layout: text, list, steps, pairs or a special one
    starter: str  # Python source of the `mlsd new` value; %s is the quoted "TODO: <prompt>"
    counted: bool  # False when check.py has its own rule for the field


def part(heading: str, holds: str, prompt: str, *, minimum: int = 1, show: str = "text",
         starter: str = "%s", counted: bool = True, empty=str):
    """Return a dataclass field that carries its Part; empty() makes its default value."""
    return field(default_factory=empty, metadata={
        "part": Part(heading, holds, prompt, minimum, show, starter, counted)})


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
    steps: list[str | Component] = field(default_factory=list)  # a component names its part

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.mode not in ("online", "batch", "streaming"):
            raise self.error(f"mode {self.mode!r} should be 'online', 'batch' or 'streaming'")


# The seven stages -------------------------------------------------------------------------

@dataclass(kw_only=True)
class Section(Declared):
    """Base of the stage types; `notes` holds any further discussion."""

    stage_id = ""
    notes: str = part("Discussion", "discussion", "Which trade-offs or caveats fit no other field?",
                      minimum=0)


@dataclass(kw_only=True)
class Requirements(Section):
    stage_id = "requirements"
    objective: str = part(
        "Business objective", "business objective",
        "What business outcome does the system move, and how is it measured today?")
    questions: dict[str, str] = part(  # question -> assumed answer
        "Clarifying questions and assumed answers", "clarifying questions with assumed answers",
        "Who are the users, how many, and how often do they use the feature?", minimum=3,
        show="pairs", empty=dict,
        starter='{%s: "TODO: the answer you assume.", '
                '"TODO: Which data may be used?": "TODO: the answer you assume.", '
                '"TODO: How fresh must results be?": "TODO: the answer you assume."}')
    functional: list[str] = part(
        "Functional requirements", "functional requirements",
        "What must the system do for its users?", show="list", starter="[%s]", empty=list)
    non_functional: dict[str, str] = part(  # quality -> target
        "Non-functional requirements", "non-functional requirements: " + ", ".join(NON_FUNCTIONAL),
        "What are the targets for scalability, latency, throughput, privacy and cost?",
        show="qualities", counted=False, empty=dict,
        starter="{%s}" % ", ".join(f'"{q}": "TODO: the {q} target."' for q in NON_FUNCTIONAL))
    scale: Scale | None = part(
        "Scale assumptions", "scale assumptions as numbers",
        "How many users, requests and items must it handle, and how fast?",
        show="scale", counted=False, empty=lambda: None,
        starter="Scale(daily_active_users=10e6, requests_per_user=5, latency_ms=50)")


@dataclass(kw_only=True)
class Framing(Section):
    stage_id = "framing"
    ml_objective: str = part(
        "ML objective", "ML objective",
        "Which measurable ML objective stands in for the business goal, and where does it diverge?")
    input: str = part("Input", "system input", "What exactly goes into the system?")
    output: str = part("Output", "system output",
                       "What comes out of the system, with its type and range?")
    category: str = part("ML category", "ML category",
                         "Is this classification, regression, ranking, retrieval or generation?")
    alternatives: dict[str, str] = part(  # framing -> why not
        "Alternatives considered", "alternative framings considered",
        "Which other framings did you reject, and why?", show="pairs", empty=dict,
        starter='{%s: "TODO: why you rejected it."}')


@dataclass(kw_only=True)
class DataPreparation(Section):
    stage_id = "data"
    sources: dict[str, str] = part(  # source -> content and storage
        "Data sources and storage", "data sources",
        "Where does the data come from and where is it stored?", show="pairs", empty=dict,
        starter='{%s: "TODO: what it holds and where it is stored."}')
    labels: str = part("Labels", "account of how labels are obtained",
                       "How are labels obtained: natural feedback, human annotation, reports?")
    features: list[Feature] = part(
        "Features", "features", "Which features matter, and how is each encoded?",
        show="features", empty=list, starter='[Feature(%s, "TODO: its encoding")]')
    pipeline: list[str] = part(
        "Data pipeline", "data pipeline steps",
        "Which steps turn raw data into features and training examples?", show="steps",
        starter="[%s]", empty=list)
    privacy: str = part("Privacy", "privacy notes",
                        "What privacy risks does this data carry, and how is it protected?")
    bias: str = part("Bias", "bias notes",
                     "Which groups or items does the data over- or under-represent?")


@dataclass(kw_only=True)
class ModelDevelopment(Section):
    stage_id = "model"
    baseline: str = part("Baseline", "baseline", "What simple baseline would you ship first?")
    candidates: list[Candidate] = part(
        "Candidate models", "candidate models",
        "Which two or more architectures fit, and what does each trade?", minimum=2,
        show="candidates", empty=list,
        starter='[Candidate(%s, "TODO: how it works.", '
                'pros=["TODO: strength"], cons=["TODO: weakness"]), '
                'Candidate("TODO: second candidate", "TODO: how it works.", '
                'pros=["TODO: strength"], cons=["TODO: weakness"])]')
    choice: str = part("Choice", "model choice", "Which candidate do you pick, and why?")
    loss: str = part("Loss", "loss", "Which loss do you train with, and why?")
    training_data: str = part("Training set", "account of how the training set is built",
                              "How are positives, negatives and class imbalance handled?")


@dataclass(kw_only=True)
class Evaluation(Section):
    stage_id = "evaluation"
    offline: list[Metric] = part(
        "Offline metrics", "offline metrics", "Which offline metrics track the ML objective?",
        minimum=2, show="metrics", empty=list,
        starter='[Metric(%s, "TODO: why it tracks the ML objective."), '
                'Metric("TODO: second offline metric", "TODO: why.")]')
    online: list[Metric] = part(
        "Online metrics", "online metrics", "Which online metrics track the business objective?",
        minimum=2, show="metrics", empty=list,
        starter='[Metric(%s, "TODO: why it tracks the business goal."), '
                'Metric("TODO: second online metric", "TODO: why.")]')
    gap: str = part("When offline and online disagree",
                    "account of why offline and online results can disagree",
                    "Why might offline gains not show online?")
    experiments: str = part("Testing online", "plan to test online (A/B, interleaving, off-policy)",
                            "Which A/B test, interleaving or off-policy estimate would you run?")


@dataclass(kw_only=True)
class Serving(Section):
    stage_id = "serving"
    pipelines: list[Pipeline] = part(
        "Pipelines", "prediction pipelines",
        "What runs online per request, and what runs in batch?",
        show="pipelines", empty=list, starter='[Pipeline(%s, "online", ["TODO: a step"])]')
    # The request's path through components, in order: a component costs its latency_ms,
    # ("step", ms) a step that is not a component, parallel(...) the slowest of its branches.
    latency_path: list[Component | Parallel | tuple] = part(
        "Latency budget", "latency path through the components",
        "Which components does a request go through, and how long does each take?",
        show="path", empty=list, counted=False, starter="[(%s, 50)]")
    latency_target_ms: float = part(
        "Latency target", "latency target", "What latency must a request meet, at p99?",
        show="none", empty=float, counted=False, starter="50")
    # A sketch's budget without components: step -> ms, or {branch: ms} for parallel branches.
    latency_budget: dict[str, float | dict[str, float]] = part(
        "Latency budget", "latency budget per step",
        "How is the latency budget split across the steps?", show="latency", empty=dict,
        minimum=0, starter="{%s: 50}")
    placement: str = part("Where the model runs", "account of where the model runs",
                          "Where does the model run: cloud or on-device, and on which hardware?")
    compression: str = part("Compression", "compression plan",
                            "How is the model made small and fast enough?")
    rollout: str = part("Rollout", "rollout plan", "How does a new model reach all traffic safely?")

    def __post_init__(self) -> None:
        super().__post_init__()
        for index, step in enumerate(self.latency_path, 1):
            if not (isinstance(step, (Component, Parallel)) or (
                    isinstance(step, tuple) and len(step) == 2 and isinstance(step[0], str)
                    and isinstance(step[1], (int, float)) and not isinstance(step[1], bool))):
                raise self.error(f"field 'latency_path' item {index} should be a Component, "
                                 f"parallel(...) or a (step, ms) pair, got "
                                 f"{type(step).__name__} {step!r}", "latency_path")

    @property
    def total_latency_ms(self) -> float:
        """Return the critical path: steps add up, parallel branches take the slowest."""
        if self.latency_path:
            return sum(path_step_ms(step) for step in self.latency_path)
        return critical_path_ms(self.latency_budget)

    @property
    def components(self) -> list[Component]:
        """Return the components the latency path and the pipelines name, in order."""
        named = path_components(self.latency_path) + [
            s for p in self.pipelines for s in p.steps if isinstance(s, Component)]
        return list(dict.fromkeys(named))

    @property
    def pattern(self) -> str:
        """Return the serving pattern in words, derived from the pipelines' modes."""
        modes = sorted({p.mode for p in self.pipelines})
        return " + ".join(modes) if modes else "unspecified"


@dataclass(kw_only=True)
class Monitoring(Section):
    stage_id = "monitoring"
    operational: list[str] = part(
        "Operational signals", "operational signals",
        "Which operational signals show the system is healthy?", show="list", starter="[%s]",
        empty=list)
    ml_signals: list[str] = part(
        "ML signals", "ML signals", "How do you detect drift, miscalibration and broken data?",
        show="list", starter="[%s]", empty=list)
    alerts: list[str] = part("Alerts", "alerts", "What pages someone, and at which threshold?",
                             show="list", starter="[%s]", empty=list)
    retraining: str = part("Retraining", "retraining trigger",
                           "What triggers retraining, and how often?")
    failure_modes: dict[str, str] = part(  # failure -> mitigation
        "Failure modes", "failure modes",
        "How does the system fail, and how does it degrade gracefully?", show="pairs", empty=dict,
        starter='{%s: "TODO: how the system degrades gracefully."}')


def step_ms(budget: float | dict[str, float]) -> float:
    """Return one step's milliseconds: its number, or its slowest parallel branch."""
    return max(budget.values(), default=0) if isinstance(budget, dict) else budget


def critical_path_ms(budget: dict[str, float | dict[str, float]]) -> float:
    """Return a latency budget's total: steps add up, parallel branches take the max."""
    return sum(step_ms(v) for v in budget.values())


SECTIONS: dict[str, type[Section]] = {cls.stage_id: cls for cls in Section.__subclasses__()}


def schema(cls: type[Section]) -> list[tuple[str, Part]]:
    """Return (field name, Part) of a section class in write-up order: `notes` comes last."""
    parts = [(f.name, f.metadata["part"]) for f in dataclasses.fields(cls) if "part" in f.metadata]
    # the shared discussion closes every stage, though dataclasses list base fields first
    return sorted(parts, key=lambda item: item[0] == "notes")


def required(cls: type[Section]) -> list[tuple[str, Part]]:
    """Return (field name, Part) of the fields a section needs; optional ones are left out."""
    return [(name, p) for name, p in schema(cls) if p.minimum]
