"""Per-stage views, derived from the architecture diagram without any code in the design.

For each stage drawn as a cluster, the view keeps that stage's nodes as they were drawn and
shows each neighbour (a node an edge joins to them) as a small faded stub, so a stage's section
can show its part of the system at a size that reads on paper.
"""
from __future__ import annotations

import graphviz
from diagrams import Diagram

from .drawing import EDGE_ATTR, FONT, GRAPH_ATTR, NODE_ATTR, Drawing, DrawnNode
from .drawing import stable_ids
from .framework import Stage

FADED = "#868E96"


def stage_views(drawing: Drawing) -> list[tuple[Stage, str]]:
    """Return (stage, DOT source) of a view for each stage the drawing has a cluster for."""
    return [(stage, view_source(drawing, stage)) for stage in drawing.stages]


def view_source(drawing: Drawing, stage: Stage) -> str:
    """Return the DOT source of one stage's view: its nodes, and its neighbours as stubs."""
    inside = {n.id: n for n in drawing.nodes if n.stage is stage}
    edges = [e for e in drawing.edges if e.tail.id in inside or e.head.id in inside]
    stubs = {n.id: n for e in edges for n in (e.tail, e.head) if n.id not in inside}
    graph = graphviz.Digraph(  # the same defaults as the diagram the view is taken from
        graph_attr={**Diagram._default_graph_attrs, **GRAPH_ATTR, "rankdir": drawing.direction},
        node_attr={**Diagram._default_node_attrs, **NODE_ATTR},
        edge_attr={**Diagram._default_edge_attrs, **EDGE_ATTR})
    with graph.subgraph(name="cluster_stage", graph_attr=_cluster(stage)) as cluster:
        for node in inside.values():
            cluster.node(node.id, **node.attrs)
    for node in stubs.values():
        graph.node(node.id, **_stub(node))
    for edge in edges:
        both = edge.tail.id in inside and edge.head.id in inside
        graph.edge(edge.tail.id, edge.head.id,
                   **(edge.attrs if both else {**edge.attrs, "style": "dashed",
                                               "color": FADED, "fontcolor": FADED}))
    return stable_ids(graph.source)


def _cluster(stage: Stage) -> dict[str, str]:
    return {"label": f"{stage.number} · {stage.title}", "bgcolor": stage.fill,
            "pencolor": stage.border, "penwidth": "1.6", "fontcolor": stage.border,
            "fontname": FONT, "fontsize": "13", "style": "rounded", "margin": "14",
            "labelloc": "t"}


def _stub(node: DrawnNode) -> dict[str, str]:
    """Return a neighbour's attributes: a small faded box that still links to its stage."""
    attrs = {"label": node.attrs.get("label", node.label), "shape": "box",
             "style": "rounded,dashed", "color": FADED, "fontcolor": FADED, "fontsize": "11",
             "width": "1.2", "height": "0.5", "margin": "0.1", "fixedsize": "false",
             "labelloc": "c"}
    for key in ("URL", "tooltip", "target"):
        if key in node.attrs:
            attrs[key] = node.attrs[key]
    return attrs
