"""Shared fixtures: a CLI runner, the fixture designs, and a build of them made once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd.build import build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DESIGNS = ROOT / "designs"

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None,
                                    reason="Graphviz 'dot' is not installed")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fixture_designs() -> Path:
    return FIXTURES / "designs"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Build the fixture designs once, in every text and diagram format."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' is not installed")
    out = tmp_path_factory.mktemp("built")
    result = build(FIXTURES / "designs", out, formats=("svg", "png", "dot", "md", "html", "json", "pdf"))
    assert not result.errors, result.errors
    return out


def write_design(folder: Path, name: str, body: str) -> Path:
    """Write a design module into folder and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path
