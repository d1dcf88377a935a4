"""[tool.mlsd] defaults, flags that override them, and templates that shadow the built-in ones."""
from __future__ import annotations

from pypdf import PdfReader

from conftest import FIXTURES, needs_graphviz, write_design
from mlsd.cli import main
from mlsd.config import load_settings

SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()


def test_settings_come_from_pyproject(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mlsd]\ndesigns = "mine"\noutput = "site"\npaper = "Letter"\nformats = ["md"]\n')
    settings = load_settings(tmp_path)
    assert settings.designs == tmp_path / "mine" and settings.output == tmp_path / "site"
    assert settings.paper == "Letter" and settings.formats == ["md"]


def test_broken_pyproject_is_one_line(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.mlsd\n")
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'pyproject.toml'}: cannot read [tool.mlsd]")


@needs_graphviz
def test_flags_override_pyproject_and_a_template_shadows_one_file(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    write_design(tmp_path / "mytemplates", "readme.md.j2", "# {{ case.title }} (our house style)\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mlsd]\noutput = "site"\ntemplates = "mytemplates"\nformats = ["md", "html"]\n'
        'paper = "Letter"\n')
    assert runner.invoke(main, ["build"]).exit_code == 0
    assert (tmp_path / "site" / "spam-filter" / "README.md").read_text() == \
        "# Spam filter (our house style)\n"
    assert "<h1>Spam filter</h1>" in (tmp_path / "site" / "spam-filter" / "index.html").read_text()
    assert not list((tmp_path / "site").rglob("*.svg"))  # formats from pyproject

    assert runner.invoke(main, ["build", "--out", "other", "--format", "pdf"]).exit_code == 0
    page = PdfReader(tmp_path / "other" / "worksheet.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 612  # Letter, from pyproject
