"""mlsd check: what a design lacks, stage by stage, located at the line to edit."""
from __future__ import annotations

from pathlib import Path

from dataclasses import replace

from conftest import write_design
from mlsd import Framing, Requirements, check
from mlsd._declared import keyword_lines
from mlsd.check import check_case, section_problems
from mlsd.prose import word_count
from mlsd.loader import load_design
from mlsd.pages import environment
from mlsd.prose import texts
from mlsd.scaffold import new_design
from mlsd.sections import SECTIONS, required, schema

SPAM = (Path(__file__).parent / "fixtures" / "designs" / "spam_filter.py").read_text()


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_complete_fixture_has_no_problem(fixture_designs):
    case = load_design(fixture_designs / "spam_filter.py")
    assert check_case(case) == []


def _without_argument(text: str, opening: str) -> str:
    """Return text without the keyword argument that starts with opening."""
    start = text.index(opening)
    end = text.index("\n    ),\n", start) + len("\n    ),\n")
    return text[:start] + text[end:]


def test_missing_stage_points_at_the_case_study(tmp_path):
    body = _without_argument(SPAM, "    evaluation=Evaluation(")
    path = write_design(tmp_path, "spam.py", body)
    problems = check_case(load_design(path))
    assert [str(p) for p in problems] == [
        f"{path}:{_line_of(body, 'case = CaseStudy(')}: evaluation: stage missing: "
        f"add evaluation=Evaluation(...)"]


def test_thin_stage_lists_each_gap_at_its_line(tmp_path):
    body = SPAM.replace('''        online=[Metric("Report rate", "Spam that got through."),
                Metric("Rescue rate", "Real mail users pulled out of spam.")],''',
                        '''        online=[Metric("Report rate", "Spam that got through.")],''')
    body = body.replace('gap="Spammers react to the model, so offline data ages fast."', 'gap=""')
    path = write_design(tmp_path, "spam.py", body)
    assert [str(p) for p in check_case(load_design(path))] == [
        f"{path}:{_line_of(body, 'online=[')}: evaluation: only 1 of the 2 online metrics needed: add 1 more",
        f"{path}:{_line_of(body, 'gap=')}: evaluation: no account of why offline and online "
        f"results can disagree",
    ]


def test_todo_markers_and_missing_non_functional_keys(tmp_path):
    body = SPAM.replace('"Keep inboxes free of spam without losing real mail."',
                        '"TODO: what business goal?"')
    body = body.replace('            "cost": "CPU only.",\n', "")
    path = write_design(tmp_path, "spam.py", body)
    messages = [p.message for p in check_case(load_design(path))]
    assert messages == ["'objective' still says TODO: replace it with your answer",
                        "non-functional requirements miss cost"]


def test_architecture_needs_the_four_stage_clusters(tmp_path):
    body = SPAM.replace('    with stage("monitoring", "Monitoring"):\n        dash = Grafana("Dashboards")',
                        '    dash = Grafana("Dashboards")')
    path = write_design(tmp_path, "spam.py", body)
    messages = [p.message for p in check_case(load_design(path))]
    assert messages == ["the architecture diagram has no cluster for monitoring: "
                        "wrap those nodes in stage(...)"]


def test_strict_requires_full_depth(fixture_designs):
    case = load_design(fixture_designs / "spam_filter.py")
    words = word_count(case)
    assert 200 < words < 2000
    assert [p.message for p in check_case(case, strict=True)] == [
        f"{words} words; a full case study has 2000+"]


# The schema declared on the stage fields drives check, and `mlsd new` ---------------------

def test_every_counted_field_of_every_stage_reports_its_holds_when_empty():
    for stage_id, cls in SECTIONS.items():
        expected = [(name, f"no {p.holds}") for name, p in schema(cls) if p.counted and p.minimum]
        found = [item for item in section_problems(cls()) if item[0] in dict(expected)]
        assert found == expected, stage_id


def test_a_fields_minimum_and_holds_drive_its_message(monkeypatch):
    section = Requirements(questions={"Who uses it?": "Everyone."})
    assert ("questions", "only 1 of the 3 clarifying questions with assumed answers needed: "
                         "add 2 more") in section_problems(section)
    raised = replace(dict(schema(Requirements))["questions"], minimum=5, holds="questions")
    monkeypatch.setattr(check, "schema", lambda cls: [("questions", raised)])
    assert section_problems(section)[:1] == [("questions",
                                              "only 1 of the 5 questions needed: add 4 more")]


def test_optional_fields_are_never_required():
    assert ("notes", "no discussion") not in section_problems(Framing())
    assert [name for name, p in schema(Framing) if not p.minimum] == ["notes"]


def _starter(tmp_path) -> Path:
    return new_design("Fraud detection", tmp_path, environment())


def _unprompted(path: Path) -> list[str]:
    """Return stage.field of each required schema field whose prompt the module does not ask."""
    case = load_design(path)
    source = path.read_text().splitlines()
    gaps = []
    for stage, section in case.sections():
        lines = keyword_lines(section.location)
        for name, p in required(type(section)):
            todo = f"TODO: {p.prompt}"
            asked = name in lines and (any(todo in t for _, t in texts(getattr(section, name)))
                                       or todo in source[lines[name] - 2])  # the comment above
            if not asked:
                gaps.append(f"{stage.id}.{name}")
    return gaps


def test_the_starter_asks_every_schema_field_its_prompt_by_name(tmp_path):
    path = _starter(tmp_path)
    assert _unprompted(path) == []
    assert sum(len(required(cls)) for cls in SECTIONS.values()) > 30  # the schema is not empty
    lines = path.read_text().splitlines(keepends=True)
    without = "".join(line for line in lines if not line.startswith("        functional="))
    write_design(tmp_path / "thin", "fraud_detection.py", without)
    assert _unprompted(tmp_path / "thin" / "fraud_detection.py") == ["requirements.functional"]


def test_check_lists_the_starters_todos_at_their_lines(tmp_path):
    path = _starter(tmp_path)
    text = path.read_text()
    problems = {(p.stage, p.message): p.location.line for p in check_case(load_design(path))}
    for stage_id, cls in SECTIONS.items():
        for name, p in required(cls):
            if "%s" in p.starter:
                todo = f"'{name}' still says TODO: replace it with your answer"
                line = problems[(stage_id, todo)]
                assert text.splitlines()[line - 1].lstrip().startswith(f"{name}=")
