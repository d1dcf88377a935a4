"""One design's build: import it, lay out its diagrams, fill its pages, print its handout.

This runs in a worker (see workers.py) and sends what it makes as it goes: the design's slug
once it loads, its web outputs, its handout, and last the record the manifest keeps. An
output whose inputs did not change since the last build is taken from disk, not made again.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import Location, MlsdError, raised
from .manifest import DesignRecord, Entry, Output, digest, intact
from .plan import PAGES, Job, TEMPLATE

PAGE_TEMPLATES = {"README.md": "readme.md.j2", "index.html": "design.html.j2",
                  "handout.pdf": "handout.html.j2"}


@dataclass
class LaidOut:
    """A diagram drawn and laid out: how pages refer to it, and its files."""

    ref: object  # pages.DiagramRef
    outputs: list[Output]
    icons: set[str]  # the image files its nodes name
    svg: bytes | None  # for the handout, even when SVG is not an asked format
    drawing: object  # drawing.Drawing


@dataclass(frozen=True)
class Shared:
    """What every design's build uses, made once before the workers fork."""

    env: object  # the Jinja environment
    templates: dict[str, str]  # the page templates, as inputs: "template:name" -> hash


def prepare(job: Job) -> Shared:
    """Return the shared part of a build: the templates, loaded and hashed once."""
    from .pages import environment, template_closure

    env = environment(job.templates)
    names = [t for rel, t in PAGE_TEMPLATES.items()
             if any(PAGES[f] == rel for f in job.formats if f in PAGES)]
    return Shared(env, {TEMPLATE + name: job.input_hash(TEMPLATE + name)
                        for name in template_closure(env, names)})


def task(path: Path, job: Job, old: DesignRecord | None, shared: Shared):
    """Return the worker task that builds the design at path."""
    def run(send) -> None:
        try:
            DesignBuild(path, job, old, shared, send).run()
        except MlsdError as exc:
            send("error", exc)
        except BaseException as exc:  # noqa: BLE001 -- the design's own code, exits included
            send("error", raised(exc, str(path), Location(str(path), 1)))
    return run


class DesignBuild:
    """The build of one design module, phase by phase."""

    def __init__(self, path: Path, job: Job, old: DesignRecord | None, shared: Shared, send):
        self.path, self.job, self.send = path, job, send
        self.env, self.templates = shared.env, shared.templates
        self.old = old or DesignRecord("", {}, {}, {})
        self.outputs: dict[str, Entry] = {}

    def run(self) -> None:
        """Load, lay out, fill the pages and print the handout, sending each as it is made."""
        from .check import check_case

        case, helpers = self.load()
        self.send("slug", case.slug)
        diagrams = [self.lay_out(case, spec) for spec in case.diagrams]
        diagrams += self.views(case, diagrams[0].drawing) if diagrams else []
        refs = [d.ref for d in diagrams]
        inputs = self.inputs(helpers, set().union(*(d.icons for d in diagrams)))
        self.emit([o for d in diagrams for o in d.outputs] + self.pages(case, refs, inputs))
        card = self.card(case, refs)
        if "pdf" in self.job.formats:
            self.emit([self.handout(case, refs, diagrams, card)])
        drawings = [d.drawing for d in diagrams[:len(case.diagrams)]]
        problems = [self.problem(p) for p in check_case(case, strict=self.job.strict,
                                                        drawings=drawings)]
        self.send("record", DesignRecord(case.slug, inputs, self.outputs, card, problems))

    def load(self):
        """Import the design; return it and the helper modules it imported."""
        from .loader import load_with_helpers

        return load_with_helpers(self.path)

    def lay_out(self, case, spec) -> LaidOut:
        """Draw a diagram and lay it out with Graphviz, unless its files are unchanged."""
        from .drawing import draw

        drawing = draw(spec)
        return self.render(case, drawing, spec.slug, spec.title, spec.stage, spec.location)

    def views(self, case, architecture) -> list[LaidOut]:
        """Lay out a view of each stage the architecture draws as a cluster: SVG only, for
        pages and handouts (a PNG costs about ten times as much in dot; see bench/)."""
        from .drawing import Drawing
        from .views import stage_views

        laid = []
        for stage, source in stage_views(architecture):
            title = f"{stage.title}: its part of the {architecture.title.lower()}"
            nodes = [n for n in architecture.nodes if n.stage is stage]
            view = Drawing(title, source, architecture.direction, [stage], nodes,
                           components=[c for c in architecture.components
                                       if c.id in {n.id for n in nodes}])
            laid.append(self.render(case, view, f"view-{stage.id}", title, stage.id,
                                    case.location, raster=False))
        return laid

    def render(self, case, drawing, slug: str, title: str, stage: str, location,
               raster: bool = True) -> LaidOut:
        """Lay out a drawing in the asked formats, taking unchanged files from disk."""
        from .pages import DiagramRef
        from .render import DIAGRAM_FORMATS, icons, is_wide, render_dot, source_key

        wanted = [f for f in DIAGRAM_FORMATS if f in self.job.formats and (raster or f != "png")]
        if "pdf" in self.job.formats and "svg" not in wanted:
            wanted.append("svg")  # the handout embeds the SVG even when it is not written
        made_from = digest(source_key(drawing.source), drawing.description(), ",".join(wanted))
        rels = {f: f"{case.slug}/{slug}.{f}" for f in wanted}
        files = {f: self.cached(rel, made_from) for f, rel in rels.items()}
        if any(data is None for data in files.values()):
            try:
                files = render_dot(drawing.source, wanted, title=drawing.title,
                                   description=drawing.description(), name=title)
            except MlsdError as exc:
                exc.location = exc.location or location
                raise
        ref = DiagramRef(title, slug, stage, drawing.description(),
                         wide=is_wide(files.get("svg", b"")), raster=raster,
                         components=tuple(c.id for c in drawing.components))
        return LaidOut(ref, [Output(rels[f], made_from, data) for f, data in files.items()
                             if f in self.job.formats], icons(drawing.source), files.get("svg"),
                       drawing)

    def pages(self, case, refs, inputs: dict[str, str]) -> list[Output]:
        """Fill the design's Markdown, web page and JSON, unless they are unchanged."""
        from . import pages

        made_from = digest(*(f"{k}:{v}" for k, v in sorted(inputs.items())),
                           *(repr(r) for r in refs))
        context = pages.design_context(case, refs)
        makers = {"md": lambda: pages.render(self.env, "readme.md.j2", **context),
                  "html": lambda: pages.render(self.env, "design.html.j2", **context),
                  "json": lambda: pages.design_json(case, refs)}
        made = []
        for fmt, make in makers.items():
            if fmt in self.job.formats:
                rel = f"{case.slug}/{PAGES[fmt]}"
                made.append(Output(rel, made_from, self.cached(rel, made_from)
                                   or make().encode()))
        return made

    def handout(self, case, refs, diagrams: list[LaidOut], card: dict) -> Output:
        """Print the design's handout, unless its page and diagrams are unchanged."""
        from . import pages
        from .handouts import print_pdf

        html = pages.render(self.env, "handout.html.j2", paper=self.job.paper,
                            ctx=pages.design_context(case, refs))
        svgs = {d.ref.svg: d.svg for d in diagrams if d.svg is not None}
        made_from = digest(html, *(f"{k}:{digest(v)}" for k, v in sorted(svgs.items())))
        rel = f"{case.slug}/{PAGES['pdf']}"
        data, old = self.cached(rel, made_from), self.old.card.get("handout")
        if data is not None and isinstance(old, dict) and old.get("pages"):
            card["handout"] = old
        else:
            data, pages_count, anchors = print_pdf(html, svgs)
            prefix = f"{case.slug}-stage-"
            card["handout"] = {"pages": pages_count, "anchors": {
                name.removeprefix(prefix).split("-", 1)[1]: page
                for name, page in anchors.items() if name.startswith(prefix)}}
        return Output(rel, made_from, data)

    def card(self, case, refs) -> dict:
        from .cards import make_card

        return make_card(case, [asdict(r) for r in refs])

    def inputs(self, helpers: set[Path], icons: set[str]) -> dict[str, str]:
        """Return every file this design's output depends on beyond mlsd itself, hashed."""
        from .manifest import file_digest

        files = {self.path, *helpers, *(Path(i) for i in icons if not _shipped(i))}
        found = {self.job.input_name(p): file_digest(p) for p in files}
        return dict(sorted({**found, **self.templates}.items()))

    def problem(self, problem) -> dict:
        """Return a check problem as the manifest keeps it: its path relative to designs."""
        return {"path": self.job.input_name(Path(problem.location.path)),
                "line": problem.location.line, "stage": problem.stage,
                "message": "warning: " * problem.warning + problem.message}  # as check says it

    def cached(self, rel: str, made_from: str) -> bytes | None:
        """Return rel's bytes on disk when the last build made them from the same inputs."""
        entry = self.old.outputs.get(rel)
        if self.job.force or entry is None or entry.made_from != made_from:
            return None
        return intact(self.job.out, rel, entry)

    def emit(self, outputs: list[Output]) -> None:
        """Send outputs to the parent, which writes them, and remember them for the record."""
        for o in outputs:
            self.outputs[o.rel] = Entry(o.made_from, digest(o.data))
        self.send("outputs", outputs)


def _shipped(icon: str) -> bool:
    """Return whether an icon ships with diagrams or mlsd (their versions are in the key)."""
    import diagrams

    path = Path(icon).resolve()
    return any(root in path.parents for root in
               (Path(diagrams.__file__).resolve().parent.parent, Path(__file__).resolve().parent))
