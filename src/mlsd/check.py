"""Check a design against the framework: what each stage still lacks, with file and line."""
from __future__ import annotations

from dataclasses import dataclass

from ._declared import keyword_lines
from .drawing import draw
from .errors import Location, MlsdError, display_path
from .framework import DIAGRAM_STAGES
from .model import CaseStudy, Section
from .prose import texts, word_count
from .sections import NON_FUNCTIONAL, Part, schema

FULL_DEPTH_WORDS = 2000


@dataclass(frozen=True)
class Problem:
    """Something a design lacks, located where the author should add it."""

    location: Location
    stage: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.stage}: {self.message}"

    def as_dict(self) -> dict:
        return {"path": display_path(self.location.path), "line": self.location.line,
                "stage": self.stage, "message": self.message}


def check_case(case: CaseStudy, strict: bool = False) -> list[Problem]:
    """Return every problem of a design, stage by stage, then its diagrams."""
    lines = keyword_lines(case.location)
    problems = [Problem(Location(case.location.path, lines.get(name, case.location.line)),
                        "design", f"'{name}' still says TODO: replace it with your answer")
                for name in ("title", "summary", "prompt") if "TODO" in getattr(case, name)]
    for stage, section in case.sections():
        if section is None:
            problems.append(Problem(case.location, stage.id,
                                    f"stage missing: add {stage.id}={stage.section.__name__}(...)"))
        else:
            fields = keyword_lines(section.location)
            problems += [Problem(Location(section.location.path,
                                          fields.get(name, section.location.line)),
                                 stage.id, message)
                         for name, message in section_problems(section)]
    problems += diagram_problems(case)
    if strict and (words := word_count(case)) < FULL_DEPTH_WORDS:
        problems.append(Problem(case.location, "depth",
                                f"{words} words; a full case study has {FULL_DEPTH_WORDS}+"))
    return problems


def section_problems(section: Section) -> list[tuple[str, str]]:
    """Return what one stage section lacks as (field, message), in the order of its fields."""
    found = [(name, gap) for name, p in schema(type(section))
             if p.counted and (gap := _shortfall(p, getattr(section, name)))]
    todo = dict.fromkeys(name for name, text in texts(section) if "TODO" in text)
    found += [(name, f"'{name}' still says TODO: replace it with your answer") for name in todo]
    if section.stage_id == "requirements":
        found += _requirements_problems(section)
    return found


def _shortfall(p: Part, value) -> str:
    """Return what a field lacks against its Part's minimum, or "" when it has enough."""
    count = len(value.strip() if isinstance(value, str) else value)
    if count >= p.minimum:
        return ""
    return (f"no {p.holds}" if count == 0
            else f"only {count} of the {p.minimum} {p.holds} needed: add {p.minimum - count} more")


def _requirements_problems(section) -> list[tuple[str, str]]:
    missing = [k for k in NON_FUNCTIONAL if k not in {n.lower() for n in section.non_functional}]
    found = [("non_functional", f"non-functional requirements miss {', '.join(missing)}")
             ] if missing else []
    if section.scale is None:
        found.append(("scale", "no scale assumptions: add scale=Scale(...)"))
    return found


def diagram_problems(case: CaseStudy) -> list[Problem]:
    """Return problems of the diagrams: too few, failing to draw, or lacking stage clusters."""
    if len(case.diagrams) < 2:
        return [Problem(case.location, "diagrams",
                        f"{len(case.diagrams)} diagram(s): add at least 2 with @case.diagram "
                        f"(the architecture and one model or pipeline view)")]
    problems = []
    for index, spec in enumerate(case.diagrams):
        try:
            drawing = draw(spec)
        except MlsdError as exc:
            problems.append(Problem(exc.location or spec.location, "diagrams", exc.message))
            continue
        used = {s.id for s in drawing.stages}
        missing = [s for s in DIAGRAM_STAGES if s not in used]
        if index == 0 and missing:
            problems.append(Problem(spec.location, "diagrams",
                                    f"the architecture diagram has no cluster for "
                                    f"{', '.join(missing)}: wrap those nodes in stage(...)"))
    return problems


def stage_coverage(case: CaseStudy) -> dict[str, bool]:
    """Return {stage id: whether that stage is present and complete}."""
    return {s.id: sec is not None and not section_problems(sec) for s, sec in case.sections()}

