"""A design's card: what the collection pages show of it, kept in the manifest.

The home page, the cheat sheet and the casebook are made from cards, so a design that did not
change is never imported again to make them. A card is plain JSON; one read back from a
manifest is checked with `valid` before any template sees it.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .vocabulary import METRICS, TECHNIQUES, terms_in

if TYPE_CHECKING:  # the model is imported only where a card is made, not where one is read
    from .model import CaseStudy

VOCABULARIES = (("Techniques", TECHNIQUES), ("Metrics", METRICS))
_ROW = ("objective", "ml_objective", "category", "choice", "offline", "online", "pattern", "peak")


def make_card(case: "CaseStudy", diagrams: list[dict]) -> dict:
    """Return the card of a design whose diagrams were laid out as `diagrams` (DiagramRef dicts)."""
    from .prose import word_count

    return {"slug": case.slug, "title": case.title, "summary": case.summary,
            "category": case.framing.category if case.framing else "not framed yet",
            "words": word_count(case), "diagrams": diagrams, "row": cheatsheet_row(case),
            "terms": terms(case), "handout": {"pages": 0, "anchors": {}}, "error": ""}


def brief(text: str, limit: int = 110) -> str:
    """Return text as plain words, cut to whole sentences or words within limit characters."""
    plain = " ".join(re.sub(r"[*_`]", "", text).split())
    if len(plain) <= limit:
        return plain
    cut = plain[:limit + 1]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", cut) if m.end() >= 40]
    return cut[:ends[-1]] if ends else cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"


def cheatsheet_row(case: "CaseStudy") -> dict[str, str]:
    """Return one design's row of the cheat sheet, read from its declared sections."""
    from .scale import human

    req, framing, model = case.requirements, case.framing, case.model
    evaluation, serving = case.evaluation, case.serving
    return {
        "objective": brief(req.objective, 95) if req else "",
        "ml_objective": brief(framing.ml_objective, 95) if framing else "",
        "category": brief(framing.category, 60) if framing else "",
        "choice": brief(model.choice, 95) if model else "",
        "offline": evaluation.offline[0].name if evaluation and evaluation.offline else "",
        "online": evaluation.online[0].name if evaluation and evaluation.online else "",
        "pattern": serving.pattern if serving else "",
        "peak": f"{human(case.scale.peak_qps)} QPS" if case.scale else "",
    }


def terms(case: "CaseStudy") -> dict[str, dict[str, list[str]]]:
    """Return {vocabulary: {term: stage ids}}: the well-known terms each stage's text uses."""
    from .prose import texts

    found: dict[str, dict[str, list[str]]] = {heading: {} for heading, _ in VOCABULARIES}
    for stage, section in case.sections():
        text = " ".join(t for _, t in texts(section)) if section else ""
        for heading, vocabulary in VOCABULARIES:
            for term in terms_in(text, vocabulary):
                found[heading].setdefault(term, []).append(stage.id)
    return found


def valid(card: object) -> bool:
    """Return whether a card read from a manifest has the shape the templates expect."""
    if not isinstance(card, dict):
        return False
    strings = ("slug", "title", "summary", "category", "error")
    diagrams, row, found, handout = (card.get(k) for k in ("diagrams", "row", "terms", "handout"))
    return (all(isinstance(card.get(k), str) for k in strings)
            and _number(card.get("words"))
            and isinstance(diagrams, list) and all(_diagram(d) for d in diagrams)
            and isinstance(row, dict) and all(isinstance(row.get(k), str) for k in _ROW)
            and isinstance(found, dict) and set(found) == {h for h, _ in VOCABULARIES}
            and all(isinstance(v, dict) and all(isinstance(s, list) and
                                                all(isinstance(i, str) for i in s)
                                                for s in v.values()) for v in found.values())
            and isinstance(handout, dict) and _number(handout.get("pages"))
            and isinstance(handout.get("anchors"), dict)
            and all(isinstance(k, str) and _number(v) for k, v in handout["anchors"].items()))


def _number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _diagram(value) -> bool:
    return (isinstance(value, dict)
            and all(isinstance(value.get(k), str) for k in ("title", "slug", "stage", "description"))
            and isinstance(value.get("wide"), bool) and isinstance(value.get("raster", True), bool)
            and isinstance(value.get("components", []), (list, tuple))
            and re.fullmatch(r"[a-z0-9-]+", value["slug"]))
