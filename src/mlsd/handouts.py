"""Printable output: a PDF handout per design, the casebook, the cheat sheet and the worksheet.

WeasyPrint lays out HTML with CSS paged media; its fetcher here serves the diagrams from the
build's in-memory files, so a PDF never reads the disk or the network.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from . import pages
from .errors import RenderError
from .framework import STAGES
from .check import texts
from .scale import human
from .vocabulary import METRICS, TECHNIQUES, terms_in

BASE_URL = "https://mlsd.invalid/"  # a host that never resolves: every URL is answered here


@dataclass(frozen=True)
class Document:
    """A page to print: where it goes, its HTML, and the folder its links are relative to."""

    path: str
    html: str
    folder: str = ""


def documents(contexts: list[dict], env, paper: str, collection: bool) -> list[Document]:
    """Return the handout of each design and, for a full build, the collection documents."""
    docs = [Document(f"{c['case'].slug}/handout.pdf",
                     pages.render(env, "handout.html.j2", ctx=c, paper=paper), f"{c['case'].slug}/")
            for c in contexts]
    if not collection:
        return docs
    if contexts:
        cheatsheet = pages.render(env, "cheatsheet.html.j2", paper=paper,
                                  rows=[cheatsheet_row(c["case"]) for c in contexts])
        docs += [Document("casebook.pdf", pages.render(env, "casebook.html.j2", paper=paper,
                                                      contexts=contexts,
                                                      index=technique_index(contexts))),
                 Document("cheatsheet.html", cheatsheet), Document("cheatsheet.pdf", cheatsheet)]
    clock = list(accumulate(s.minutes for s in STAGES))
    docs.append(Document("worksheet.pdf",
                         pages.render(env, "worksheet.html.j2", paper=paper, clock=clock)))
    return docs


def pdf_bytes(html: str, files: dict[str, bytes], folder: str = "") -> bytes:
    """Lay out html as a PDF; relative URLs resolve to files below folder."""
    import weasyprint  # heavy: imported only when a PDF is made
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class MemoryFetcher(URLFetcher):
        """Serve the build's own files and data: URIs; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            key = url.removeprefix(BASE_URL)
            if key == url or key not in files:
                raise RenderError(f"a page refers to '{url}', which the build did not make")
            mime = "image/svg+xml" if key.endswith(".svg") else "image/png"
            return URLFetcherResponse(url, files[key], {"Content-Type": mime})

    return weasyprint.HTML(string=html, base_url=BASE_URL + folder,
                           url_fetcher=MemoryFetcher()).write_pdf()


def brief(text: str, limit: int = 110) -> str:
    """Return text as plain words, cut to whole sentences or words within limit characters."""
    plain = " ".join(re.sub(r"[*_`]", "", text).split())
    if len(plain) <= limit:
        return plain
    cut = plain[:limit + 1]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", cut) if m.end() >= 40]
    return cut[:ends[-1]] if ends else cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"


def cheatsheet_row(case) -> dict:
    """Return one design's row of the cheat sheet, read from its declared sections."""
    req, framing, model = case.requirements, case.framing, case.model
    evaluation, serving = case.evaluation, case.serving
    return {
        "slug": case.slug, "title": case.title,
        "objective": brief(req.objective, 95) if req else "",
        "ml_objective": brief(framing.ml_objective, 95) if framing else "",
        "category": brief(framing.category, 60) if framing else "",
        "choice": brief(model.choice, 95) if model else "",
        "offline": evaluation.offline[0].name if evaluation and evaluation.offline else "",
        "online": evaluation.online[0].name if evaluation and evaluation.online else "",
        "pattern": serving.pattern if serving else "",
        "peak": f"{human(case.scale.peak_qps)} QPS" if case.scale else "",
    }


def technique_index(contexts: list[dict]) -> list[tuple[str, list]]:
    """Return the casebook's index: each well-known technique and metric, with the designs
    that use it and the stages where they do (linked to the first of them)."""
    sections = []
    for heading, vocabulary in (("Techniques", TECHNIQUES), ("Metrics", METRICS)):
        entries: dict[str, list] = {term: [] for term in vocabulary}
        for ctx in contexts:
            case = ctx["case"]
            found: dict[str, list] = {}
            for stage, section in case.sections():
                text = " ".join(t for _, t in texts(section)) if section else ""
                for term in terms_in(text, vocabulary):
                    found.setdefault(term, []).append(stage)
            for term, stages in found.items():
                numbers = ", ".join(str(s.number) for s in stages)
                entries[term].append((f"{case.title} (stage{'s' * (len(stages) > 1)} "
                                      f"{numbers})", f"{case.slug}-{stages[0].anchor}"))
        sections.append((heading, [(term, places) for term, places in entries.items()
                                   if places]))
    return sections
