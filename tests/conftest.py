"""Shared fixtures: a CLI runner, the fixture designs, and a build of them made once."""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd.build import build
from mlsd.config import Settings
from mlsd.serve import serve

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


def wait_for(condition, seconds: float = 30):
    """Return condition()'s first true value, polling; fail when it never comes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := condition()):
            return value
        time.sleep(0.1)
    pytest.fail("the server did not rebuild in time")


def write_design(folder: Path, name: str, body: str) -> Path:
    """Write a design module into folder and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def live(tmp_path):
    """Start a server on a free port over a one-design folder; yield (designs, base URL)."""
    designs = tmp_path / "designs"
    write_design(designs, "spam_filter.py", (FIXTURES / "designs" / "spam_filter.py").read_text())
    ready, stop, port = threading.Event(), threading.Event(), []
    settings = Settings(designs=designs, output=tmp_path / "unused")
    thread = threading.Thread(target=serve, args=(settings, 0),
                              kwargs={"on_ready": lambda p: (port.append(p), ready.set()),
                                      "stop": stop}, daemon=True)
    thread.start()
    assert ready.wait(60)
    yield designs, f"http://127.0.0.1:{port[0]}"
    stop.set()
    thread.join(10)


