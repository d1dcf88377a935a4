"""mlsd check: what a design lacks, stage by stage, located at the line to edit."""
from __future__ import annotations

from pathlib import Path

from conftest import write_design
from mlsd.check import check_case, word_count
from mlsd.loader import load_design

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
