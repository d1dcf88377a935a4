"""Printable output: PDF text and page counts read with pypdf (never pixels)."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, needs_graphviz
from mlsd.build import build
from mlsd.errors import MlsdError
from mlsd.framework import STAGES
from mlsd.config import paper_size
from mlsd.cards import brief

pytestmark = needs_graphviz


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_handout_has_every_stage_and_its_diagrams(built):
    reader = PdfReader(built / "spam-filter" / "handout.pdf")
    text = _text(built / "spam-filter" / "handout.pdf")
    for stage in STAGES:
        assert f"{stage.number}. {stage.title}" in text
    assert text.count("Framework stages:") == 2  # the legend of each embedded diagram
    assert 2 <= len(reader.pages) <= 12
    assert "Page 1 of" in text and "Average load" in text


def test_wide_diagram_gets_a_landscape_page(built):
    first = PdfReader(built / "spam-filter" / "handout.pdf").pages[0]
    assert first.mediabox.width > first.mediabox.height
    assert "System architecture" in first.extract_text()


def test_casebook_has_cover_contents_with_pages_and_an_index(built):
    text = _text(built / "casebook.pdf")
    assert "ML system design casebook" in text
    assert re.search(r"1\. Spam filter[ .]*\d+", text)
    assert "Index of techniques and metrics" in text
    assert "Logistic regression" in text and "PR-AUC" in text


def _page_of(reader, destination) -> int:
    return reader.get_destination_page_number(destination) + 1


def test_casebook_contents_outline_and_index_point_at_the_right_pages(built):
    reader = PdfReader(built / "casebook.pdf")
    texts = [page.extract_text() for page in reader.pages]
    contents = re.search(r"1\. Spam filter[ .]*(\d+)", texts[1])
    start = int(contents.group(1))
    assert texts[start - 1].lstrip().startswith("Spam filter")
    assert texts[start - 1].rstrip().endswith(str(start))  # the casebook's own page number
    chapter = next(o for o in reader.outline if not isinstance(o, list) and o.title == "Spam filter")
    assert _page_of(reader, chapter) == start
    links = [a.get_object() for a in reader.pages[1]["/Annots"]]
    pages = {reader.get_page_number(a["/Dest"][0].get_object()) + 1 for a in links}
    assert start in pages and "/A" not in links[0]  # internal jumps, not web links
    dests = [a.get_object().get("/Dest") for p in reader.pages for a in p.get("/Annots", [])]
    assert dests and all(isinstance(d, list) for d in dests if d is not None)  # no dead names
    evaluation = re.search(r"PR-AUC\s+Spam filter: stage 5, p\. (\d+)", texts[-1])
    assert "5. Evaluation" in texts[int(evaluation.group(1)) - 1]


def test_editing_one_design_prints_only_its_handout_and_the_casebook(tmp_path):
    designs, out = tmp_path / "designs", tmp_path / "out"
    spam = (FIXTURES / "designs" / "spam_filter.py").read_text()
    (designs).mkdir()
    (designs / "spam_filter.py").write_text(spam)
    (designs / "other.py").write_text(spam.replace('slug="spam-filter"', 'slug="other"'))
    formats = ("svg", "pdf")
    assert build(designs, out, formats=formats).errors == []
    (designs / "other.py").write_text(spam.replace('slug="spam-filter"', 'slug="other"')
                                      .replace("Rules only", "Hand-written rules"))
    report = build(designs, out, formats=formats)
    assert report.built == ["other"]
    assert sorted(r for r in report.written if r.endswith(".pdf")) == ["casebook.pdf",
                                                                        "other/handout.pdf"]
    assert "Hand-written rules" in _text(out / "casebook.pdf")
    # both chapters draw the same icons: the book holds each image once
    import pikepdf

    def images(path) -> int:
        return sum(1 for o in pikepdf.Pdf.open(path).objects
                   if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image")
    assert images(out / "casebook.pdf") == images(out / "other" / "handout.pdf")


def test_cheatsheet_is_one_landscape_page_from_the_declared_model(built):
    reader = PdfReader(built / "cheatsheet.pdf")
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    text = reader.pages[0].extract_text()
    assert "Logistic regression" in text and "1.39 k QPS" in text and "PR-AUC" in text
    assert "Recall at 0.1% FPR" not in text  # only the main metric
    html = (built / "cheatsheet.html").read_text()
    assert '<a href="spam-filter/index.html">Spam filter</a>' in html


def test_worksheet_lists_the_stages_with_minutes(built):
    text = _text(built / "worksheet.pdf")
    for stage in STAGES:
        assert stage.title in text and f"{stage.minutes} min" in text
    assert "45:00" in text


def test_letter_paper(tmp_path):
    build(FIXTURES / "designs", tmp_path, formats=("pdf",), paper="letter")
    page = PdfReader(tmp_path / "worksheet.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert not list(tmp_path.glob("*/*.svg"))  # --format pdf writes only PDFs


def test_unknown_paper_is_refused():
    with pytest.raises(MlsdError, match="unknown paper size 'A5': use A4 or Letter"):
        paper_size("A5")


def test_brief_keeps_whole_sentences_or_words():
    assert brief("Rank **posts**. Then more.") == "Rank posts. Then more."
    long = "Grow the graph with connections people accept. " + "Then word " * 20
    assert brief(long) == "Grow the graph with connections people accept."
    assert brief("word " * 40, 30) == "word word word word word word…"


def test_an_anchor_is_on_the_page_where_its_box_begins():
    from mlsd.handouts import print_pdf

    long = "".join(f"<p>Paragraph {i}</p>" for i in range(400))
    _, pages, anchors = print_pdf(f"<h1>Cover</h1><section id='long'>{long}</section>")
    assert pages > 2 and anchors["long"] == 0
