"""mlsd serve: live rebuilds, the error banner, and confinement to the site folder."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from conftest import FIXTURES, needs_graphviz, wait_for, write_design

pytestmark = needs_graphviz
SPAM = (FIXTURES / "designs" / "spam_filter.py").read_text()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def _status(base: str) -> dict:
    return json.loads(_get(f"{base}/_mlsd/status"))



def test_page_is_served_with_the_reload_script(live):
    _, base = live
    page = _get(f"{base}/spam-filter/index.html")
    assert "<h1>Spam filter</h1>" in page and "/_mlsd/status" in page
    assert _get(f"{base}/spam-filter/system-architecture.svg").startswith("<?xml")


def test_edit_rebuilds_and_a_syntax_error_shows_then_clears(live):
    designs, base = live
    before = _status(base)["version"]
    write_design(designs, "spam_filter.py", SPAM.replace("Spam filter", "Junk mail filter"))
    wait_for(lambda: _status(base)["version"] > before)  # pages land before the version moves
    assert "Junk mail filter" in _get(f"{base}/spam-filter/index.html")

    write_design(designs, "spam_filter.py", SPAM + "\ncase = (\n")
    errors = wait_for(lambda: _status(base)["errors"])
    assert "syntax error" in errors[0] and "spam_filter.py" in errors[0]
    assert "Junk mail filter" in _get(f"{base}/spam-filter/index.html")  # last good page stays

    write_design(designs, "spam_filter.py", SPAM)
    wait_for(lambda: not _status(base)["errors"])


def test_no_path_traversal(live):
    _, base = live
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"):
        try:
            body = _get(base + path)
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
        else:
            assert "root:" not in body


def test_busy_port_is_one_line(live, runner, tmp_path):
    from mlsd.cli import main
    _, base = live
    port = base.rsplit(":", 1)[1]
    result = runner.invoke(main, ["serve", "--designs", str(tmp_path), "--port", port])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot serve on 127.0.0.1:{port}: ")
    assert result.output.endswith("pass --port with a free port (0 picks one)\n")
