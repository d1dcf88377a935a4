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
    warning: bool = False  # worth saying, but not a gap: only --strict fails on it

    def __str__(self) -> str:
        return f"{self.location}: {self.stage}: {'warning: ' * self.warning}{self.message}"

    def as_dict(self) -> dict:
        return {"path": display_path(self.location.path), "line": self.location.line,
                "stage": self.stage, "message": self.message, "warning": self.warning}


def check_case(case: CaseStudy, strict: bool = False, drawings: list | None = None
               ) -> list[Problem]:
    """Return every problem of a design, stage by stage, then its diagrams and components.

    Pass the drawings when the diagrams were already drawn, so they are not drawn again.
    """
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
    if drawings is None:
        try:
            drawings = _drawn(case)
        except MlsdError:
            drawings = None  # diagram_problems says which diagram fails, and why
    problems += diagram_problems(case, drawings)
    if drawings is not None:
        problems += model_problems(case, drawings)
    problems += source_todos(case, {p.location.line for p in problems
                                    if p.location.path == case.location.path})
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
    if section.stage_id == "serving":
        found += _latency_problems(section)
    return found


def _latency_problems(section) -> list[tuple[str, str]]:
    """Return what the serving stage's latency lacks: a path, a target, a total within it."""
    if not (section.latency_path or section.latency_budget):
        return [("latency_path", "no latency path: list the components a request goes "
                                 "through in latency_path=[...]")]
    if not section.latency_target_ms:
        return [("latency_target_ms", "no latency target: set latency_target_ms to the "
                                      "requirement's p99")]
    total, target = section.total_latency_ms, section.latency_target_ms
    field = "latency_path" if section.latency_path else "latency_budget"
    if total > target:
        return [(field, f"the latency path takes {total:g} ms, over its {target:g} ms target: "
                        f"cut a step or run steps in parallel")]
    return []


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


def diagram_problems(case: CaseStudy, drawings: list | None = None) -> list[Problem]:
    """Return problems of the diagrams: too few, failing to draw, lacking stage clusters, or
    still holding a TODO in a label."""
    if len(case.diagrams) < 2:
        return [Problem(case.location, "diagrams",
                        f"{len(case.diagrams)} diagram(s): add at least 2 with @case.diagram "
                        f"(the architecture and one model or pipeline view)")]
    problems = []
    for index, spec in enumerate(case.diagrams):
        try:
            drawing = drawings[index] if drawings else draw(spec)
        except MlsdError as exc:
            problems.append(Problem(exc.location or spec.location, "diagrams", exc.message))
            continue
        used = {s.id for s in drawing.stages}
        missing = [s for s in DIAGRAM_STAGES if s not in used]
        if index == 0 and missing:
            problems.append(Problem(spec.location, "diagrams",
                                    f"the architecture diagram has no cluster for "
                                    f"{', '.join(missing)}: wrap those nodes in stage(...)"))
        problems += [Problem(spec.location, "diagrams",
                             f"diagram '{spec.title}' still says TODO in {label!r}: draw your "
                             f"own design") for label in drawing.labels() if "TODO" in label]
    return problems


def source_todos(case: CaseStudy, reported: set[int]) -> list[Problem]:
    """Return a problem for each line of the design's file that says TODO and is not reported
    yet: comments, component labels and diagram code included."""
    try:
        lines = open(case.location.path, encoding="utf-8-sig").read().splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [Problem(Location(case.location.path, number), "design",
                    "this line still says TODO: replace it with your answer")
            for number, line in enumerate(lines, 1) if "TODO" in line and number not in reported]


def _drawn(case: CaseStudy) -> list:
    """Return the drawings of a design's diagrams (each one draws, or check said why not)."""
    return [draw(spec) for spec in case.diagrams]


def model_problems(case: CaseStudy, drawings: list) -> list[Problem]:
    """Return where the model contradicts itself: components named but never drawn, drawn
    nowhere at all, and figures that prose names but the design does not have."""
    from .figures import figures, named

    drawn = {c.id for d in drawings for c in d.components}
    problems = []
    serving = case.serving
    for c in (serving.components if serving else []):
        if c.id not in drawn:
            problems.append(Problem(c.location, "serving",
                                    f"component '{c.label}' is on the latency path or in a "
                                    f"pipeline, but no diagram draws it: call the component "
                                    f"in a diagram function to draw it"))
    for c in case.components:
        if c.id not in drawn and c not in (serving.components if serving else []):
            problems.append(Problem(c.location, "components",
                                    f"component '{c.label}' is declared but no diagram draws "
                                    f"it", warning=True))
    known = figures(case)
    owners = [("design", case, {"title", "summary", "prompt"})] + [
        (stage.id, section, None) for stage, section in case.sections() if section is not None]
    for stage_id, owner, only in owners:
        fields = keyword_lines(owner.location)
        for name, text in texts(owner):
            for figure in named(text) if only is None or name in only else []:
                if figure not in known:
                    problems.append(Problem(
                        Location(owner.location.path, fields.get(name, owner.location.line)),
                        stage_id, f"'{name}' names the figure {{{figure}}}, which this design "
                                  f"does not have: use one of {_some(known)}"))
    return problems


def _some(known: dict[str, str]) -> str:
    names = sorted(known)
    return ", ".join(f"{{{n}}}" for n in names[:6]) + (" ..." if len(names) > 6 else "") \
        if names else "none yet (declare a Scale or sized components)"


def stage_coverage(case: CaseStudy) -> dict[str, bool]:
    """Return {stage id: whether that stage is present and complete}."""
    return {s.id: sec is not None and not section_problems(sec) for s, sec in case.sections()}

