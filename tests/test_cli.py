"""The command line through click's CliRunner, on designs under tmp_path."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, needs_graphviz, write_design
from mlsd.cli import main

SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()


@pytest.fixture
def designs(tmp_path) -> Path:
    folder = tmp_path / "designs"
    write_design(folder, "spam_filter.py", SPAM)
    return folder


def test_every_command_and_option_has_help_and_is_in_the_readme(runner):
    readme = (ROOT / "README.md").read_text()
    for name, command in main.commands.items():
        assert command.help, name
        assert f"mlsd {name}" in readme, f"README does not mention 'mlsd {name}'"
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.name}"


def test_list_json(runner, designs):
    result = runner.invoke(main, ["list", "--json", "--designs", str(designs)])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["slug"] == "spam-filter" and row["title"] == "Spam filter"
    assert row["path"] == str(designs / "spam_filter.py")
    assert row["diagrams"] == ["System architecture", "Model"]
    assert row["stages"] == dict.fromkeys(
        ["requirements", "framing", "data", "model", "evaluation", "serving", "monitoring"], True)


def test_check_passes(runner, designs):
    result = runner.invoke(main, ["check", "--designs", str(designs)])
    assert result.exit_code == 0
    assert result.output == "1 design checked: every stage is complete.\n"


def test_check_reports_path_line_stage_and_exits_1(runner, designs):
    body = SPAM.replace('retraining="Daily."', 'retraining=""')
    path = write_design(designs, "spam_filter.py", body)
    line = next(i for i, l in enumerate(body.splitlines(), 1) if 'retraining=""' in l)
    result = runner.invoke(main, ["check", "--designs", str(designs)])
    assert result.exit_code == 1
    assert result.output == f"{path}:{line}: monitoring: no retraining trigger\n"


def test_check_json(runner, designs):
    write_design(designs, "spam_filter.py", SPAM.replace('loss="Binary cross-entropy."', 'loss=""'))
    result = runner.invoke(main, ["check", "--json", "--designs", str(designs)])
    assert result.exit_code == 1
    [problem] = json.loads(result.output)
    assert problem["stage"] == "model" and problem["message"] == "no loss"


def test_syntax_error_is_one_line_and_others_still_build(runner, designs, tmp_path):
    write_design(designs, "broken.py", "from mlsd import CaseStudy\ncase = CaseStudy(\n")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--designs", str(designs), "--out", str(out),
                                  "--format", "md,json"])
    assert result.exit_code == 1
    errors = [l for l in result.output.splitlines() if "broken.py" in l]
    assert errors == [f"{designs / 'broken.py'}:2: syntax error: '(' was never closed: "
                      f"fix the file and run again"]
    assert (out / "spam-filter" / "README.md").is_file()
    assert "Traceback" not in result.output


def test_import_error_names_the_line(runner, designs):
    write_design(designs, "broken.py", "import os\nimport not_a_module_anywhere\n")
    result = runner.invoke(main, ["check", "--designs", str(designs)])
    assert result.exit_code == 1
    assert (f"{designs / 'broken.py'}:2: load: ModuleNotFoundError: No module named "
            f"'not_a_module_anywhere': fix the design module") in result.output.splitlines()


def test_duplicate_slug(runner, designs):
    write_design(designs, "zz_copy.py", SPAM)
    result = runner.invoke(main, ["check", "--designs", str(designs)])
    assert result.exit_code == 1
    line = next(i for i, l in enumerate(SPAM.splitlines(), 1) if "case = CaseStudy(" in l)
    assert (f"{designs / 'zz_copy.py'}:{line}: load: slug 'spam-filter' is already used by "
            f"spam_filter.py: give this design its own slug") in result.output.splitlines()


def test_unknown_slug(runner, designs):
    result = runner.invoke(main, ["build", "nope", "--designs", str(designs)])
    assert result.exit_code == 1
    assert result.output == ("Error: no design with slug nope: "
                             "'mlsd list' shows the slugs there are\n")


def test_unknown_format(runner, designs):
    result = runner.invoke(main, ["build", "--designs", str(designs), "--format", "gif"])
    assert result.exit_code == 2
    assert "unknown format gif" in result.output


@needs_graphviz
def test_build_writes_the_output_contract(runner, designs, tmp_path):
    out = tmp_path / "x"
    result = runner.invoke(main, ["build", "--designs", str(designs), "--out", str(out),
                                  "--format", "svg,png,md,html,json"])
    assert result.exit_code == 0, result.output
    folder = out / "spam-filter"
    assert (out / "index.html").is_file()
    for name in ("README.md", "index.html", "design.json", "system-architecture.svg",
                 "system-architecture.png", "model.svg", "model.png"):
        assert (folder / name).is_file(), name
    again = runner.invoke(main, ["build", "--designs", str(designs), "--out", str(out),
                                 "--format", "svg,png,md,html,json"])
    assert again.output == f"{out} is up to date.\n"


@needs_graphviz
def test_build_without_graphviz_is_one_line(runner, designs, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = runner.invoke(main, ["build", "--designs", str(designs), "--out", str(tmp_path / "o"),
                                  "--format", "svg"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: Graphviz is not installed (no 'dot' on PATH): install it with "
        "'sudo apt-get install graphviz' or 'brew install graphviz'")


def test_python_dash_m_works():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "mlsd", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "Usage:" in done.stdout


def test_bundled_designs_are_found_outside_the_repository(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["list", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == len(list((ROOT / "designs").glob("[!_]*.py")))


@pytest.mark.parametrize("args", [["--help"], ["list", "--json"]])
def test_light_commands_load_no_pdf_or_progress_library(args):
    import subprocess
    import sys
    code = ("import sys; from mlsd.cli import main\n"
            "try:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('weasyprint', 'rich') if m in sys.modules))" % args)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "LOADED []"


@needs_graphviz
def test_build_says_what_it_built_and_reused_and_quiet_says_nothing(runner, designs, tmp_path):
    out = tmp_path / "out"
    args = ["build", "--designs", str(designs), "--out", str(out), "--format", "md,html"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert first.stderr.splitlines()[-1] == (f"Built 1 design and reused 0 into {out} "
                                             f"(4 files written, 0 removed).")
    write_design(designs, "other.py", SPAM.replace('slug="spam-filter"', 'slug="other"'))
    second = runner.invoke(main, args)
    assert second.stderr.splitlines()[-1] == (f"Built 1 design and reused 1 into {out} "
                                              f"(4 files written, 0 removed).")
    assert runner.invoke(main, args).stderr == f"{out} is up to date.\n"
    write_design(designs, "other.py", SPAM.replace('slug="spam-filter"', 'slug="other"')
                 .replace("Rules only", "Hand-written rules"))
    quiet = runner.invoke(main, ["-q", *args])
    assert (quiet.exit_code, quiet.output) == (0, "")
    assert runner.invoke(main, ["-q", *args]).output == ""


@needs_graphviz
def test_build_warns_with_the_check_lines_and_strict_fails(runner, designs, tmp_path):
    body = SPAM.replace('retraining="Daily."', 'retraining=""')
    path = write_design(designs, "spam_filter.py", body)
    line = next(i for i, l in enumerate(body.splitlines(), 1) if 'retraining=""' in l)
    expected = f"{path}:{line}: monitoring: no retraining trigger"
    args = ["-q", "build", "--designs", str(designs), "--out", str(tmp_path / "out"),
            "--format", "md"]
    built = runner.invoke(main, args)
    assert (built.exit_code, built.stderr) == (0, expected + "\n")
    assert (tmp_path / "out" / "spam-filter" / "README.md").is_file()
    again = runner.invoke(main, args)  # an unchanged design: its warnings are replayed
    assert (again.exit_code, again.stderr) == (0, expected + "\n")
    strict = runner.invoke(main, [*args, "--strict"])
    assert (strict.exit_code, strict.stderr) == (1, expected + "\n")
    check = runner.invoke(main, ["check", "--designs", str(designs)])
    assert check.output == expected + "\n"


@needs_graphviz
def test_building_one_slug_adds_it_to_the_collection_pages(runner, designs, tmp_path):
    out = tmp_path / "out"
    args = ["-q", "build", "--designs", str(designs), "--out", str(out), "--format", "md,html"]
    assert runner.invoke(main, args).exit_code == 0
    write_design(designs, "other.py", SPAM.replace('slug="spam-filter"', 'slug="other"')
                 .replace('title="Spam filter"', 'title="Other filter"'))
    result = runner.invoke(main, [*args, "other"])
    assert result.exit_code == 0, result.output
    for page in ("index.html", "cheatsheet.html"):
        text = (out / page).read_text()
        assert "Other filter" in text and "Spam filter" in text
    unknown = runner.invoke(main, [*args, "nothing-here"])
    assert unknown.exit_code == 1
    assert "no design with slug nothing-here" in unknown.output


@needs_graphviz
def test_two_designs_with_one_slug_fail_the_later_file_every_time(runner, designs, tmp_path):
    write_design(designs, "z_copy.py", SPAM)
    for _ in range(3):
        result = runner.invoke(main, ["-q", "build", "--designs", str(designs), "--out",
                                      str(tmp_path / "out"), "--format", "md", "--force"])
        assert result.exit_code == 1
        assert result.stderr == (f"{designs / 'z_copy.py'}:1: slug 'spam-filter' is already "
                                 f"used by spam_filter.py: give this design its own slug\n")
