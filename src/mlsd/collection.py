"""The collection's own files: the home page, the cheat sheet, the worksheet and the casebook.

They are made from the designs' cards (see cards.py), never from the designs themselves, so
they can be made again without importing a design. The casebook is assembled from the
handouts as printed: a cover and contents laid out once the handouts' page counts are known,
every handout as it is, and an index pointing at the pages where each stage begins.
"""
from __future__ import annotations

import re
from io import BytesIO
from itertools import accumulate

from . import pages
from .framework import STAGE_BY_ID, STAGES
from .handouts import BASE_URL, print_pdf

PAGE_LINK = BASE_URL + "page/"  # links to a casebook page, made internal after assembly


def home(env, cards: list[dict], formats) -> bytes:
    """Return the home page: a card per design, with its first diagram as a thumbnail."""
    return pages.render(env, "home.html.j2", cases=cards, printed="pdf" in formats,
                        thumbnails="svg" in formats).encode()


def cheatsheet(env, cards: list[dict], paper: str) -> str:
    """Return the cheat sheet's HTML: a row per design."""
    rows = [{"slug": c["slug"], "title": c["title"], **c["row"]} for c in cards]
    return pages.render(env, "cheatsheet.html.j2", paper=paper, rows=rows)


def worksheet(env, paper: str) -> str:
    """Return the practice worksheet's HTML: the stages, their prompts and a clock."""
    clock = list(accumulate(s.minutes for s in STAGES))
    return pages.render(env, "worksheet.html.j2", paper=paper, clock=clock)


def casebook(env, cards: list[dict], handouts: list[bytes], paper: str) -> bytes:
    """Return the casebook: cover and contents, every handout, then the index."""
    import pikepdf  # qpdf: merges a hundred handouts in a fraction of a second

    chapters = [pikepdf.Pdf.open(BytesIO(h)) for h in handouts]
    counts = [len(c.pages) for c in chapters]
    data, front = _matter(env, cards, counts, paper)
    matter = pikepdf.Pdf.open(BytesIO(data))
    starts = list(accumulate([front] + counts[:-1]))
    book = pikepdf.Pdf.new()
    for part in (matter.pages[:front], *(c.pages for c in chapters), matter.pages[front:]):
        book.pages.extend(part)
    with book.open_outline() as outline:  # each part's bookmarks, at its pages in the book
        bookmarks = _outline(matter, lambda n: n if n < front else n + sum(counts))
        outline.root.extend(bookmarks[:-1])
        for chapter, start in zip(chapters, starts):
            outline.root.extend(_outline(chapter, lambda n, start=start: n + start))
        outline.root.extend(bookmarks[-1:])  # the index
    for chapter, start in zip(chapters, starts):
        _keep_links(chapter, book, start)
    _link_pages(book)
    _number_pages(book)
    _share_images(book)
    book.docinfo["/Title"] = "ML system design casebook"
    book.docinfo["/Producer"] = "mlsd"
    buffer = BytesIO()
    book.save(buffer, deterministic_id=True)  # building twice gives the same bytes
    return buffer.getvalue()


def _matter(env, cards: list[dict], counts: list[int], paper: str) -> tuple[bytes, int]:
    """Lay out the casebook's own pages (cover and contents, then the index) in one document;
    return it and the length of its front part.

    Every page number in them moves with the length of the contents, so they are laid out
    until that length and the numbers agree.
    """
    length = 2
    for _ in range(4):
        starts = [length + 1 + before for before in accumulate([0] + counts[:-1])]
        back = length + sum(counts) + 1
        data, _, anchors = print_pdf(pages.render(
            env, "casebook.html.j2", paper=paper, entries=list(zip(cards, starts)), back=back,
            index=index(cards, starts), page_link=PAGE_LINK))
        if anchors["index"] == length:
            break
        length = anchors["index"]
    return data, length


def _outline(part, page_in_book) -> list:
    """Return a part's bookmarks, pointing at its pages where they are in the book."""
    from pikepdf import OutlineItem

    def copy(item) -> OutlineItem:
        page = item.destination[0] if item.destination is not None else None
        number = part.pages.index(part.pages.from_objgen(*page.objgen)) if page else 0
        made = OutlineItem(item.title, page_in_book(number))
        made.children.extend(copy(child) for child in item.children)
        return made

    with part.open_outline() as own:
        return [copy(item) for item in own.root]


def index(cards: list[dict], starts: list[int]) -> list[tuple[str, list]]:
    """Return the casebook's index: each technique and metric, with the designs that use it
    and the pages where those stages begin."""
    sections: dict[str, dict[str, list]] = {}
    for card, start in zip(cards, starts):
        anchors = card["handout"]["anchors"]
        for heading, found in card["terms"].items():
            for term, stage_ids in found.items():
                places = [(STAGE_BY_ID[s].number, start + anchors.get(s, 0))
                          for s in stage_ids if s in STAGE_BY_ID]
                sections.setdefault(heading, {}).setdefault(term, []).append(
                    (card["title"], places))
    return [(heading, sorted(terms.items(), key=lambda t: t[0].lower()))
            for heading, terms in sections.items()]


def _keep_links(chapter, book, start: int) -> None:
    """Point a handout's links to its own anchors (named destinations, which the book does not
    carry) at the same places in the book."""
    from pikepdf import Array, NameTree, String

    names = chapter.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    places = {}
    for name, target in NameTree(names.Dests).items():
        page = chapter.pages.index(chapter.pages.from_objgen(*target[0].objgen))
        places[name] = (page, list(target)[1:])
    for number in range(len(chapter.pages)):
        for link in book.pages[start + number].get("/Annots", []):
            name = link.get("/Dest")
            if isinstance(name, String) and str(name) in places:
                page, view = places[str(name)]
                link.Dest = Array([book.pages[start + page].obj, *view])


def _share_images(book) -> None:
    """Point every copy of an image (the same icon in each chapter) at one of them; the copies
    left unreferenced are not written, which halves the book."""
    import hashlib

    kept: dict[str, object] = {}
    keys: dict[tuple, str] = {}
    forms: set[tuple] = set()

    def key(image) -> str:
        if image.objgen not in keys:
            mask = image.get("/SMask")
            keys[image.objgen] = hashlib.sha256(b"|".join([
                image.read_raw_bytes(), str(image.get("/Width")).encode(),
                str(image.get("/Height")).encode(),
                key(mask).encode() if mask is not None else b""])).hexdigest()
        return keys[image.objgen]

    def share(resources) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        for name in list(xobjects.keys()) if xobjects is not None else []:
            target = xobjects[name]
            if target.get("/Subtype") == "/Image":
                first = kept.setdefault(key(target), target)
                if first.objgen != target.objgen:
                    xobjects[name] = first
            elif target.get("/Subtype") == "/Form" and target.objgen not in forms:
                forms.add(target.objgen)  # the SVG diagrams: their icons are inside
                share(target.get("/Resources"))

    for page in book.pages:
        share(page.get("/Resources"))


def _link_pages(book) -> None:
    """Turn links to PAGE_LINK + n into links to page n of the assembled book."""
    from pikepdf import Array, Name

    pattern = re.compile(re.escape(PAGE_LINK) + r"(\d+)")
    for page in book.pages:
        for link in page.get("/Annots", []):
            action = link.get("/A")
            found = pattern.fullmatch(str(action.get("/URI", ""))) if action else None
            if found and 0 < int(found.group(1)) <= len(book.pages):
                del link["/A"]
                link.Dest = Array([book.pages[int(found.group(1)) - 1].obj, Name.Fit])


def _number_pages(book) -> None:
    """Print the casebook's page number in the bottom outer corner of every page but the
    cover (each handout keeps its own "page n of m" at the bottom centre)."""
    from pikepdf import Dictionary, Name, Page

    font = book.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                         BaseFont=Name("/Helvetica-Bold")))
    for number, page in enumerate(book.pages, 1):
        if number == 1:
            continue
        x = float(page.mediabox[2]) - 40 if number % 2 else 28
        stamp = Page(page)
        name = stamp.add_resource(font, Name.Font, Name("/MlsdPage"))
        # q ... Q keeps the page's own drawing state away from the number
        stamp.contents_add(book.make_stream(b"q\n"), prepend=True)
        stamp.contents_add(book.make_stream(
            f"\nQ BT {name} 9 Tf 0.4 0.42 0.45 rg {x:.1f} 22 Td ({number}) Tj ET".encode()))
