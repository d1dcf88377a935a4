"""Components: the parts of a design, declared once and drawn in any number of diagrams.

A component has a label, a framework stage, an icon and the figures that size it. Inside a
diagram function, calling it (`encoder()`) draws its node: the same node id, tooltip and link
in every diagram. The capacity table, the latency path and `mlsd check` read the same object,
so the pictures, the numbers and the text cannot drift apart.
"""
from __future__ import annotations

import math
from dataclasses import KW_ONLY, dataclass, field

from ._declared import Declared

HARDWARE = ("CPU", "GPU")


@dataclass(eq=False)
class Component(Declared):
    """A part of the system: a service, a model, a job or a store.

    Figures, all optional (a component with none is drawn but not sized):
    - online work: `latency_ms` per call (p50 on its host), `calls` per user request, and
      `in_flight`, the calls one replica serves at once; components that share a `host` are
      sized as one fleet from their summed time per request;
    - batch or streaming work: `items_per_day` and `per_second`, items one replica (or GPU)
      handles a second;
    - stores and indexes: `items` held now, `bytes_per_item`, and `items_per_day` of growth.
    """

    label: str
    icon: type = field(repr=False)
    _: KW_ONLY
    stage: str
    latency_ms: float = 0
    calls: float = 1
    in_flight: float = 0
    host: str = ""
    hardware: str = "CPU"
    items_per_day: float = 0
    per_second: float = 0
    items: float = 0
    bytes_per_item: float = 0
    note: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        from .framework import STAGE_BY_ID  # framework reads the sections, which use components
        from .model import slugify

        if self.stage not in STAGE_BY_ID:
            raise self.error(f"unknown stage {self.stage!r}: use one of "
                             f"{', '.join(STAGE_BY_ID)}", "stage")
        if not (isinstance(self.icon, type) and hasattr(self.icon, "_load_icon")):
            raise self.error("'icon' should be a diagrams node class, such as "
                             "diagrams.onprem.network.Nginx or mlsd.nodes.ModelServer", "icon")
        if self.hardware not in HARDWARE:
            raise self.error(f"'hardware' should be {' or '.join(map(repr, HARDWARE))}",
                             "hardware")
        for name in ("latency_ms", "calls", "in_flight", "items_per_day", "per_second", "items",
                     "bytes_per_item"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise self.error(f"'{name}' is {value}: give a finite number, 0 or more", name)
        if not slugify(self.label):
            raise self.error("'label' needs at least one letter or digit", "label")

    @property
    def id(self) -> str:
        """Return the component's node id in every diagram, and its anchor in pages."""
        from .model import slugify

        return slugify(self.label)

    @property
    def name(self) -> str:
        """Return how prose names the component's figures: {query_encoder.replicas}."""
        from .scale import figure_name

        return figure_name(self.label)

    @property
    def anchor(self) -> str:
        return f"component-{self.id}"

    def __call__(self, **attrs):
        """Draw this component in the diagram being drawn and return its node."""
        from .drawing import component_node

        return component_node(self, attrs)


@dataclass(frozen=True)
class Parallel:
    """Steps of a latency path that run at once: the path waits for the slowest."""

    steps: tuple

    @property
    def ms(self) -> float:
        return max((step_ms(s) for s in self.steps), default=0)


def parallel(*steps) -> Parallel:
    """Return steps that run side by side on a latency path (a fan-out)."""
    return Parallel(tuple(steps))


def step_ms(step) -> float:
    """Return one step's milliseconds: a component's latency, a (name, ms) pair, or the
    slowest of parallel steps."""
    if isinstance(step, Component):
        return step.latency_ms  # calls in a fan-out run at once: they load a fleet, not the path
    if isinstance(step, Parallel):
        return step.ms
    return float(step[1])


def step_name(step) -> str:
    if isinstance(step, Component):
        return step.label
    if isinstance(step, Parallel):
        return " ∥ ".join(step_name(s) for s in step.steps)
    return str(step[0])


def path_components(path) -> list[Component]:
    """Return every component a latency path goes through, parallel branches included."""
    found = []
    for step in path:
        if isinstance(step, Component):
            found.append(step)
        elif isinstance(step, Parallel):
            found += path_components(step.steps)
    return found
