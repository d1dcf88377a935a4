"""The design model: a CaseStudy holds one section per framework stage and its diagrams."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ._declared import Declared, caller_location
from .errors import DesignError, Location
from .framework import STAGE_BY_ID, STAGES, Stage
from .components import Component, parallel  # noqa: F401 -- designs import them from here
from .scale import Scale
# the stage sections live in sections.py, below framework.py; designs import them from here
from .sections import (Candidate, DataPreparation, Evaluation, Feature, Framing,  # noqa: F401
                       Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Section,
                       Serving, step_ms)

# \A and \Z, not ^ and $: "$" also matches before a final newline, and "ok-slug\n" is no slug
SLUG_RE = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def slugify(text: str) -> str:
    """Return a lowercase, hyphenated slug of text (letters and digits only)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


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

    _verbatim = ("slug",)

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
    components: list[Component] = field(default_factory=list)  # declared once, drawn anywhere
    diagrams: list[DiagramSpec] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        ids: dict[str, Component] = {}
        for c in self.components:
            if ids.setdefault(c.id, c) is not c:
                raise self.error(f"two components are labelled {c.label!r}: give each its "
                                 f"own label", "components")
        if not SLUG_RE.fullmatch(self.slug):
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

    def all_components(self) -> list[Component]:
        """Return the declared components, then any the serving stage names besides them."""
        named = self.serving.components if self.serving else []
        return list(dict.fromkeys([*self.components, *named]))

    def sections(self) -> list[tuple[Stage, Section | None]]:
        """Return every framework stage with this design's section for it, in order."""
        return [(s, getattr(self, s.id)) for s in STAGES]

    @property
    def scale(self) -> Scale | None:
        return self.requirements.scale if self.requirements else None

