"""The model: components declared once, drawn anywhere, sized, timed, named in prose, checked."""
from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURES, needs_graphviz, write_design
from mlsd.build import build
from mlsd.capacity import capacity
from mlsd.check import check_case
from mlsd.cli import main
from mlsd.errors import DesignError
from mlsd.loader import load_design

SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()
SECOND = '''

@case.diagram("Scoring path", stage="serving")
def scoring_path():
    with stage("serving", "One message"):
        lookup() >> scorer()
'''


def _load(tmp_path, body: str, name: str = "spam_filter.py"):
    return load_design(write_design(tmp_path / "designs", name, body))


def _messages(case) -> list[str]:
    return [f"{p.stage}: {p.message}" for p in check_case(case)]


def test_a_fleet_is_sized_from_the_whole_time_on_its_host(tmp_path):
    rows = {r.figure: r for r in capacity(_load(tmp_path, SPAM))}
    fleet = rows["scoring_hosts.replicas"]
    # 40 M requests a day, 3x peak: 1,389 QPS; 15 ms on the host; 4 in flight at 60%
    assert fleet.value == 9 and fleet.unit == "replicas"
    assert fleet.formula == "⌈1.39 k QPS × (10 ms + 5 ms) ÷ (4 in flight × 60% utilisation)⌉"
    assert rows["sender_lookup.size"].value == 50e6 * 200


def test_jobs_and_stores_are_sized(tmp_path):
    body = SPAM.replace('scorer = Component(', '''embedder = Component("Nightly embedder", ModelServer, stage="model",
                     hardware="GPU", items_per_day=864e6, per_second=1000)
archive = Component("Mail archive", FeatureStore, stage="data", items=1e9,
                    items_per_day=40e6, bytes_per_item=5000)
scorer = Component(''').replace('case = CaseStudy(', 'case = CaseStudy(components=[embedder, archive],')
    rows = {r.figure: r for r in capacity(_load(tmp_path, body))}
    assert rows["nightly_embedder.hours"].value == pytest.approx(240)  # GPU-hours a day
    assert rows["nightly_embedder.machines"].value == 10
    assert rows["mail_archive.size"].value == 5e12
    assert rows["mail_archive.growth"].value == 40e6 * 5000 * 365


def test_the_latency_path_takes_the_slowest_branch_and_meets_its_target(tmp_path):
    body = SPAM.replace('latency_path=[lookup, scorer, ("Routing", 5)]',
                        'latency_path=[parallel(lookup, ("Rules", 30)), scorer, ("Routing", 5)]')
    body = body.replace("from mlsd import (", "from mlsd import (parallel, ")
    case = _load(tmp_path, body)
    assert case.serving.total_latency_ms == 30 + 5 + 5
    slow = _load(tmp_path, body.replace("latency_target_ms=50", "latency_target_ms=35"))
    line = next(i for i, text in enumerate(body.splitlines(), 1) if "latency_path=" in text)
    [problem] = [p for p in check_case(slow) if "over its" in p.message]
    assert problem.location.line == line
    assert problem.message == ("the latency path takes 40 ms, over its 35 ms target: cut a step "
                               "or run steps in parallel")


def test_a_component_on_the_path_must_be_drawn_and_a_declared_one_should_be(tmp_path):
    body = SPAM.replace("        sender = lookup()\n", "").replace("    sender >> server\n", "")
    assert "serving: component 'Sender lookup' is on the latency path or in a pipeline, but no " \
           "diagram draws it: call the component in a diagram function to draw it" in _messages(_load(tmp_path, body))
    unused = SPAM.replace('case = CaseStudy(', '''spare = Component("Spare cache", FeatureStore, stage="serving")
case = CaseStudy(components=[spare],''')
    problems = check_case(_load(tmp_path, unused))
    assert [(p.stage, p.warning) for p in problems] == [("components", True)]


def test_check_exits_0_on_warnings_alone_and_1_with_strict(tmp_path, runner):
    write_design(tmp_path / "designs", "spam_filter.py", SPAM.replace('case = CaseStudy(', '''
spare = Component("Spare cache", FeatureStore, stage="serving")
case = CaseStudy(components=[spare],'''))
    result = runner.invoke(main, ["check", "--designs", str(tmp_path / "designs")])
    assert result.exit_code == 0 and "warning: component 'Spare cache' is declared" in result.output
    strict = runner.invoke(main, ["check", "--strict", "--designs", str(tmp_path / "designs")])
    assert strict.exit_code == 1


def test_a_figure_named_in_prose_must_exist(tmp_path):
    body = SPAM.replace("{scoring_hosts.replicas}", "{scoring_host.replicas}")
    line = next(i for i, text in enumerate(body.splitlines(), 1) if "placement=" in text)
    [problem] = check_case(_load(tmp_path, body))
    assert (problem.stage, problem.location.line) == ("serving", line)
    assert problem.message.startswith("'placement' names the figure {scoring_host.replicas}, "
                                      "which this design does not have: use one of ")


def test_a_todo_in_a_diagram_fails_check(tmp_path):
    body = SPAM.replace('Grafana("Dashboards")', 'Grafana("TODO: your dashboards")')
    assert any("still says TODO in 'TODO: your dashboards'" in m
               for m in _messages(_load(tmp_path, body)))
    cluster = SPAM.replace('stage("monitoring", "Monitoring")', 'stage("monitoring", "TODO")')
    assert any("still says TODO in 'TODO'" in m for m in _messages(_load(tmp_path, cluster)))


def test_errors_name_the_item_the_keyword_and_the_misplaced_node(tmp_path):
    body = SPAM.replace('offline=[Metric("PR-AUC", "Classes are imbalanced."),',
                        'offline=["PR-AUC",')
    with pytest.raises(DesignError) as item:
        _load(tmp_path, body)
    assert "field 'offline' item 1 should be Metric(name, why), got str 'PR-AUC'" in str(item.value)
    typo = SPAM.replace("functional=[", "fuctional=[")
    line = next(i for i, text in enumerate(typo.splitlines(), 1) if "fuctional=" in text)
    from mlsd.loader import load_all
    write_design(tmp_path / "typo", "spam_filter.py", typo)
    [loaded] = load_all(tmp_path / "typo")
    assert str(loaded.error).endswith(
        f"spam_filter.py:{line}: Requirements has no field 'fuctional': did you mean "
        f"functional?")
    outside = SPAM + '\nfrom diagrams.onprem.client import User as U\nU("Loose")\n'
    write_design(tmp_path / "outside", "spam_filter.py", outside)
    [loaded] = load_all(tmp_path / "outside")
    assert "a diagrams node is made outside a diagram" in str(loaded.error)


def test_triple_quoted_text_reads_as_prose(tmp_path):
    body = SPAM.replace('bias="Heavy reporters are over-represented.",', '''bias="""
            Heavy reporters are
            over-represented.

            A second paragraph.
            """,''')
    assert _load(tmp_path, body).data.bias == ("Heavy reporters are over-represented.\n\n"
                                               "A second paragraph.")


@needs_graphviz
def test_one_component_one_node_in_every_diagram_and_views_per_stage(tmp_path):
    designs, out = tmp_path / "designs", tmp_path / "out"
    write_design(designs, "spam_filter.py", SPAM + SECOND)
    assert build(designs, out, formats=("svg", "html", "json", "md")).errors == []
    folder = out / "spam-filter"
    for name in ("system-architecture.svg", "scoring-path.svg"):
        svg = (folder / name).read_text()
        assert re.search(r'<g id="spam(-|&#45;)scorer" class="node">', svg), name  # XML escape
        assert 'xlink:href="index.html#component-spam-scorer"' in svg
    page = (folder / "index.html").read_text()
    assert 'id="component-spam-scorer"' in page
    assert "CPU service next to the mail transfer agents: 9 replicas at 1.39 k QPS." in page
    serving = page[page.index('id="stage-6-serving"'):page.index('id="stage-7-monitoring"')]
    assert 'data="view-serving.svg"' in serving  # the stage's own view, derived
    assert (folder / "view-serving.svg").is_file() and not (folder / "view-serving.png").exists()
    model = json.loads((folder / "design.json").read_text())
    [scorer] = [c for c in model["components"] if c["id"] == "spam-scorer"]
    assert scorer["views"] == ["system-architecture", "scoring-path", "view-serving"]
    assert {"figure": "scoring_hosts.replicas", "value": 9}.items() <= \
        next(r for r in model["capacity"] if r["figure"] == "scoring_hosts.replicas").items()
    assert model["latency"]["target_ms"] == 50 and model["latency"]["total_ms"] == 20
    assert {v["slug"] for v in model["views"]} == {"view-data", "view-model", "view-serving",
                                                   "view-monitoring"}


def test_a_fresh_scaffold_fails_check_on_every_line_that_says_todo(tmp_path, runner):
    from mlsd.pages import environment
    from mlsd.scaffold import new_design

    path = new_design("Card fraud", tmp_path / "designs", environment())
    todo = {n for n, line in enumerate(path.read_text().splitlines(), 1) if "TODO" in line}
    reported = {p.location.line for p in check_case(load_design(path))}
    assert todo and todo <= reported
