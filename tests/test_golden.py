"""Golden output: the fixture design's Markdown, HTML and JSON match the checked-in copies.

After an intended change, refresh them with: MLSD_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
FILES = ["spam-filter/README.md", "spam-filter/index.html", "spam-filter/design.json",
         "index.html"]


@pytest.mark.parametrize("name", FILES)
def test_matches_golden(built, name):
    produced = (built / name).read_text(encoding="utf-8")
    golden = GOLDEN / name
    if os.environ.get("MLSD_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")


def test_html_escapes_design_text_and_renders_inline_markdown(built):
    page = (built / "spam-filter" / "index.html").read_text()
    assert "Flag unwanted email before it reaches the <em>inbox</em>." in page
    assert 'alt="System architecture. Stage 3, Data preparation' in page


def test_markdown_links_images_relatively(built):
    readme = (built / "spam-filter" / "README.md").read_text()
    assert "](system-architecture.svg)" in readme and "](/" not in readme
