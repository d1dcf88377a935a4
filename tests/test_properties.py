"""Property tests: any input gives a result or a validation error, never a crash."""
from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st

from mlsd import Metric, Requirements, Scale
from mlsd.drawing import wrap_label
from mlsd.errors import DesignError
from mlsd.model import SLUG_RE, slugify
from mlsd.scale import human

numbers = st.one_of(st.integers(-10**15, 10**15), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=3), st.none())


@given(st.text())
def test_slugify_gives_a_valid_slug_or_nothing(title):
    slug = slugify(title)
    assert slug == "" or SLUG_RE.match(slug)


@given(st.text(), st.integers(5, 40))
def test_wrap_label_keeps_every_character_and_respects_the_width(label, width):
    wrapped = wrap_label(label, width)
    assert "".join(wrapped.split()) == "".join(label.split())
    assert all(len(line) <= width or " " not in line.strip() for line in wrapped.split("\n"))


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["daily_active_users", "requests_per_user",
                                        "peak_to_average", "items", "embedding_dim",
                                        "compressed_bytes_per_item", "log_bytes_per_request",
                                        "latency_ms", "concurrency_per_replica",
                                        "target_utilisation"]), numbers))
def test_scale_gives_finite_estimates_or_a_validation_error(values):
    try:
        scale = Scale(**{"daily_active_users": 1e6, "requests_per_user": 1, **values})
    except DesignError as exc:
        assert str(exc)
        return
    for estimate in scale.estimates():
        assert math.isfinite(estimate.value) and estimate.value >= 0
        assert estimate.text and estimate.formula


@given(st.one_of(st.text(), st.lists(st.text()), st.dictionaries(st.text(), st.text()),
                 st.integers(), st.none()))
def test_model_validation_never_crashes(value):
    for field in ("objective", "questions", "functional"):
        try:
            Requirements(**{field: value})
        except DesignError as exc:
            assert f"field '{field}'" in str(exc)
    try:
        Metric(value, "why")
    except DesignError as exc:
        assert "field 'name'" in str(exc)


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["", "B", "QPS"]))
def test_human_never_crashes(value, unit):
    assert human(value, unit)
