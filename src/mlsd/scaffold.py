"""`mlsd new`: start a design module with every stage stubbed, or copy an existing one."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import MlsdError
from .framework import STAGES
from .loader import load_all
from .model import SLUG_RE, slugify
from .output import write_atomic


def design_path(designs: Path, slug: str) -> Path:
    """Return where a design with this slug lives: designs/<slug with underscores>.py."""
    if not SLUG_RE.match(slug):
        raise MlsdError(f"slug '{slug}' should be lowercase words joined by hyphens, "
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
        "new_design.py.j2").render(slug=slug, title=title,
                                   prompts={s.id: s.prompts for s in STAGES})
    write_atomic(path, text.encode())
    return path


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
