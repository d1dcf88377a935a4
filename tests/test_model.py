"""The design model: locations, type validation, slugs, Scale arithmetic and the stage schema."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pytest

from mlsd import CaseStudy, Metric, Requirements, Scale, framework, writeup
from mlsd.errors import DesignError
from mlsd.framework import STAGE_BY_ID, STAGES
from mlsd.loader import load_design
from mlsd.model import slugify
from mlsd.scale import human
from mlsd.sections import Framing, Section, part, schema
from mlsd.writeup import stage_view


def test_framework_has_seven_stages_that_fill_45_minutes():
    assert [s.number for s in STAGES] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.id for s in STAGES] == ["requirements", "framing", "data", "model",
                                      "evaluation", "serving", "monitoring"]
    assert sum(s.minutes for s in STAGES) == 45


def test_declared_objects_remember_file_and_line():
    metric = Metric("nDCG", "ranks matter")
    assert metric.location.path == __file__
    assert metric.location.line == test_declared_objects_remember_file_and_line.__code__.co_firstlineno + 1


def test_wrong_type_names_field_and_location():
    with pytest.raises(DesignError) as info:
        Requirements(questions=["not", "a", "dict"])
    message = str(info.value)
    assert message.startswith(f"{info.value.location}: Requirements: field 'questions' should be "
                              "a dict of text to text, got list")
    assert info.value.location.path == __file__


def test_nested_list_items_are_checked():
    with pytest.raises(DesignError, match="field 'functional' item 2 should be text, got int 3"):
        Requirements(functional=["ok", 3])


def test_bad_slug_suggests_a_good_one():
    with pytest.raises(DesignError, match="like 'my-great-design'"):
        CaseStudy(slug="My Great Design", title="t", summary="s")


@pytest.mark.parametrize("title, slug", [
    ("Visual search", "visual-search"), ("  Ads: CTR!  ", "ads-ctr"), ("Ünïcode café", "n-code-caf"),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_scale_derives_qps_storage_index_and_replicas():
    scale = Scale(daily_active_users=100e6, requests_per_user=10, peak_to_average=3,
                  items=1e9, embedding_dim=256, compressed_bytes_per_item=64,
                  log_bytes_per_request=500, latency_ms=50, concurrency_per_replica=8,
                  target_utilisation=0.5)
    figures = {e.name: e for e in scale.estimates()}
    assert figures["Average load"].value == pytest.approx(100e6 * 10 / 86_400)
    assert figures["Peak load"].value == pytest.approx(3 * 100e6 * 10 / 86_400)
    assert figures["Request logs per year"].value == pytest.approx(100e6 * 10 * 500 * 365)
    assert figures["Embedding index, raw"].value == 1e9 * 256 * 4
    assert figures["Embedding index, raw"].text == "1.02 TB"
    assert figures["Embedding index, compressed"].value == 64e9
    peak = 3 * 100e6 * 10 / 86_400
    assert figures["Serving replicas at peak"].value == math.ceil(peak / (8 * 1000 / 50 * 0.5))
    assert "÷ 86,400 s" in figures["Average load"].formula


def test_scale_omits_figures_without_assumptions():
    names = [e.name for e in Scale(daily_active_users=1e6, requests_per_user=1).estimates()]
    assert names == ["Average load", "Peak load"]


@pytest.mark.parametrize("kwargs, message", [
    ({"daily_active_users": -5}, "'daily_active_users' is -5: scale figures cannot be negative"),
    ({"peak_to_average": 0.5}, "'peak_to_average' must be at least 1"),
    ({"target_utilisation": 2}, "'target_utilisation' must be above 0 and at most 1"),
    ({"requests_per_user": "lots"}, "field 'requests_per_user' should be a number, got str"),
    ({"items": 1e300}, "'items' is 1e\\+300: that is beyond any real system; check the units"),
    ({"latency_ms": float("nan")}, "'latency_ms' is nan: give a finite number"),
])
def test_scale_rejects_impossible_numbers(kwargs, message):
    values = {"daily_active_users": 1e6, "requests_per_user": 2, **kwargs}
    with pytest.raises(DesignError, match=message):
        Scale(**values)


@pytest.mark.parametrize("value, unit, text", [
    (999, "", "999"), (1500, "", "1.5 k"), (2.5e6, "QPS", "2.5 M QPS"), (3e9, "", "3 B"),
    (1.5e12, "B", "1.5 TB"), (12, "B", "12 B"), (0.25, "", "0.25"),
])
def test_human_numbers(value, unit, text):
    assert human(value, unit) == text


def test_diagram_titles_must_be_unique():
    case = CaseStudy(slug="x", title="X", summary="s")
    case.diagram("Overview")(lambda: None)
    with pytest.raises(DesignError, match="two diagrams are titled 'Overview'"):
        case.diagram("Overview")(lambda: None)


def test_diagram_stage_must_exist():
    case = CaseStudy(slug="x", title="X", summary="s")
    with pytest.raises(DesignError, match="unknown stage 'training'"):
        case.diagram("Model", stage="training")


def test_latency_budget_adds_steps_and_takes_the_slowest_parallel_branch():
    from mlsd import Serving
    serving = Serving(latency_budget={"Gateway": 10, "Candidates": {"ANN": 20, "Co-watch": 12},
                                      "Ranker": 40})
    assert serving.total_latency_ms == 70


def test_stage_checklist_and_prompts_come_from_its_sections_schema(monkeypatch):
    @dataclass(kw_only=True)
    class Toy(Section):
        stage_id = "framing"
        aim: str = part("Aim", "aim", "What is the aim?")
        bees: list[str] = part("Bees", "bees", "Which bees?", minimum=3, show="list", empty=list)

    monkeypatch.setitem(framework.SECTIONS, "framing", Toy)
    stage = STAGE_BY_ID["framing"]
    assert stage.section is Toy
    assert stage.must_contain == ("aim", "bees (3+)")  # the optional notes are left out
    assert stage.prompts == ("What is the aim?", "Which bees?")


def test_model_stage_asks_for_two_candidates():
    assert "candidate models (2+)" in STAGE_BY_ID["model"].must_contain
    assert "baseline" in STAGE_BY_ID["model"].must_contain


def test_write_up_headings_come_from_the_schema(fixture_designs, monkeypatch):
    case = load_design(fixture_designs / "spam_filter.py")
    headings = [p.heading for name, p in schema(Framing) if getattr(case.framing, name)]
    stage = STAGES[1]
    assert [b.title for b in stage_view(stage, case.framing).blocks] == headings
    renamed = [(name, replace(p, heading=name.upper())) for name, p in schema(Framing)]
    monkeypatch.setattr(writeup, "schema", lambda cls: renamed)
    assert stage_view(stage, case.framing).blocks[0].title == "ML_OBJECTIVE"
