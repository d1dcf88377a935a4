"""Fill the Jinja templates: per design README.md, index.html and design.json; the home page."""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import __version__
from .config import bundled
from .errors import Location, RenderError
from .framework import STAGES
from .model import CaseStudy
from .prose import word_count
from .untrusted import markdown_code, markdown_inline, markdown_plain
from .writeup import stage_views

# CommonMark with raw HTML off: a design's text can format itself but never inject markup.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class DiagramRef:
    """A rendered diagram as pages link it."""

    title: str
    slug: str
    stage: str
    description: str
    wide: bool = False  # printed on a landscape page of its own
    raster: bool = True  # has a PNG besides its SVG (per-stage views do not)
    components: tuple[str, ...] = ()  # ids of the components it draws

    @property
    def svg(self) -> str:
        return f"{self.slug}.svg"

    @property
    def png(self) -> str:
        return f"{self.slug}.png"


def inline_markdown(value: str) -> Markup:
    """Render inline Markdown to safe HTML (the input's own HTML is escaped)."""
    return Markup(_MARKDOWN.renderInline(str(value)))


def markdown_cell(value: str) -> str:
    """Make inline Markdown safe inside a Markdown table cell: HTML escaped, one line."""
    return markdown_inline(value).replace("|", "\\|").replace("\n", " ")


def environment(templates: Path | None = None) -> jinja2.Environment:
    """Return the Jinja environment: a user's templates shadow the built-in ones file by file."""
    folders = [str(templates)] if templates else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders + [str(bundled("templates"))]),
        bytecode_cache=_bytecode_cache(),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    # md renders a design's text as HTML; the md_ filters keep it text in README.md
    env.filters.update(md=inline_markdown, cell=markdown_cell, md_inline=markdown_inline,
                       md_plain=markdown_plain, md_code=markdown_code)
    env.globals.update(stages=STAGES, version=__version__)
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Return a cache of compiled templates that outlives the process (saves ~0.1 s a build).

    Entries are keyed by template source, so an edited template is compiled afresh.
    """
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = root / "mlsd" / f"jinja-{__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: compile every time
    return jinja2.FileSystemBytecodeCache(str(folder))


def render(env: jinja2.Environment, name: str, **context) -> str:
    """Render one template, turning template errors into a located one-line error."""
    try:
        return env.get_template(name).render(**context)
    except (jinja2.TemplateError, UnicodeDecodeError) as exc:
        raise template_error(exc, name) from None


def template_error(exc: Exception, name: str) -> RenderError:
    """Return a template's error as one line, located when Jinja knows the line."""
    if isinstance(exc, UnicodeDecodeError):
        return RenderError(f"template '{name}' (or one it includes) is not UTF-8: save it as "
                           f"UTF-8")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return RenderError(f"template error: {exc.message}: fix the template",
                           Location(exc.filename or name, exc.lineno or 0))
    return RenderError(f"template '{name}' failed: {exc}: fix the template")


def template_closure(env: jinja2.Environment, names: list[str]) -> list[str]:
    """Return the templates these ones use, themselves included: extends, includes, imports."""
    from jinja2 import meta

    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)
            parsed = env.parse(source, name, filename)
        except (jinja2.TemplateError, UnicodeDecodeError) as exc:
            raise template_error(exc, name) from None
        todo += [t for t in meta.find_referenced_templates(parsed) if t]
    return sorted(seen)


def design_context(case: CaseStudy, diagrams: list[DiagramRef]) -> dict:
    """Return what every per-design template receives: the design with the figures its prose
    names filled in."""
    from .figures import figures, filled

    words = word_count(case)
    case = filled(case, figures(case))
    return {
        "case": case, "views": stage_views(case), "diagrams": diagrams,
        "overview": [d for d in diagrams if not d.stage],
        "estimates": case.scale.estimates() if case.scale else [],
        "words": words, "source": Path(case.location.path).name,
    }


def design_json(case: CaseStudy, diagrams: list[DiagramRef]) -> str:
    """Return the declared model as JSON: stages, components, capacity, latency and the
    diagram files, so scripts and tests can read the model."""
    from .capacity import capacity
    from .components import step_ms, step_name

    serving = case.serving
    path = serving.latency_path if serving else []
    data = {
        "slug": case.slug, "title": case.title, "summary": case.summary, "prompt": case.prompt,
        "source": Path(case.location.path).name,
        "stages": {s.id: _plain(sec) for s, sec in case.sections()},
        "components": [{"id": c.id, "label": c.label, "stage": c.stage,
                        "views": [d.slug for d in diagrams if c.id in d.components],
                        **{k: v for k, v in _plain(c).items() if k not in ("label", "stage")}}
                       for c in case.all_components()],
        "capacity": [dataclasses.asdict(e) | {"figure": e.figure} for e in capacity(case)],
        "latency": {"target_ms": serving.latency_target_ms if serving else 0,
                    "total_ms": serving.total_latency_ms if serving else 0,
                    "paths": [{"steps": [{"name": step_name(s), "ms": step_ms(s)} for s in path],
                               "total_ms": sum(step_ms(s) for s in path)}] if path else []},
        "diagrams": [{"title": d.title, "slug": d.slug, "stage": d.stage or None, "svg": d.svg,
                      "png": d.png if d.raster else None}
                     for d in diagrams if d.raster],
        "views": [{"slug": d.slug, "title": d.title, "stage": d.stage, "svg": d.svg}
                  for d in diagrams if not d.raster],
        "words": word_count(case),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _plain(obj):
    """Return a declared object as plain data: components by their id, icons by name."""
    from .components import Component, Parallel

    if isinstance(obj, Component):
        return {f.name: (getattr(obj, f.name).__name__ if f.name == "icon"
                         else getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if f.init and f.name != "_"}
    if isinstance(obj, Parallel):
        return {"parallel": [_plain(s) for s in obj.steps]}
    if isinstance(obj, (list, tuple)):
        return [_ref(v) if isinstance(v, Component) else _plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
    return obj


def _ref(component) -> dict:
    return {"component": component.id}
