"""Every shipped design covers the seven stages and passes check (parametrised over designs/)."""
from __future__ import annotations

import pytest

from conftest import DESIGNS
from mlsd.check import check_case, stage_coverage
from mlsd.prose import word_count
from mlsd.loader import load_all, load_design

PATHS = sorted(p for p in DESIGNS.glob("*.py") if not p.name.startswith("_"))


SHIPPED = {"visual-search", "street-view-blurring", "video-search", "harmful-content",
           "video-recommendation", "event-recommendation", "ad-click-prediction",
           "similar-listings", "news-feed", "people-you-may-know"}


def test_the_ten_case_studies_load_with_their_slugs():
    loaded = load_all(DESIGNS)
    assert [item.error for item in loaded if item.error] == []
    assert sorted(item.case.slug for item in loaded) == sorted(SHIPPED)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_design_covers_every_stage_at_full_depth(path):
    case = load_design(path)
    assert [stage.id for stage, section in case.sections() if section is None] == []
    assert [str(p) for p in check_case(case, strict=True)] == []
    assert word_count(case) >= 2000
    assert len(case.diagrams) >= 2
    assert len(case.requirements.questions) >= 3
    assert all(stage_coverage(case).values())
