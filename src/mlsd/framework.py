"""The 7-stage ML system design framework: what each stage is and what it must contain."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    """One stage of the framework, as shown in write-ups, diagrams and the worksheet."""

    id: str
    number: int
    title: str
    must_contain: tuple[str, ...]
    prompts: tuple[str, ...]
    fill: str  # light fill of the stage's cluster in a diagram
    border: str  # darker border in the same hue
    minutes: int  # suggested share of a 45-minute interview

    @property
    def anchor(self) -> str:
        """Return the id of the stage's section in a web page."""
        return f"stage-{self.number}-{self.id}"


STAGES: tuple[Stage, ...] = (
    Stage(
        "requirements", 1, "Clarifying requirements",
        ("business objective", "clarifying questions with assumed answers (3+)",
         "functional requirements",
         "non-functional requirements: scalability, latency, throughput, privacy, cost",
         "scale assumptions as numbers"),
        ("What business outcome does the system move, and how is it measured today?",
         "Who are the users, how many, and how often do they use the feature?",
         "What are the latency, freshness and availability expectations?",
         "Which data may be used, and what are the privacy constraints?"),
        "#F1F3F5", "#868E96", 5,
    ),
    Stage(
        "framing", 2, "Framing the problem as an ML task",
        ("ML objective as a proxy for the business goal", "system input and output",
         "ML category", "alternatives considered and why not"),
        ("Which measurable ML objective stands in for the business goal, and where does it diverge?",
         "What exactly goes in and what comes out of the system?",
         "Is this classification, regression, ranking, retrieval or generation?",
         "Which other framings did you reject, and why?"),
        "#FFF4E6", "#D9480F", 5,
    ),
    Stage(
        "data", 3, "Data preparation",
        ("data sources and storage", "how labels are obtained", "features with their encoding",
         "data pipeline", "privacy and bias notes"),
        ("Where does the data come from and where is it stored?",
         "How are labels obtained: natural feedback, human annotation, reports?",
         "Which features matter, and how is each encoded?",
         "What privacy and bias risks does this data carry?"),
        "#E7F5FF", "#1971C2", 8,
    ),
    Stage(
        "model", 4, "Model development",
        ("a baseline", "2+ candidate models with trade-offs", "the choice", "loss",
         "how the training set is built"),
        ("What simple baseline would you ship first?",
         "Which two or more architectures fit, and what does each trade?",
         "Which loss do you train with, and why?",
         "How are positives, negatives and class imbalance handled?"),
        "#F3F0FF", "#6741D9", 10,
    ),
    Stage(
        "evaluation", 5, "Evaluation",
        ("2+ offline metrics and why", "2+ online metrics and why",
         "why offline and online can disagree, and how to test counterfactually"),
        ("Which offline metrics track the ML objective?",
         "Which online metrics track the business objective?",
         "Why might offline gains not show online, and how would you find out?"),
        "#FFF9DB", "#E67700", 6,
    ),
    Stage(
        "serving", 6, "Deployment and serving",
        ("prediction pipelines, batch or online", "latency budget per step",
         "cloud or on-device, compression", "rollout: shadow, canary, A/B"),
        ("What runs online per request, and what runs in batch?",
         "How is the latency budget split across the steps?",
         "Where does the model run, and how is it compressed?",
         "How does a new model reach all traffic safely?"),
        "#EBFBEE", "#2B8A3E", 7,
    ),
    Stage(
        "monitoring", 7, "Monitoring and infrastructure",
        ("operational signals", "ML signals: drift, calibration, data quality",
         "alerts and retraining triggers", "failure modes"),
        ("Which operational signals show the system is healthy?",
         "How do you detect drift, miscalibration and broken data?",
         "What triggers an alert, and what triggers retraining?",
         "How does the system fail, and how does it degrade gracefully?"),
        "#FFF0F6", "#C2255C", 4,
    ),
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
