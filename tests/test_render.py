"""Diagrams: one layout for all formats, portable deterministic SVG, accessible text."""
from __future__ import annotations

import re

import pytest

from conftest import FIXTURES, needs_graphviz
from mlsd.build import build
from mlsd.drawing import draw, stable_ids, wrap_label
from mlsd.errors import RenderError
from mlsd.loader import load_design
from mlsd.render import render_dot

pytestmark = needs_graphviz


def test_svg_is_self_contained(built):
    for svg in built.glob("*/*.svg"):
        text = svg.read_text()
        assert "data:image/png;base64," in text
        assert not re.search(r'xlink:href="(/|file:)', text), svg
        assert "site-packages" not in text and str(FIXTURES) not in text


def test_svg_has_title_and_description(built):
    text = (built / "spam-filter" / "system-architecture.svg").read_text()
    assert '<title id="mlsd-title">System architecture</title>' in text
    desc = re.search(r'<desc id="mlsd-desc">(.*?)</desc>', text).group(1)
    assert desc.startswith("System architecture. Stage 3, Data preparation: Mail events, "
                           "Feature store.")
    assert "Flows: Mail events to Feature store;" in desc


def test_png_dot_and_svg_come_from_one_design(built):
    folder = built / "spam-filter"
    assert (folder / "system-architecture.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dot = (folder / "system-architecture.dot").read_text()
    assert dot.startswith("digraph") and "n1 [" in dot
    assert not re.search(r"\b[0-9a-f]{32}\b", dot)


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        build(FIXTURES / "designs", out, formats=("svg", "md", "html", "json", "dot"))
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    # the design's 2 diagrams and 4 stage views (SVG, DOT) and 3 pages, the home page, the
    # cheat sheet and the manifest
    assert len(files) == 18
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_stage_nodes_link_to_their_section_with_a_tooltip(built):
    text = (built / "spam-filter" / "system-architecture.svg").read_text()
    assert 'xlink:href="index.html#stage-7-monitoring"' in text
    assert 'xlink:title="Dashboards (stage 7: Monitoring and infrastructure)"' in text


def test_wrap_label_keeps_words_and_breaks():
    assert wrap_label("Approximate nearest neighbour index") == "Approximate\nnearest\nneighbour\nindex"
    assert wrap_label("Recommendations service") == "Recommendations\nservice"  # words stay whole
    assert wrap_label("Two\nlines") == "Two\nlines"


def test_stable_ids_number_in_order_of_appearance():
    a, b = "a" * 32, "b" * 32
    assert stable_ids(f'{b} -> "{a}"; {b}') == "n1 -> n2; n1"


def test_graphviz_failure_is_one_line(fixture_designs):
    with pytest.raises(RenderError, match="^Graphviz failed on diagram 'broken': .*: "
                                          "check the node attributes and labels$"):
        render_dot("digraph { a [shape=", ["svg"], title="t", description="d", name="broken")


def test_missing_graphviz_says_how_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RenderError, match="Graphviz is not installed .*apt-get install graphviz"):
        render_dot("digraph {}", ["svg"], title="t", description="d")


def test_drawing_records_stages_in_order(fixture_designs):
    case = load_design(fixture_designs / "spam_filter.py")
    drawing = draw(case.diagrams[0])
    assert [s.id for s in drawing.stages] == ["data", "model", "serving", "monitoring"]
