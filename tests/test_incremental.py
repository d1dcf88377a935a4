"""Incremental builds: the manifest skips unchanged work, removes stale files, gates drift."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, needs_graphviz, write_design
from mlsd.build import build
from mlsd.cli import main

pytestmark = needs_graphviz
FORMATS = ("svg", "png", "md", "html", "json")
SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path]:
    designs = tmp_path / "designs"
    write_design(designs, "spam_filter.py", SPAM)
    out = tmp_path / "out"
    build(designs, out, formats=FORMATS)
    return designs, out


def _mtimes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_noop_build_touches_nothing_and_imports_no_design(project, monkeypatch):
    designs, out = project
    before = _mtimes(out)
    monkeypatch.setattr("mlsd.loader.load_design", lambda *a: pytest.fail("imported a design"))
    report = build(designs, out, formats=FORMATS)
    assert report.up_to_date and report.written == [] and report.errors == []
    assert _mtimes(out) == before


def test_edit_rewrites_only_what_changed(project):
    designs, out = project
    write_design(designs, "spam_filter.py", SPAM.replace("Rules only", "Hand-written rules"))
    report = build(designs, out, formats=FORMATS)
    # the home page too: it shows the design's word count
    assert sorted(report.written) == ["index.html", "spam-filter/README.md",
                                      "spam-filter/design.json", "spam-filter/index.html"]


def test_unchanged_diagrams_are_not_laid_out_again(project, monkeypatch):
    designs, out = project
    write_design(designs, "spam_filter.py", SPAM.replace("Rules only", "Hand-written rules"))
    # Workers are forked from this process, so they run the patched function.
    monkeypatch.setattr("mlsd.render.render_dot", lambda *a, **k: pytest.fail("ran dot"))
    report = build(designs, out, formats=FORMATS)
    assert report.errors == [] and report.built == ["spam-filter"]


def test_deleted_design_loses_its_output_but_foreign_files_stay(project):
    designs, out = project
    (out / "notes.txt").write_text("mine")
    (out / "spam-filter" / "extra.txt").write_text("mine too")
    (designs / "spam_filter.py").unlink()
    result = build(designs, out, formats=FORMATS)
    assert "spam-filter/README.md" in result.removed
    assert (out / "notes.txt").is_file() and (out / "spam-filter" / "extra.txt").is_file()
    assert not (out / "spam-filter" / "README.md").exists()


def test_broken_design_keeps_its_previous_output(project):
    designs, out = project
    readme = (out / "spam-filter" / "README.md").read_bytes()
    write_design(designs, "spam_filter.py", SPAM + "\nthis is not python\n")
    result = build(designs, out, formats=FORMATS)
    assert len(result.errors) == 1 and result.removed == []
    assert (out / "spam-filter" / "README.md").read_bytes() == readme


def test_force_rebuilds_everything(project, monkeypatch):
    designs, out = project
    from mlsd.errors import RenderError

    def refuse(*args, **kwargs):
        raise RenderError("laid out again")
    monkeypatch.setattr("mlsd.render.render_dot", refuse)
    assert build(designs, out, formats=FORMATS).up_to_date
    report = build(designs, out, formats=FORMATS, force=True)
    assert [e.message for e in report.errors] == ["laid out again"]


def test_check_names_stale_files(project, runner):
    designs, out = project
    (out / "spam-filter" / "index.html").write_text("edited by hand")
    result = runner.invoke(main, ["build", "--check", "--designs", str(designs), "--out", str(out),
                                  "--format", ",".join(FORMATS)])
    assert result.exit_code == 1
    assert result.stdout == (f"{out / 'spam-filter' / 'index.html'}: stale: "
                             f"run 'mlsd build' and commit the result\n")


def test_check_passes_on_fresh_output_and_writes_nothing(project, runner):
    designs, out = project
    before = _mtimes(out)
    result = runner.invoke(main, ["build", "--check", "--designs", str(designs), "--out", str(out),
                                  "--format", ",".join(FORMATS)])
    assert result.exit_code == 0, result.output
    assert _mtimes(out) == before


def test_no_temporary_or_staging_files_are_left(project):
    designs, out = project
    write_design(designs, "spam_filter.py", SPAM.replace("Rules only", "Hand-written rules"))
    build(designs, out, formats=FORMATS)
    root = out.parent
    assert [p for p in root.rglob("*") if p.name.endswith(".tmp") or "staging" in p.name] == []


def test_unchanged_designs_are_neither_drawn_nor_filled_again(project, monkeypatch):
    designs, out = project
    other = SPAM.replace('slug="spam-filter"', 'slug="other"')
    write_design(designs, "other.py", other)
    build(designs, out, formats=FORMATS)
    write_design(designs, "other.py", other.replace("Rules only", "Hand-written rules"))
    import mlsd.drawing
    draw = mlsd.drawing.draw

    def draw_only_other(spec):
        assert "spam_filter" not in spec.location.path, "drew the unchanged design"
        return draw(spec)
    monkeypatch.setattr("mlsd.drawing.draw", draw_only_other)
    report = build(designs, out, formats=FORMATS)
    assert report.errors == [] and report.built == ["other"] and report.reused == ["spam-filter"]
    assert "spam-filter" in (out / "index.html").read_text()


def test_a_helper_is_an_input_of_the_designs_that_import_it(tmp_path):
    designs, out = tmp_path / "designs", tmp_path / "out"
    write_design(designs, "_shared.py", 'ALTERNATIVE = "Rules only"\n')
    write_design(designs, "spam_filter.py", "from _shared import ALTERNATIVE\n" +
                 SPAM.replace('{"Rules only"', "{ALTERNATIVE"))
    write_design(designs, "other.py", SPAM.replace('slug="spam-filter"', 'slug="other"'))
    assert build(designs, out, formats=FORMATS).errors == []
    assert "Rules only" in (out / "spam-filter" / "README.md").read_text()
    write_design(designs, "_shared.py", 'ALTERNATIVE = "Hand-written rules"\n')
    report = build(designs, out, formats=FORMATS)
    assert report.built == ["spam-filter"] and report.reused == ["other"]
    assert "Hand-written rules" in (out / "spam-filter" / "README.md").read_text()


def test_replacing_an_icon_redraws_the_diagrams_that_use_it(tmp_path):
    from PIL import Image

    designs, out = tmp_path / "designs", tmp_path / "out"
    icon = designs / "icons" / "store.png"
    icon.parent.mkdir(parents=True)
    Image.new("RGB", (8, 8), "red").save(icon)
    write_design(designs, "spam_filter.py", SPAM.replace(
        'features = FeatureStore("Feature store")',
        'features = Custom("Feature store", str(Path(__file__).parent / "icons" / "store.png"))')
        .replace("from diagrams.onprem.client import User",
                 "from pathlib import Path\nfrom diagrams.custom import Custom\n"
                 "from diagrams.onprem.client import User"))
    build(designs, out, formats=FORMATS)
    before = (out / "spam-filter" / "system-architecture.svg").read_bytes()
    model = (out / "spam-filter" / "model.svg").read_bytes()
    Image.new("RGB", (8, 8), "blue").save(icon)
    report = build(designs, out, formats=FORMATS)
    assert report.built == ["spam-filter"]
    assert (out / "spam-filter" / "system-architecture.svg").read_bytes() != before
    assert "spam-filter/model.svg" not in report.written
    assert (out / "spam-filter" / "model.svg").read_bytes() == model
