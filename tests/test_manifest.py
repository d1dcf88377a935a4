"""The manifest is committed with output/, so it is untrusted: paths in it never lead a build
outside the output folder, and a malformed entry is dropped with a warning and rebuilt."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, needs_graphviz, write_design
from mlsd.build import build
from mlsd.manifest import NAME, Manifest, safe_rel

pytestmark = needs_graphviz
SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()
FORMATS = ("svg", "md", "html")


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path]:
    designs, out = tmp_path / "designs", tmp_path / "out"
    write_design(designs, "spam_filter.py", SPAM)
    assert build(designs, out, formats=FORMATS).errors == []
    return designs, out


def _edit_manifest(out: Path, change) -> None:
    data = json.loads((out / NAME).read_text())
    change(data)
    (out / NAME).write_text(json.dumps(data))


@pytest.mark.parametrize("rel", ["spam-filter/../../victim.md", "/ABS/victim.md",
                                 "spam-filter/./x.md", "spam-filter\\..\\x.md", "spam-filter/\n"])
def test_a_path_leaving_the_output_folder_is_never_deleted(project, tmp_path, rel):
    designs, out = project
    victim = tmp_path / "victim.md"
    victim.write_text("keep me")
    rel = rel.replace("/ABS", str(tmp_path))
    entry = {"made_from": "x", "digest": "y"}
    _edit_manifest(out, lambda d: d["designs"]["spam_filter.py"]["outputs"].update({rel: entry}))
    write_design(designs, "spam_filter.py", SPAM.replace("Rules only", "Hand-written rules"))
    report = build(designs, out, formats=FORMATS)
    assert report.errors == [] and victim.read_text() == "keep me"
    assert report.built == ["spam-filter"]  # its entry was dropped, so it was built again


def test_a_symlink_out_of_the_output_folder_is_not_followed(project, tmp_path):
    designs, out = project
    victim = tmp_path / "victim.md"
    victim.write_text("keep me")
    readme = out / "spam-filter" / "README.md"
    readme.unlink()
    readme.symlink_to(victim)
    (designs / "spam_filter.py").unlink()  # the design is gone: its files are removed
    build(designs, out, formats=FORMATS)
    assert victim.read_text() == "keep me"


@pytest.mark.parametrize("change", [
    lambda d: d["designs"].update({"spam_filter.py": 5}),
    lambda d: d["designs"]["spam_filter.py"].update({"inputs": ["not", "a", "dict"]}),
    lambda d: d["designs"]["spam_filter.py"]["card"].update({"diagrams": "nope"}),
    lambda d: d["designs"]["spam_filter.py"].update({"slug": "../elsewhere"}),
    lambda d: d["files"].update({"index.html": {"made_from": 1}}),
], ids=["entry", "inputs", "card", "slug", "files"])
def test_a_malformed_entry_is_rebuilt_with_a_warning(project, change, caplog):
    designs, out = project
    _edit_manifest(out, change)
    report = build(designs, out, formats=FORMATS)
    assert report.errors == [] and not report.up_to_date
    assert (out / "spam-filter" / "README.md").is_file()
    assert build(designs, out, formats=FORMATS).up_to_date  # and the manifest is whole again


def test_garbage_or_an_old_schema_means_a_full_rebuild(project):
    designs, out = project
    for text in ("not json", "[]", '{"schema": 1, "designs": {}}'):
        (out / NAME).write_text(text)
        report = build(designs, out, formats=FORMATS)
        assert report.built == ["spam-filter"] and report.errors == []


def test_a_hand_edited_output_is_rebuilt_as_check_says(project, runner):
    from mlsd.cli import main

    designs, out = project
    page = out / "spam-filter" / "index.html"
    page.write_text("edited by hand")
    args = ["build", "--designs", str(designs), "--out", str(out), "--format", ",".join(FORMATS)]
    check = runner.invoke(main, [*args, "--check"])
    assert check.exit_code == 1 and "spam-filter/index.html: stale" in check.stdout
    assert build(designs, out, formats=FORMATS).built == ["spam-filter"]
    assert page.read_text() != "edited by hand"
    assert runner.invoke(main, [*args, "--check"]).exit_code == 0


def test_a_renamed_design_leaves_no_old_folder(project):
    designs, out = project
    write_design(designs, "spam_filter.py", SPAM.replace('slug="spam-filter"', 'slug="junk"'))
    report = build(designs, out, formats=FORMATS)
    assert not (out / "spam-filter").exists() and (out / "junk" / "README.md").is_file()
    assert "spam-filter/README.md" in report.removed


def test_a_broken_design_keeps_its_last_good_pages_marked(project):
    designs, out = project
    write_design(designs, "spam_filter.py", SPAM + "\nraise ValueError('oops')\n")
    report = build(designs, out, formats=FORMATS)
    assert len(report.errors) == 1
    assert (out / "spam-filter" / "README.md").is_file()
    home = (out / "index.html").read_text()
    assert "Spam filter" in home and "does not build at the moment" in home
    assert Manifest.read(out).designs["spam_filter.py"].error


def test_safe_rel():
    assert safe_rel("a/b.svg") and safe_rel("index.html")
    for bad in ("", "/etc/passwd", "../x", "a/../../x", "a\\b", "a\0b", "a/./b", "a//b", 5):
        assert not safe_rel(bad), bad
