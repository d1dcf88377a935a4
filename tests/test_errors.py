"""Bad input: each mistake gets one line with file, line and what to do; the rest still builds."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, needs_graphviz, write_design
from mlsd.cli import main

pytestmark = needs_graphviz
SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()


def _variant(slug: str, old: str, new: str) -> str:
    assert old in SPAM, old
    return SPAM.replace('slug="spam-filter"', f'slug="{slug}"').replace(old, new)


def _line(body: str, needle: str) -> int:
    return next(i for i, line in enumerate(body.splitlines(), 1) if needle in line)


URL_BODY = _variant("url-icon", '        dash = Grafana("Dashboards")',
                    '        dash = Custom("Dashboards", "https://example.com/icon.png")'
                    ).replace("from mlsd.nodes import", "from diagrams.custom import Custom\nfrom mlsd.nodes import")

CASES = {
    "syntax": ("from mlsd import CaseStudy\ncase = CaseStudy(\n",
               "{f}:2: syntax error: '(' was never closed: fix the file and run again"),
    "import": ("import os\nimport not_a_module_anywhere\n",
               "{f}:2: ModuleNotFoundError: No module named 'not_a_module_anywhere': "
               "fix the design module"),
    "wrong_type": (_variant("wrong-type", '["Score every incoming message", "Move likely spam to a folder"]',
                            '"Score every message"'),
                   "{f}:{functional=}: Requirements: field 'functional' should be a list of text, "
                   "got str 'Score every message': fix its value"),
    "unknown_stage": (_variant("bad-stage", 'with stage("monitoring", "Monitoring"):',
                               'with stage("monitor", "Monitoring"):'),
                      "{f}:{stage(\"monitor\"}: stage(): unknown stage 'monitor': use one of "
                      "requirements, framing, data, model, evaluation, serving, monitoring"),
    "diagram_raises": (_variant("raises", '    user = User("Recipient")',
                                '    user = User("Recipient")\n    raise RuntimeError("half-drawn")'),
                       "{f}:{RuntimeError}: diagram 'System architecture' raised RuntimeError: "
                       "half-drawn: fix the drawing code"),
    "no_nodes": (_variant("no-nodes", '        NeuralNetwork("Logistic regression over hashed '
                                      'tokens and sender reputation")', "        pass"),
                 "{f}:{@case.diagram(\"Model\"}: diagram 'Model' draws no nodes: "
                 "add at least one node"),
    "no_case": ("from mlsd import CaseStudy\nx = 1\n",
                "{f}:1: defines no CaseStudy: assign one to a module-level name such as "
                "'case = CaseStudy(...)'"),
    "two_cases": ('from mlsd import CaseStudy\na = CaseStudy(slug="a-x", title="A", summary="s")\n'
                  'b = CaseStudy(slug="b-x", title="B", summary="s")\n',
                  "{f}:3: defines 2 CaseStudy objects (a, b): keep one per file"),
    "negative_scale": (_variant("negative", "daily_active_users=1e6", "daily_active_users=-1e6"),
                       "{f}:{scale=Scale(}: Scale: 'daily_active_users' is -1000000.0: "
                       "scale figures cannot be negative"),
    "url_icon": (URL_BODY, "{f}:{@case.diagram(\"System architecture\"}: diagram 'System "
                           "architecture': icon 'https://example.com/icon.png' is a URL, and builds "
                           "never use the network: download it beside the design and pass its path"),
    "graphviz_fails": (_variant("bad-label", '        NeuralNetwork("Logistic regression over '
                                             'hashed tokens and sender reputation")',
                                '        NeuralNetwork("<b>unclosed>")'),
                       "{f}:{@case.diagram(\"Model\"}: Graphviz failed on diagram 'Model': syntax "
                       "error in line 7 near '>': check the node attributes and labels"),
}


def _expected(template: str, name: str, body: str) -> str:
    def fill(match):
        key = match.group(1)
        return str(_line(body, key[:-1] if key.endswith("=") else key))
    import re
    line = re.sub(r"\{([^{}]+)\}", lambda m: m.group(0) if m.group(1) == "f" else fill(m), template)
    return line.replace("{f}", f"designs/{name}.py")


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_one_clear_line_and_the_rest_builds(name, tmp_path, runner, monkeypatch):
    body, template = CASES[name]
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    write_design(tmp_path / "designs", f"{name}.py", body)
    result = runner.invoke(main, ["-q", "build", "--out", "out", "--format", "svg,md,html"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [_expected(template, name, body)]
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / "spam-filter" / "README.md").is_file()


def test_non_utf8_file(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    (tmp_path / "designs" / "latin.py").write_bytes(b"x = 1\n# caf\xe9\n")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert "designs/latin.py:2: load: is not UTF-8 (byte 0xe9): save the file as UTF-8" in \
        result.output.splitlines()


def test_fail_fast_stops_at_the_first_error(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    write_design(tmp_path / "designs", "a_broken.py", "case = (\n")
    result = runner.invoke(main, ["-q", "build", "--fail-fast", "--jobs", "1", "--out", "out",
                                  "--format", "md"])
    assert result.exit_code == 1
    assert result.output == ("Error: designs/a_broken.py:1: syntax error: '(' was never closed: "
                             "fix the file and run again\n")
    assert not (tmp_path / "out" / "spam-filter").exists()


def test_template_error_names_the_template_and_line(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    write_design(tmp_path / "mytemplates", "readme.md.j2", "# {{ case.title }}\n{% if %}\n")
    (tmp_path / "pyproject.toml").write_text('[tool.mlsd]\ntemplates = "mytemplates"\n')
    result = runner.invoke(main, ["-q", "build", "--out", "out", "--format", "md"])
    assert result.exit_code == 1
    assert result.stderr == (  # once for the build, not once per design
        "Error: mytemplates/readme.md.j2:2: template error: Expected an expression, "
        "got 'end of statement block': fix the template\n")


@pytest.mark.parametrize("out", [".", "designs", ".."])
def test_out_must_be_a_folder_mlsd_can_own(out, tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    result = runner.invoke(main, ["build", "--out", out, "--format", "md"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: refusing to build into {out}: it contains ")


def test_out_with_foreign_files_is_refused(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    write_design(tmp_path / "docs", "notes.md", "mine")
    result = runner.invoke(main, ["build", "--out", "docs", "--format", "md"])
    assert result.exit_code == 1
    assert result.output == ("Error: refusing to build into docs: it holds files mlsd did not "
                             "write; pass --out an empty or new folder\n")


def test_html_escapes_design_strings(tmp_path):
    from mlsd.build import build
    body = SPAM.replace('title="Spam filter"', 'title="<script>alert(1)</script> filter"')
    write_design(tmp_path / "designs", "spam_filter.py", body)
    build(tmp_path / "designs", tmp_path / "out", formats=("html", "svg"))
    page = (tmp_path / "out" / "spam-filter" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; filter" in page


def test_new_refuses_to_leave_the_designs_folder(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["new", "x", "--slug", "../../etc/evil"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: slug '../../etc/evil' should be lowercase words")
    first = runner.invoke(main, ["new", "Fraud detection"])
    again = runner.invoke(main, ["new", "Fraud detection"])
    assert first.exit_code == 0 and again.exit_code == 1
    assert "already exists: pick another --slug, or pass --force" in again.output
