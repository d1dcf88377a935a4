"""A design that exits, hangs, prints or leaves threads costs only itself; builds own their
folder: one at a time, on any filesystem, and a killed build leaves no worker behind."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, needs_graphviz, write_design
from mlsd.cli import main

pytestmark = needs_graphviz
SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()
DIAGRAM = '@case.diagram("Model", stage="model")\ndef model():\n'

# name -> (what the design does, the message its line should carry)
MISBEHAVING = {
    "sys_exit": ("import sys\nsys.exit(3)\n", "the design exits (status 3)"),
    "os_exit": ("import os\nos._exit(0)\n", "the design exits (status 0)"),
    "system_exit": ("raise SystemExit('bye')\n", "the design exits (status bye)"),
    "interrupt": ("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
    "base_exception": ("class Odd(BaseException):\n    pass\nraise Odd('odd')\n", "Odd: odd"),
}


def _misbehaving(folder: Path, name: str, code: str) -> int:
    """Write a copy of the spam filter that runs code at import; return that code's line."""
    body = SPAM.replace('slug="spam-filter"', f'slug="{name.replace("_", "-")}"')
    write_design(folder, f"{name}.py", code + body)
    return code.count("\n")


@pytest.mark.parametrize("name", MISBEHAVING)
def test_a_design_that_exits_costs_only_itself(name, tmp_path, runner, monkeypatch):
    code, message = MISBEHAVING[name]
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    line = _misbehaving(tmp_path / "designs", name, code)
    result = runner.invoke(main, ["-q", "build", "--out", "out", "--format", "md"])
    assert result.exit_code == 1
    [error] = result.stderr.splitlines()
    assert error.startswith(f"designs/{name}.py:{line}: ") and message in error, error
    assert (tmp_path / "out" / "spam-filter" / "README.md").is_file()


def test_a_diagram_that_exits_costs_only_itself(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    body = SPAM.replace('slug="spam-filter"', 'slug="quitter"').replace(
        DIAGRAM, DIAGRAM + "    import os\n    os._exit(5)\n")
    write_design(tmp_path / "designs", "quitter.py", body)
    result = runner.invoke(main, ["-q", "build", "--out", "out", "--format", "svg"])
    assert result.exit_code == 1
    line = body.splitlines().index("    os._exit(5)") + 1
    assert result.stderr.startswith(f"designs/quitter.py:{line}: ")
    assert (tmp_path / "out" / "spam-filter" / "model.svg").is_file()


def test_a_design_that_hangs_is_stopped_at_its_time_limit(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_design(tmp_path / "designs", "spam_filter.py", SPAM)
    _misbehaving(tmp_path / "designs", "loops", "while True:\n    pass\n")
    start = time.monotonic()
    result = runner.invoke(main, ["-q", "build", "--out", "out", "--format", "md",
                                  "--timeout", "3"])
    assert time.monotonic() - start < 30
    assert result.exit_code == 1
    assert result.stderr == (f"designs/loops.py:1: did not finish within 3 s: look for an "
                             f"endless loop, or raise --timeout\n")
    assert (tmp_path / "out" / "spam-filter" / "README.md").is_file()


def test_a_thread_left_running_does_not_keep_the_build_alive(tmp_path):
    designs = tmp_path / "designs"
    _misbehaving(designs, "lingers", "import threading, time\n"
                 "threading.Thread(target=lambda: time.sleep(600)).start()\n")
    done = subprocess.run([sys.executable, "-m", "mlsd", "-q", "build", "--designs",
                           str(designs), "--out", str(tmp_path / "out"), "--format", "md"],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "out" / "lingers" / "README.md").is_file()


def test_a_design_that_prints_never_mixes_into_json_or_the_summary(tmp_path):
    designs = tmp_path / "designs"
    _misbehaving(designs, "chatty", "print('hello from the design')\n"
                 "import sys\nprint('and to stderr', file=sys.stderr)\n")
    mlsd = [sys.executable, "-m", "mlsd"]  # a real process: its stdout is the terminal's
    for command in (["check", "--json"], ["list", "--json"]):
        done = subprocess.run([*mlsd, *command, "--designs", str(designs)], capture_output=True,
                              text=True)
        assert json.loads(done.stdout) is not None
        assert "hello" not in done.stdout + done.stderr and "and to" not in done.stderr
    built = subprocess.run([*mlsd, "build", "--designs", str(designs), "--out",
                            str(tmp_path / "out"), "--format", "md"], capture_output=True,
                           text=True)
    assert built.returncode == 0 and built.stdout == ""
    assert "hello" not in built.stderr and "and to stderr" not in built.stderr


@pytest.mark.parametrize("command", ["check", "list"])
def test_check_and_list_survive_a_design_that_exits(command, tmp_path, runner):
    designs = tmp_path / "designs"
    write_design(designs, "spam_filter.py", SPAM)
    _misbehaving(designs, "quits", "import os\nos._exit(0)\n")
    result = runner.invoke(main, [command, "--designs", str(designs)])
    assert result.exit_code == 1
    assert f"{designs / 'quits.py'}:2: " in result.output
    assert "spam-filter" in result.output or command == "check"


def test_a_second_build_into_the_same_folder_is_refused(tmp_path, runner):
    from mlsd.output import OutputFolder

    designs, out = tmp_path / "designs", tmp_path / "out"
    write_design(designs, "spam_filter.py", SPAM)
    with OutputFolder(out, designs).locked():
        result = runner.invoke(main, ["build", "--designs", str(designs), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output == (f"Error: another mlsd build is writing to {out}: wait for it to "
                             f"finish, then run this one again\n")


def _workers(pid: int) -> list[int]:
    """Return the Python children of a process (its workers; not a passing `dot -V`)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if int(tail.split()[1]) == pid and "python" in head.split("(", 1)[1]:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
def test_killing_a_build_kills_its_pdf_workers(tmp_path):
    designs, out = tmp_path / "designs", tmp_path / "out"
    for i in range(2):  # busy for a minute, sending nothing: only the kernel can end them
        _misbehaving(designs, f"slow_{i}", "import time\ntime.sleep(60)\n")
    build = subprocess.Popen([sys.executable, "-m", "mlsd", "-q", "build", "--designs",
                              str(designs), "--out", str(out), "--jobs", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(workers := _workers(build.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2, "the workers did not start"
    build.send_signal(signal.SIGKILL)  # the build alone: its workers must follow
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
    for path in designs.iterdir():
        path.write_text(path.read_text().replace("time.sleep(60)", "pass"))
    again = subprocess.run([sys.executable, "-m", "mlsd", "-q", "build", "--designs",
                            str(designs), "--out", str(out), "--format", "md"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr  # an interrupted first build is not refused


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a tmpfs at tmp_path/mnt (another filesystem than tmp_path), or skip."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("this machine does not let the tests mount a tmpfs")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_output_folder_on_another_filesystem(tmpfs, tmp_path, runner):
    designs = tmp_path / "designs"
    write_design(designs, "spam_filter.py", SPAM)
    assert os.stat(tmpfs).st_dev != os.stat(tmp_path).st_dev
    args = ["-q", "build", "--designs", str(designs), "--out", str(tmpfs), "--format", "svg,md"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (tmpfs / "spam-filter" / "README.md").is_file()
    assert [p.name for p in tmpfs.iterdir() if "staging" in p.name] == []
    assert runner.invoke(main, [*args, "--check"]).exit_code == 0
