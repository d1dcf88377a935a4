"""Draw a registered diagram into DOT source: stage clusters, a legend, wrapped labels.

`diagrams` renders and writes files when its context closes and picks random node ids; the
Canvas here records what is drawn instead, and `stable_ids` makes the source deterministic.
"""
from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field

from diagrams import Cluster, Diagram, Edge, getdiagram, setdiagram

from .errors import DesignError, traceback_location
from .framework import Stage, get_stage
from .model import DiagramSpec
from .untrusted import link_problem

LABEL_WIDTH = 14  # characters per line under a 1.5 in icon at 12 pt
FONT = "DejaVu Sans"
GRAPH_ATTR = {
    "pad": "0.3", "nodesep": "0.55", "ranksep": "0.9", "splines": "spline",
    "fontname": FONT, "fontsize": "13", "labelloc": "b", "labeljust": "l",
    "newrank": "true", "compound": "true",
}
# The icon sits at the top of its node and the label below it, so labels never cover icons.
NODE_ATTR = {"fontname": FONT, "fontsize": "12", "width": "1.5", "imagepos": "tc"}
EDGE_ATTR = {"fontname": FONT, "fontsize": "11", "color": "#6C757D", "arrowsize": "0.8"}
_URL_ICON_RE = re.compile(r'\bimage="([a-z][a-z0-9+.-]*://[^"]*)"', re.I)
# a link attribute in DOT source, or inside an HTML-like label (<td href="...">, <img src="...">)
_LINK_ATTR_RE = re.compile(r"""\b(\w*url|\w*href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
# a node statement in DOT (a plain Cluster's nodes are not recorded on the canvas)
_NODE_STATEMENT_RE = re.compile(r'^\s*(?!(?:graph|node|edge)\b)"?[\w-]+"?\s+\[', re.M)
_UUID_RE = re.compile(r'"?\b([0-9a-f]{32})\b"?')  # graphviz quotes ids that start with a digit


@dataclass(frozen=True)
class DrawnNode:
    """A node as drawn: its id, its label on one line, its stage and its Graphviz attributes."""

    id: str
    label: str
    stage: Stage | None
    attrs: dict


@dataclass(frozen=True)
class DrawnEdge:
    """An edge as drawn, between two node ids."""

    tail: DrawnNode
    head: DrawnNode
    attrs: dict

    @property
    def flow(self) -> bool:
        return "invis" not in self.attrs.get("style", "")  # layout helpers are not flows


@dataclass
class Drawing:
    """What a diagram function drew: its DOT source, and its nodes and edges, from which its
    text description and the per-stage views are made."""

    title: str
    source: str
    direction: str = "LR"
    stages: list[Stage] = field(default_factory=list)
    nodes: list[DrawnNode] = field(default_factory=list)
    edges: list[DrawnEdge] = field(default_factory=list)
    components: list = field(default_factory=list)  # the Components it drew
    cluster_labels: list[str] = field(default_factory=list)

    def description(self) -> str:
        """Return the diagram in words, for screen readers and alt text."""
        parts = [f"{self.title}."]
        for stage in self.stages:
            names = [n.label for n in self.nodes if n.stage is stage]
            parts.append(f"Stage {stage.number}, {stage.title}: {', '.join(names)}.")
        loose = [n.label for n in self.nodes if n.stage is None]
        if loose:
            parts.append(f"Outside the stages: {', '.join(loose)}.")
        flows = [e for e in self.edges if e.flow]
        if flows:
            parts.append("Flows: " + "; ".join(f"{e.tail.label} to {e.head.label}"
                                               for e in flows) + ".")
        return " ".join(parts)

    def labels(self) -> list[str]:
        """Return every label drawn: nodes', edges' and clusters' (for TODO checks)."""
        return ([n.label for n in self.nodes] + [str(e.attrs.get("label", "")) for e in self.edges]
                + self.cluster_labels)


def wrap_label(label: str, width: int = LABEL_WIDTH) -> str:
    """Return label wrapped to lines of at most width characters, keeping its own breaks."""
    lines = []
    for line in label.split("\n"):
        lines.extend(textwrap.wrap(line, width, break_on_hyphens=False, break_long_words=False)
                     or [""])
    return "\n".join(lines)


class Canvas(Diagram):
    """A Diagram that records nodes and edges and never renders, opens or writes anything."""

    def __init__(self, title: str, direction: str):
        super().__init__(name="", filename="unused", direction=direction, show=False,
                         graph_attr=GRAPH_ATTR, node_attr=NODE_ATTR, edge_attr=EDGE_ATTR)
        self.drawing = Drawing(title, "", direction)
        self.clusters = 0
        self.drawn: dict[str, DrawnNode] = {}  # node id -> node, for edges and views
        self.component_nodes: dict[str, object] = {}  # component id -> its diagrams node

    def __exit__(self, exc_type, exc_value, tb):
        setdiagram(None)  # deliberately skip Diagram.__exit__, which renders and writes files

    def node(self, nodeid: str, label: str, **attrs) -> None:
        super().node(nodeid, **self.prepare_node(nodeid, label, None, attrs))

    def prepare_node(self, nodeid: str, label: str, stage: Stage | None, attrs: dict) -> dict:
        """Wrap the label, grow an icon node to fit it, record it, and link it to its stage."""
        check_links(f"node '{' '.join(label.split())}'", {"label": label, **attrs})
        wrapped = wrap_label(label)
        if "image" in attrs:  # room for a 1.5 in icon and two lines; 0.2 in per further line
            lines = wrapped.split("\n")
            attrs["height"] = f"{1.9 + 0.2 * max(0, len(lines) - 2):.2f}"
            longest = max(len(line) for line in lines)
            if longest > LABEL_WIDTH:  # a long word or an explicit line: widen, never cut
                attrs["width"] = f"{0.105 * longest:.2f}"
        if stage is not None:
            attrs.setdefault("tooltip", f"{label} (stage {stage.number}: {stage.title})")
            attrs.setdefault("URL", f"index.html#{stage.anchor}")  # the design's web page
            attrs.setdefault("target", "_top")
        attrs = {"label": wrapped, **attrs}
        node = DrawnNode(nodeid, " ".join(label.split()), stage, attrs)
        self.drawn[nodeid] = node
        self.drawing.nodes.append(node)
        return attrs

    def connect(self, node, node2, edge) -> None:
        names = [" ".join(n.label.split()) for n in (node, node2)]
        for name, n in zip(names, (node, node2)):
            # diagrams calls the left node's diagram, and Graphviz invents a blank box for an
            # id it has not seen: both hide that a node was drawn in another diagram
            if n._diagram is not getdiagram():
                raise DesignError(f"edge from '{names[0]}' to '{names[1]}': node '{name}' belongs "
                                  f"to another diagram: draw the node again in this one")
        attrs = {**edge.attrs}
        check_links(f"edge from '{names[0]}' to '{names[1]}'", attrs)
        for key in ("fontname", "fontsize"):  # diagrams' Edge sets its own; use ours
            if attrs.get(key) == Edge._default_edge_attrs[key]:
                attrs[key] = EDGE_ATTR[key]
        tail, head = (self.drawn.get(n.nodeid) for n in (node, node2))
        if tail and head:  # nodes of a plain Cluster are not recorded
            self.drawing.edges.append(DrawnEdge(tail, head, attrs))
        self.dot.edge(node.nodeid, node2.nodeid, **attrs)

    def use_stage(self, stage: Stage) -> None:
        if stage not in self.drawing.stages:
            self.drawing.stages.append(stage)

    def finish(self) -> Drawing:
        """Add the legend and return the drawing with deterministic DOT source."""
        self.drawing.stages.sort(key=lambda s: s.number)  # the legend reads in framework order
        if self.drawing.stages:
            self.dot.graph_attr["label"] = legend(self.drawing.stages)
        self.drawing.source = stable_ids(self.dot.source)
        return self.drawing


class StageCluster(Cluster):
    """A cluster filled in its framework stage's colour; its nodes link to the stage."""

    def __init__(self, stage: Stage, label: str, canvas: Canvas):
        super().__init__(label, graph_attr={
            "bgcolor": stage.fill, "pencolor": stage.border, "penwidth": "1.6",
            "fontcolor": stage.border, "fontname": FONT, "fontsize": "13", "style": "rounded",
            "margin": "14", "labelloc": "t",
        })
        canvas.clusters += 1
        self.dot.name = f"cluster_{canvas.clusters}"  # labels may repeat; names must not
        self.stage, self.canvas = stage, canvas
        canvas.use_stage(stage)
        canvas.drawing.cluster_labels.append(label)

    def node(self, nodeid: str, label: str, **attrs) -> None:
        super().node(nodeid, **self.canvas.prepare_node(nodeid, label, self.stage, attrs))


def stage(stage_id: str, label: str = "") -> StageCluster:
    """Open a cluster for a framework stage (data, model, serving, monitoring, ...)."""
    canvas = getdiagram()
    if not isinstance(canvas, Canvas):
        raise DesignError("stage() is only valid inside a function registered with "
                          "@case.diagram: move it into one")
    try:
        found = get_stage(stage_id)
    except KeyError as exc:
        raise DesignError(f"stage(): {exc.args[0]}") from None
    check_links(f"stage {stage_id!r}", {"label": label})
    return StageCluster(found, label or found.title, canvas)


def component_node(component, attrs: dict):
    """Return a component's node in the diagram being drawn, drawing it on first use: the same
    id, tooltip and link in every diagram."""
    canvas = getdiagram()
    if not isinstance(canvas, Canvas):
        raise DesignError(f"component '{component.label}' is drawn outside a diagram: call it "
                          f"inside a function registered with @case.diagram")
    if component.id not in canvas.component_nodes:
        stage = get_stage(component.stage)
        attrs = {"tooltip": f"{component.label} (stage {stage.number}: {stage.title})",
                 "URL": f"index.html#{component.anchor}", "target": "_top",
                 "id": component.id, **attrs}  # the SVG element's id, in every diagram
        canvas.component_nodes[component.id] = component.icon(
            component.label, nodeid=component.id, **attrs)
        canvas.drawing.components.append(component)
    return canvas.component_nodes[component.id]


def check_links(what: str, attrs: dict) -> None:
    """Refuse link attributes (URL, href, ...) that are not relative or https, here or in labels."""
    for key, value in attrs.items():
        value = str(value)
        found = [(key, value)] if key.lower().endswith(("url", "href")) else []
        if value.startswith("<") and value.endswith(">"):  # Graphviz reads it as HTML-like
            found += [(k, v or w) for k, v, w in _LINK_ATTR_RE.findall(value)]
        for name, url in found:
            if problem := link_problem(url, image=name.lower() == "src"):
                raise DesignError(f"{what}: {name}: {problem}")


def legend(stages: list[Stage]) -> str:
    """Return an HTML-like Graphviz label: one swatch per stage the diagram uses."""
    cells = "".join(
        f'<td bgcolor="{s.fill}" color="{s.border}" border="1" cellpadding="5">'
        f'<font color="{s.border}">{s.number} · {html.escape(s.title)}</font></td>'
        for s in stages)
    return (f'<<table border="0" cellspacing="6"><tr><td>Framework stages:</td>'
            f'{cells}</tr></table>>')


def stable_ids(source: str) -> str:
    """Replace diagrams' random node ids with n1, n2, ... in order of first appearance."""
    ids: dict[str, str] = {}
    return _UUID_RE.sub(lambda m: ids.setdefault(m.group(1), f"n{len(ids) + 1}"), source)


def draw(spec: DiagramSpec) -> Drawing:
    """Run a diagram function on a fresh Canvas and return what it drew."""
    canvas = Canvas(spec.title, spec.direction)
    try:
        with canvas:
            spec.draw()
    except DesignError as exc:
        exc.location = exc.location or traceback_location(exc, spec.location.path, spec.location)
        raise
    except (Exception, SystemExit) as exc:
        raise DesignError(
            f"diagram '{spec.title}' raised {type(exc).__name__}: {exc}: fix the drawing code",
            traceback_location(exc, spec.location.path, spec.location)) from exc
    if not canvas.drawing.nodes and not _NODE_STATEMENT_RE.search(canvas.dot.source):
        raise DesignError(f"diagram '{spec.title}' draws no nodes: add at least one node",
                          spec.location)
    drawing = canvas.finish()
    # nodes of a plain Cluster and a Cluster's own attributes bypass the Canvas's checks
    for key, url, quoted in _LINK_ATTR_RE.findall(drawing.source):
        if problem := link_problem(url or quoted, image=key.lower() == "src"):
            raise DesignError(f"diagram '{spec.title}': {key}: {problem}", spec.location)
    for url in _URL_ICON_RE.findall(drawing.source):
        raise DesignError(f"diagram '{spec.title}': icon '{url}' is a URL, and builds never use "
                          f"the network: download it beside the design and pass its path",
                          spec.location)
    return drawing

