"""The authoring guide documents every public field of the declared types and every ML node."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import mlsd
import mlsd.nodes
from mlsd.scale import Scale

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"

DECLARED = [
    mlsd.CaseStudy, mlsd.Requirements, mlsd.Framing, mlsd.DataPreparation,
    mlsd.ModelDevelopment, mlsd.Evaluation, mlsd.Serving, mlsd.Monitoring,
    mlsd.Metric, mlsd.Feature, mlsd.Candidate, mlsd.Pipeline, Scale, mlsd.Component,
]


def public_fields(cls) -> list[str]:
    """Return the names of the fields an author passes to cls."""
    return [f.name for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_")]


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize("cls", DECLARED, ids=lambda c: c.__name__)
def test_every_public_field_is_documented(cls, guide: str) -> None:
    assert f"`{cls.__name__}`" in guide, f"{cls.__name__} is not named in {GUIDE.name}"
    fields = public_fields(cls)
    assert fields, f"{cls.__name__} has no public fields: is it still a dataclass?"
    missing = [name for name in fields if f"`{name}`" not in guide]
    assert not missing, f"{GUIDE.name} does not document {cls.__name__} fields: {missing}"


def test_every_ml_node_is_named(guide: str) -> None:
    missing = [name for name in mlsd.nodes.__all__ if f"`{name}`" not in guide]
    assert not missing, f"{GUIDE.name} does not name the ML nodes {missing}"
