"""Every code example in docs/authoring.md runs as written.

Python blocks after `<!-- example: fraud -->` are pieces of one design; in order, they make a
module that loads, passes `mlsd check` with no problems and builds. Blocks after
`<!-- fragment -->` only show syntax, and must compile. Every other Python block runs alone.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import needs_graphviz
from mlsd.build import build
from mlsd.check import check_case
from mlsd.errors import MlsdError
from mlsd.figures import figures
from mlsd.loader import load_design

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"
EXAMPLE = "fraud"
MODULE = "fraud_detection.py"
SLUG = "fraud-detection"
# a fenced block, with the line before it (where its marker is) and its first line number
FENCE_RE = re.compile(r"^(?P<before>[^\n]*)\n```(?P<lang>\w*)\n(?P<code>.*?)^```$", re.M | re.S)
MARKER_RE = re.compile(r"<!--\s*(example:\s*(?P<name>[\w-]+)|fragment)\s*-->")


def blocks(text: str) -> list[dict]:
    """Return each Python block of the guide: its code, line, and marker (example or fragment)."""
    found = []
    for m in FENCE_RE.finditer(text):
        if m.group("lang") != "python":
            continue
        marker = MARKER_RE.search(m.group("before"))
        found.append({"code": m.group("code"),
                      "line": text.count("\n", 0, m.start("code")) + 1,
                      "example": marker and marker.group("name"),
                      "fragment": bool(marker and not marker.group("name"))})
    return found


GUIDE_BLOCKS = blocks(GUIDE.read_text(encoding="utf-8"))


def example_source(name: str = EXAMPLE) -> str:
    """Return the example's blocks, in the guide's order, as one module."""
    return "\n\n".join(b["code"] for b in GUIDE_BLOCKS if b["example"] == name)


def write_example(tmp_path: Path, source: str | None = None) -> Path:
    designs = tmp_path / "designs"
    designs.mkdir()
    (designs / MODULE).write_text(example_source() if source is None else source,
                                  encoding="utf-8")
    return designs


def standalone() -> list[dict]:
    return [b for b in GUIDE_BLOCKS if not b["example"] and not b["fragment"]]


def test_the_guide_has_the_example_in_pieces() -> None:
    pieces = [b for b in GUIDE_BLOCKS if b["example"] == EXAMPLE]
    assert len(pieces) >= 10, f"only {len(pieces)} blocks are marked <!-- example: {EXAMPLE} -->"
    assert {b["example"] for b in GUIDE_BLOCKS} <= {EXAMPLE, None}, "one example per guide"
    compile(example_source(), f"{GUIDE.name} (example {EXAMPLE})", "exec")


def test_the_example_loads_and_check_finds_no_problem(tmp_path) -> None:
    case = load_design(write_example(tmp_path) / MODULE)
    assert case.slug == SLUG
    problems = check_case(case)
    assert not problems, "\n".join(map(str, problems))
    assert case.components, "the example should be built on components"
    assert case.serving.latency_path, "the example should have a latency path"


@needs_graphviz
def test_the_example_builds_with_its_figures_in_the_prose(tmp_path) -> None:
    designs = write_example(tmp_path)
    out = tmp_path / "out"
    report = build(designs, out, formats=("svg", "md", "html", "json"))
    assert not report.errors, report.errors
    readme = (out / SLUG / "README.md").read_text(encoding="utf-8")
    case = load_design(designs / MODULE)
    known, placement = figures(case), case.serving.placement
    assert re.search(r"\{[\w.]+\}", placement), "the placement should name derived figures"
    filled = re.sub(r"\{([\w.]+)\}", lambda m: known.get(m.group(1), m.group(0)), placement)
    assert filled in readme, f"README.md does not say {filled!r}"
    assert "{peak_qps}" not in readme and known["scoring_hosts.replicas"] in readme
    for view in ("view-data", "view-model", "view-serving", "view-monitoring"):
        assert (out / SLUG / f"{view}.svg").is_file(), f"no per-stage view {view}.svg"


def test_the_quoted_estimates_are_the_example_s(tmp_path) -> None:
    known = figures(load_design(write_example(tmp_path) / MODULE))
    quoted = re.findall(r"^  (.+?) {2,}(\S.*?) += .*\{([\w.]+)\}$",
                        GUIDE.read_text(encoding="utf-8"), re.M)
    assert len(quoted) >= 3, "the guide should quote some of `mlsd estimate`'s rows"
    for name, value, figure in quoted:
        assert known.get(figure) == value, f"{name}: the guide says {value}, mlsd {known.get(figure)}"


@pytest.mark.parametrize("block", standalone(), ids=lambda b: f"line-{b['line']}")
def test_every_other_python_block_runs_on_its_own(block) -> None:
    code = compile(block["code"], f"{GUIDE.name}:{block['line']}", "exec")
    exec(code, {"__name__": "guide_block"})


@pytest.mark.parametrize("block", [b for b in GUIDE_BLOCKS if b["fragment"]],
                         ids=lambda b: f"line-{b['line']}")
def test_fragments_compile(block) -> None:
    compile(block["code"], f"{GUIDE.name}:{block['line']}", "exec")


def quoted_errors() -> list[tuple[int, str, str]]:
    """Return the (line, stage, message) of each error line the guide quotes for the example."""
    text = GUIDE.read_text(encoding="utf-8")
    return [(int(line), stage, message) for line, stage, message in
            re.findall(rf"^designs/{MODULE}:(\d+): (\w+): (.*)$", text, re.M)]


# a fault planted in the example for each error line the guide quotes, in the same order
FAULTS = [
    ("latency_target_ms=30", "latency_target_ms=8"),
    ('offline=[Metric("PR-AUC", "Fraud is under 0.1% of payments."),', 'offline=["PR-AUC",'),
    ('    retraining="Weekly', '    retrain="Weekly'),
    ("registry = Component(", 'board = Grafana("Dashboards")\nregistry = Component('),
]


def test_the_quoted_errors_are_what_mlsd_says(tmp_path) -> None:
    quoted = quoted_errors()
    assert len(quoted) == len(FAULTS), quoted
    for index, ((old, new), expected) in enumerate(zip(FAULTS, quoted)):
        source = example_source()
        assert old in source, f"the example no longer has {old!r}"
        folder = tmp_path / str(index)
        folder.mkdir()
        designs = write_example(folder, source.replace(old, new, 1))
        try:
            said = [(p.location.line, p.stage, p.message)
                    for p in check_case(load_design(designs / MODULE))]
        except MlsdError as error:
            said = [(error.location.line, "load", error.message)]
        assert said == [expected]
