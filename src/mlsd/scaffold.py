"""`mlsd new`: start a design module with every stage stubbed, or copy an existing one."""
from __future__ import annotations

import ast
import re
from functools import partial
from pathlib import Path

from .errors import MlsdError
from .framework import STAGES
from .loader import load_all
from .model import SLUG_RE, slugify
from .output import write_atomic
from .sections import Part, required

WIDTH = 100  # longest starter line, counting the 8 spaces a stage field is indented by


def design_path(designs: Path, slug: str) -> Path:
    """Return where a design with this slug lives: designs/<slug with underscores>.py."""
    if not SLUG_RE.fullmatch(slug):
        raise MlsdError(f"slug {slug!r} should be lowercase words joined by hyphens, "
                        f"like '{slugify(slug) or 'my-design'}'")
    path = (designs / f"{slug.replace('-', '_')}.py").resolve()
    if path.parent != designs.resolve():  # a slug is letters, digits and hyphens; belt and braces
        raise MlsdError(f"'{slug}' would write outside {designs}: choose another slug")
    return path


def new_design(title: str, designs: Path, env, *, slug: str | None = None,
               source: str | None = None, force: bool = False) -> Path:
    """Write a new design module and return its path; refuse to overwrite unless force."""
    slug = slug or slugify(title)
    if not title.strip() or not slug:
        raise MlsdError("the title needs at least one letter or digit")
    path = design_path(designs, slug)
    if path.exists() and not force:
        raise MlsdError(f"{path} already exists: pick another --slug, or pass --force")
    text = _copy(designs, source, slug, title) if source else env.get_template(
        "new_design.py.j2").render(slug=slug, title=title, sections=stubs())
    write_atomic(path, text.encode())
    return path


def stubs() -> list[dict]:
    """Return each stage's keyword, section class name and starter lines, from the schema."""
    return [{"id": s.id, "cls": s.section.__name__,
             "lines": [line for name, p in required(s.section) for line in starter(name, p)]}
            for s in STAGES]


def starter(name: str, p: Part) -> list[str]:
    """Return the source lines of one field's starter; its TODO text is the field's prompt."""
    # a value with no text to hold the prompt (a Scale, fixed keys) gets it as a comment
    comment = [] if "%s" in p.starter else [f"# TODO: {p.prompt}"]
    source = p.starter.replace("%s", _quote(f"TODO: {p.prompt}"))
    items = _items(source)
    if 8 + len(f"{name}={source},") <= WIDTH or not items:
        return [*comment, f"{name}={source},"]
    return [*comment, f"{name}={source[0]}", *(f"    {item}," for item in items),
            f"{source[-1]},"]


def _items(source: str) -> list[str]:
    """Return the source of each entry of a list or dict literal ([] for anything else)."""
    node = ast.parse(source, mode="eval").body
    segment = partial(ast.get_source_segment, source)
    if isinstance(node, ast.Dict):
        return [f"{segment(k)}: {segment(v)}" for k, v in zip(node.keys, node.values)]
    return [segment(e) for e in node.elts] if isinstance(node, ast.List) else []


def _copy(designs: Path, source: str, slug: str, title: str) -> str:
    """Return the module of design `source` with its slug and title replaced."""
    found = [item for item in load_all(designs, (source,)) if item.case]
    if not found:
        raise MlsdError(f"design '{source}' does not load: run 'mlsd check {source}' first")
    text = found[0].path.read_text(encoding="utf-8")
    text = re.sub(r'\bslug=(["\']).*?\1', f"slug={slug!r}".replace("'", '"'), text, count=1)
    return re.sub(r'\btitle=(["\']).*?\1', f"title={_quote(title)}", text, count=1)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
