"""`mlsd render`: run a plain `diagrams` script and write portable, deterministic SVG and PNG.

The script runs in a child Python whose `Diagram` records its DOT source instead of rendering
it, so no viewer opens and nothing lands in the working directory, whatever `show` and
`filename` say. mlsd then lays each diagram out once, like the diagrams of a design.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .drawing import stable_ids
from .errors import DesignError, Location, MlsdError
from .model import slugify
from .plan import DEFAULT_TIMEOUT
from .render import render_dot

# Runs in the child: replace Diagram's rendering with a recorder, then run the script.
_BOOTSTRAP = r"""
import json, runpy, sys
import diagrams

captured = []

def _record(self):
    captured.append({"name": self.name, "filename": self.filename, "source": self.dot.source})

def _exit(self, *exc):
    if exc[0] is None:
        _record(self)
    diagrams.setdiagram(None)

diagrams.Diagram.render = _record
diagrams.Diagram.__exit__ = _exit
diagrams.Diagram._repr_png_ = lambda self: None
sys.argv = [sys.argv[1]]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(captured, handle)
"""
_IMAGE_RE = re.compile(r'\bimage="([^"]+)"')
_LABEL_RE = re.compile(r'\blabel="?((?:[^"\\]|\\.)*?)"?[ \]]')


def render_script(script: Path, out: Path, formats: list[str]) -> list[Path]:
    """Run a diagrams script and write each of its diagrams to out; return the files."""
    script = script.resolve()
    if not script.is_file():
        raise MlsdError(f"{script} does not exist: name a diagrams script")
    written = []
    for diagram in _capture(script):
        name = Path(diagram["filename"]).name or slugify(diagram["name"]) or "diagram"
        source = stable_ids(_absolute_images(diagram["source"], script.parent))
        title = diagram["name"] or name
        rendered = render_dot(source, formats, title=title, description=describe(title, source),
                              name=title)
        for fmt, data in rendered.items():
            path = out / f"{name}.{fmt}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    return written


def _capture(script: Path, timeout: float = DEFAULT_TIMEOUT) -> list[dict]:
    """Run the script in a child Python and return the diagrams it declared."""
    with tempfile.TemporaryDirectory(prefix="mlsd-render-") as tmp:
        result = Path(tmp) / "captured.json"
        code = f"RESULT = {str(result)!r}\n{_BOOTSTRAP}"
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            done = subprocess.run([sys.executable, "-c", code, str(script)], cwd=script.parent,
                                  capture_output=True, text=True, env=env, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise DesignError(f"did not finish within {timeout:g} s: look for an endless loop",
                              Location(str(script), 1)) from None
        if done.returncode != 0:
            raise DesignError(_last_error(done.stderr), _error_line(done.stderr, script))
        captured = json.loads(result.read_text(encoding="utf-8"))
    if not captured:
        raise DesignError("the script declares no diagram: use 'with Diagram(...):'",
                          Location(str(script), 1))
    return captured


def _last_error(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return f"{lines[-1].strip() if lines else 'the script failed'}: fix the script"


def _error_line(stderr: str, script: Path) -> Location:
    """Return the deepest line of the script in the child's traceback."""
    found = re.findall(rf'File "{re.escape(str(script))}", line (\d+)', stderr)
    return Location(str(script), int(found[-1]) if found else 1)


def _absolute_images(source: str, base: Path) -> str:
    """Resolve icon paths relative to the script's folder, as diagrams would."""
    return _IMAGE_RE.sub(lambda m: f'image="{(base / m.group(1)).resolve()}"', source)


def describe(title: str, source: str) -> str:
    """Return a plain description of a diagram from its DOT source: its labelled parts."""
    labels = [label.replace("\\n", " ") for label in _LABEL_RE.findall(source) if label]
    return f"{title}: {', '.join(dict.fromkeys(labels))}." if labels else f"{title}."
