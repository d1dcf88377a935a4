"""mlsd render: plain diagrams scripts (the documentation's examples) to portable SVG and PNG."""
from __future__ import annotations

import re
import shutil

import pytest

from conftest import FIXTURES, needs_graphviz
from mlsd.cli import main
from mlsd.errors import DesignError
from mlsd.scripts import render_script

pytestmark = needs_graphviz
SCRIPTS = sorted((FIXTURES / "scripts").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_documentation_example_renders_portably(script, tmp_path):
    copy = tmp_path / "src" / script.name
    copy.parent.mkdir()
    shutil.copy(script, copy)
    files = render_script(copy, tmp_path / "out", ["svg", "png"])
    assert {p.suffix for p in files} == {".svg", ".png"}
    for svg in (p for p in files if p.suffix == ".svg"):
        text = svg.read_text()
        assert "data:image/png;base64," in text
        assert not re.search(r'xlink:href="(/|file:)', text) and "site-packages" not in text
        assert not re.search(r"\b[0-9a-f]{32}\b", text)
    assert sorted(p.name for p in copy.parent.iterdir()) == [script.name]  # nothing written there
    again = render_script(copy, tmp_path / "again", ["svg"])
    assert again[0].read_bytes() == (tmp_path / "out" / again[0].name).read_bytes()


def test_show_true_and_relative_filename_are_tamed(tmp_path, runner):
    script = FIXTURES / "scripts" / "advanced_web_service.py"
    result = runner.invoke(main, ["render", str(script), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["advanced_web_service.png",
                                                          "advanced_web_service.svg"]


def test_failing_script_is_one_located_line(tmp_path, runner):
    script = tmp_path / "bad.py"
    script.write_text("from diagrams import Diagram\n\nwith Diagram('x', show=False):\n"
                      "    raise ValueError('broken')\n")
    result = runner.invoke(main, ["render", str(script), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == f"Error: {script}:4: ValueError: broken: fix the script\n"


def test_script_without_diagram(tmp_path):
    script = tmp_path / "empty.py"
    script.write_text("x = 1\n")
    with pytest.raises(DesignError, match="declares no diagram"):
        render_script(script, tmp_path, ["svg"])
