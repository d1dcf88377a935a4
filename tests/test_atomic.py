"""A build killed at any moment (kill -9) leaves the previous output whole and no temp file."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, needs_graphviz, write_design

pytestmark = needs_graphviz
SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()


def _whole(path: Path) -> bool:
    """Return whether a file is complete for its type."""
    data = path.read_bytes()
    if path.suffix == ".png":
        return data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")
    if path.suffix == ".svg":
        return data.rstrip().endswith(b"</svg>")
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    if path.suffix == ".json":
        return bool(json.loads(data))
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages) > 0
    return bool(data)


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 3.0])
def test_kill_9_leaves_previous_output_whole(delay, tmp_path):
    designs, out = tmp_path / "designs", tmp_path / "out"
    write_design(designs, "spam_filter.py", SPAM)
    command = [sys.executable, "-m", "mlsd", "-q", "build", "--designs", str(designs),
               "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    before = {p.relative_to(out) for p in out.rglob("*") if p.is_file()}
    write_design(designs, "spam_filter.py", SPAM.replace("Spam filter", "Junk filter"))

    child = subprocess.Popen(command + ["--force"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(delay)
    os.killpg(child.pid, signal.SIGKILL)  # the build and its workers, at once
    child.wait()

    after = {p.relative_to(out) for p in out.rglob("*") if p.is_file()}
    assert after == before  # nothing lost, no temporary file inside output/
    assert all(_whole(out / rel) for rel in after)

    subprocess.run(command, check=True, capture_output=True)  # the next build recovers
    assert "Junk filter" in (out / "spam-filter" / "README.md").read_text()
    assert not (tmp_path / ".out.mlsd-staging").exists()
    check = subprocess.run(command + ["--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_ctrl_c_is_one_line_and_leaves_no_staging(tmp_path):
    designs, out = tmp_path / "designs", tmp_path / "out"
    for i in range(4):  # enough work that the interrupt lands well before the end
        write_design(designs, f"spam_{i}.py", SPAM.replace('"spam-filter"', f'"spam-{i}"'))
    child = subprocess.Popen([sys.executable, "-m", "mlsd", "-q", "build", "--designs",
                              str(designs), "--out", str(out), "--force"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    output, _ = child.communicate(timeout=120)
    if child.returncode == 0:
        pytest.skip("the build finished before the interrupt arrived")
    assert child.returncode == 1
    assert output == (f"Error: interrupted: every file in {out} is whole, old or new; "
                      f"run the build again to finish\n")
    assert not (tmp_path / ".out.mlsd-staging").exists()
    assert not list(out.rglob("*.tmp")) if out.exists() else True
