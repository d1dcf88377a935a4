"""Boundaries: one line for any unexpected error, strict config, and a preview that survives."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, needs_graphviz, wait_for, write_design
from mlsd.cli import main
from mlsd.config import Settings, bundled, load_settings
from mlsd.errors import MlsdError

SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()
HINT = "run again with --debug to see the traceback, and report it"


def _variant(slug: str, old: str = "", new: str = "") -> str:
    return SPAM.replace('"spam-filter"', f'"{slug}"').replace(old, new)


def _mlsd(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MLSD_DEBUG"}
    return subprocess.run([sys.executable, "-m", "mlsd", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=env)


# 1. No raw traceback -------------------------------------------------------------------------

@pytest.fixture
def broken_loader(monkeypatch):
    """Make loading designs raise what is put in the returned list."""
    raised: list[BaseException] = []
    monkeypatch.delenv("MLSD_DEBUG", raising=False)

    def survey(*args, **kwargs):
        raise raised[0]

    monkeypatch.setattr("mlsd.loader.survey", survey)
    return raised


def test_unexpected_error_is_one_line_that_says_what_to_do(runner, broken_loader):
    broken_loader.append(ValueError("bad \ud800 value"))  # stderr escapes what it cannot encode
    for command in (["list"], ["check"], ["estimate", "spam-filter"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1, command
        assert result.output == f"Error: internal error: ValueError: bad \\ud800 value: {HINT}\n"


def test_debug_flag_and_variable_show_the_traceback(runner, broken_loader, monkeypatch):
    broken_loader.append(ValueError("planted"))
    result = runner.invoke(main, ["--debug", "list"])
    assert isinstance(result.exception, ValueError) and result.exit_code == 1
    monkeypatch.setenv("MLSD_DEBUG", "1")
    assert isinstance(runner.invoke(main, ["list"]).exception, ValueError)
    monkeypatch.setenv("MLSD_DEBUG", "0")
    assert runner.invoke(main, ["list"]).output.startswith("Error: internal error: ValueError")


def test_debug_prints_the_traceback_in_a_real_process(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.mlsd]\ntemplates = "t"\n')
    write_design(tmp_path / "t", "new_design.py.j2", "")
    (tmp_path / "t" / "new_design.py.j2").write_bytes(b"\xff\xfe not utf-8")
    plain = _mlsd("new", "Fraud check", cwd=tmp_path)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.startswith("Error: internal error: UnicodeDecodeError: ")
    assert plain.stderr.endswith(HINT + "\n") and plain.stderr.count("\n") == 1
    debug = _mlsd("--debug", "new", "Fraud check", cwd=tmp_path)
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr


def test_interrupt_and_mlsd_errors_keep_their_own_handling(runner, broken_loader):
    broken_loader.append(KeyboardInterrupt())
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 1 and result.output.strip() == "Aborted!"
    broken_loader[0] = BrokenPipeError(32, "Broken pipe")  # a closed pipe: click quiets it
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 1 and result.output == ""
    broken_loader[0] = MlsdError("no design with slug x: 'mlsd list' shows the slugs there are")
    result = runner.invoke(main, ["list"])
    assert result.output == "Error: no design with slug x: 'mlsd list' shows the slugs there are\n"


def test_lone_surrogate_is_a_located_error(runner, tmp_path):
    designs = tmp_path / "designs"
    write_design(designs, "spam_filter.py", SPAM)
    write_design(designs, "title.py", _variant("title", 'title="Spam filter"', 'title="\\ud800"'))
    write_design(designs, "goal.py", _variant("goal", '"Move likely spam to a folder"',
                                              '"Move \\udfff spam"'))
    result = runner.invoke(main, ["list", "--designs", str(designs)])
    assert result.exit_code == 1 and "spam-filter" in result.output
    errors = [line for line in result.output.splitlines() if "surrogate" in line]
    assert errors[0].startswith(f"{designs / 'goal.py'}:") and "'\\udfff'" in errors[0]
    line = next(i for i, text in enumerate(SPAM.splitlines(), 1) if 'title="Spam filter"' in text)
    assert errors[1].startswith(f"{designs / 'title.py'}:{line}: CaseStudy: field 'title' holds "
                                f"a lone surrogate '\\ud800'")


def test_entries_that_are_not_python_files_are_skipped_with_a_warning(tmp_path):
    designs = tmp_path / "designs"
    write_design(designs, "spam_filter.py", SPAM)
    (designs / "dangling.py").symlink_to(tmp_path / "missing.py")
    (designs / "folder.py").mkdir()
    os.mkfifo(designs / "fifo.py")  # reading it would block for ever
    (designs / "passwd.py").symlink_to("/etc/passwd")
    done = _mlsd("list", "--designs", "designs", cwd=tmp_path, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("spam-filter ")
    assert done.stderr.splitlines() == [
        f"designs/{name}: skipped: it is {what}, not a Python file: remove it or rename it"
        for name, what in [("dangling.py", "a link to nothing"), ("fifo.py", "a FIFO or a device"),
                           ("folder.py", "a folder"), ("passwd.py", "a link to /etc/passwd")]]


def test_a_design_with_a_bom_is_checked(runner, tmp_path):
    designs = tmp_path / "designs"
    todo = _variant("bom", 'experiments="A/B test by recipient."', 'experiments="TODO"')
    write_design(designs, "bom.py", "")
    (designs / "bom.py").write_bytes(b"\xef\xbb\xbf" + todo.encode())
    result = runner.invoke(main, ["check", "--designs", str(designs)])
    line = todo.splitlines().index('        experiments="TODO",') + 1
    assert result.exit_code == 1 and result.output == (  # the keyword's line, found past the BOM
        f"{designs / 'bom.py'}:{line}: evaluation: 'experiments' still says TODO: "
        f"replace it with your answer\n")


def test_a_wrong_config_type_is_one_line(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.mlsd]\noutput = [\"site\"]\n")
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 1 and result.output == (
        f"Error: {tmp_path / 'pyproject.toml'}: [tool.mlsd]: output should be a string path, "
        f"got ['site']: fix the values\n")


# 2. Config and paths -------------------------------------------------------------------------

def _settings(tmp_path: Path, toml: str) -> Settings:
    (tmp_path / "pyproject.toml").write_text(f"[tool.mlsd]\n{toml}\n")
    return load_settings(tmp_path)


def _config_error(tmp_path: Path, toml: str) -> str:
    with pytest.raises(MlsdError) as caught:
        _settings(tmp_path, toml)
    prefix = f"{tmp_path / 'pyproject.toml'}: [tool.mlsd]: "
    assert caught.value.message.startswith(prefix)
    assert caught.value.message.endswith(": fix the values")
    return caught.value.message[len(prefix):-len(": fix the values")]


def test_a_missing_designs_folder_is_an_error_not_the_shipped_designs(runner, tmp_path,
                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _settings(tmp_path, 'designs = "desings"').designs == tmp_path / "desings"
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: designs folder '{tmp_path / 'desings'}' does not")
    (tmp_path / "pyproject.toml").write_text("[tool.mlsd]\n")
    result = runner.invoke(main, ["list", "--designs", "nowhere"])
    assert result.exit_code == 1 and "designs folder 'nowhere' does not exist" in result.output
    assert load_settings(tmp_path).designs == bundled("designs")  # nothing configured at all
    (tmp_path / "designs").mkdir()
    assert load_settings(tmp_path).designs == tmp_path / "designs"


@pytest.mark.parametrize("toml, formats", [
    ('formats = "svg,png"', ["svg", "png"]),
    ('formats = " MD, html ,"', ["md", "html"]),
    ('formats = ["pdf"]', ["pdf"]),
    ('formats = ""', []),
])
def test_formats_as_a_string_are_parsed(tmp_path, toml, formats):
    assert _settings(tmp_path, toml).formats == formats


ALL = "choose from svg,png,dot,md,html,json,pdf"


@pytest.mark.parametrize("toml, problem", [
    ('formats = "svg,gif"', "formats should be a list of names or a comma-separated string, "
                            f"got 'svg,gif' (unknown gif; {ALL})"),
    ('formats = "s,v,g"', "formats should be a list of names or a comma-separated string, "
                          f"got 's,v,g' (unknown s, v, g; {ALL})"),
    ("formats = 7", "formats should be a list of names or a comma-separated string, got 7"),
    ('formats = ["svg", 3]', "formats should be a list of names or a comma-separated string, "
                             "got ['svg', 3]"),
    ("designs = 5", "designs should be a string path, got 5"),
    ("templates = false", "templates should be a string path, got False"),
    ('paper = "A5"', "paper should be \"A4\" or \"Letter\", got 'A5'"),
    ("paper = 4", "paper should be \"A4\" or \"Letter\", got 4"),
    ('timeout = "x"', "timeout should be a positive number of seconds, got 'x'"),
    ("timeout = 0", "timeout should be a positive number of seconds, got 0"),
    ("timeout = true", "timeout should be a positive number of seconds, got True"),
    ("timeout = inf", "timeout should be a positive number of seconds, got inf"),
])
def test_each_config_error_names_the_key_and_what_it_should_be(tmp_path, toml, problem):
    assert _config_error(tmp_path, toml) == problem


def test_config_errors_are_reported_together(tmp_path):
    problems = _config_error(tmp_path, 'designs = 5\npaper = "A5"\ntimeout = -1\noutput = "ok"')
    assert [p.split(" should")[0] for p in problems.split("; ")] == ["designs", "paper", "timeout"]


def test_good_config_values_are_read(tmp_path):
    settings = _settings(tmp_path, 'paper = "letter"\ntimeout = 30\ntemplates = "t"')
    assert (settings.paper, settings.timeout, settings.templates) == ("Letter", 30.0,
                                                                      tmp_path / "t")


def test_tool_mlsd_that_is_not_a_table_is_one_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool]\nmlsd = "x"\n')
    with pytest.raises(MlsdError, match=r"tool.mlsd should be a table .*got 'x': fix the TOML"):
        load_settings(tmp_path)


# 3. serve survives ---------------------------------------------------------------------------

def _fetch(url: str, method: str = "GET") -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method),
                                    timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def _status(base: str) -> dict:
    return json.loads(_fetch(f"{base}/_mlsd/status")[1])



@pytest.fixture
def served(monkeypatch, request):
    """The live server, and the folder it serves: (designs, base URL, site folder)."""
    import mlsd.serve
    roots: list[Path] = []
    mkdtemp = mlsd.serve.tempfile.mkdtemp

    def record(*args, **kwargs):
        made = mkdtemp(*args, **kwargs)
        if kwargs.get("prefix") == "mlsd-serve-":
            roots.append(Path(made))
        return made

    monkeypatch.setattr(mlsd.serve.tempfile, "mkdtemp", record)
    designs, base = request.getfixturevalue("live")
    return designs, base, roots[0]


@needs_graphviz
def test_any_build_error_shows_in_the_banner_and_the_next_save_rebuilds(live, monkeypatch):
    import mlsd.serve
    designs, base = live
    real, fail = mlsd.serve.build, [RuntimeError("planted")]

    def build(*args, **kwargs):
        if fail:
            raise fail.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(mlsd.serve, "build", build)
    write_design(designs, "spam_filter.py", SPAM.replace("Spam filter", "Junk filter"))
    errors = wait_for(lambda: _status(base)["errors"])
    assert errors == [f"internal error: RuntimeError: planted: {HINT}"]
    write_design(designs, "spam_filter.py", SPAM.replace("Spam filter", "Junk mail filter"))
    wait_for(lambda: not _status(base)["errors"])
    assert "Junk mail filter" in _fetch(f"{base}/spam-filter/index.html")[1]


@needs_graphviz
def test_a_lone_surrogate_shows_in_the_banner_then_clears(live):
    designs, base = live
    write_design(designs, "spam_filter.py", SPAM.replace('"Spam filter"', '"\\ud800"'))
    errors = wait_for(lambda: _status(base)["errors"])
    assert "field 'title' holds a lone surrogate" in errors[0]
    write_design(designs, "spam_filter.py", SPAM.replace("Spam filter", "Ham filter"))
    wait_for(lambda: not _status(base)["errors"])
    assert "Ham filter" in _fetch(f"{base}/spam-filter/index.html")[1]


def test_a_failing_watcher_shows_and_watches_again(tmp_path, monkeypatch):
    import watchfiles

    from mlsd.serve import Site, _watch
    site, stop, calls = Site(Settings(tmp_path, tmp_path), tmp_path), threading.Event(), []

    def watch(*paths, **kwargs):
        calls.append(paths)
        if len(calls) == 1:
            raise OSError(28, "inotify watch limit reached")
        yield {("modified", "x.py")}
        stop.set()

    monkeypatch.setattr(watchfiles, "watch", watch)
    monkeypatch.setattr(site, "rebuild", lambda: site.show([]))
    shown = []
    monkeypatch.setattr(site, "show", lambda errors, changed=False: shown.append(errors))
    _watch(site, stop)
    assert len(calls) == 2
    assert shown == [[f"internal error: OSError: [Errno 28] inotify watch limit reached: {HINT}"],
                     []]


@needs_graphviz
def test_serve_never_follows_a_link_out_of_its_folder(served):
    _, base, root = served
    (root / "passwd.html").symlink_to("/etc/passwd")
    (root / "etc").symlink_to("/etc")
    (root / "home.html").symlink_to(root / "spam-filter" / "index.html")  # inside: served
    for path in ("/passwd.html", "/etc/passwd", "/etc/", "/etc"):
        for method in ("GET", "HEAD"):
            assert _fetch(base + path, method) == (404, ""), (path, method)
    assert _fetch(f"{base}/home.html")[0] == 200


@needs_graphviz
def test_a_nul_in_the_url_is_404(live):
    _, base = live
    for path in ("/%00", "/spam-filter/index.html%00", "/spam-filter%00/", "/a%00.svg"):
        for method in ("GET", "HEAD"):
            assert _fetch(base + path, method)[0] == 404, (path, method)
    assert _fetch(f"{base}/spam-filter/index.html")[0] == 200  # still serving


@needs_graphviz
def test_sigterm_removes_the_temporary_folder(tmp_path):
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    temp = tmp_path / "temp"
    temp.mkdir()
    child = subprocess.Popen([sys.executable, "-m", "mlsd", "serve", "--port", "0"],
                             cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "TMPDIR": str(temp)})
    try:
        assert any(line.startswith("Serving") for line in child.stderr)
        assert [p.name[:11] for p in temp.iterdir()] == ["mlsd-serve-"]
        child.send_signal(signal.SIGTERM)
        assert child.wait(30) == 0
    finally:
        child.kill()
    assert not list(temp.iterdir())
