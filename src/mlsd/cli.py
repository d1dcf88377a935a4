"""The command line: each command parses its flags and calls one function of mlsd."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from .config import DEFAULT_FORMATS, FORMATS, Settings, bundled, load_settings
from .errors import display_path

log = logging.getLogger("mlsd")


def _settings(designs: Path | None = None, out: Path | None = None) -> Settings:
    settings = load_settings()
    if designs:
        settings.designs = designs
    if out:
        settings.output = out
    return settings


def _formats(value: str | None, settings: Settings) -> tuple[str, ...]:
    if not value:
        return tuple(settings.formats) or DEFAULT_FORMATS
    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format {', '.join(unknown)}: "
                                 f"choose from {','.join(FORMATS)}", param_hint="--format")
    return chosen


designs_option = click.option(
    "--designs", type=click.Path(path_type=Path, file_okay=False),
    help="Folder of design modules [default: designs/, or [tool.mlsd] designs].")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


from .boundary import Boundary, debugging  # noqa: E402: the main group's error boundary


@click.group(cls=Boundary, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlsd")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("--debug", is_flag=True,
              help="Show the traceback of an unexpected error [or set MLSD_DEBUG=1].")
def main(quiet: bool, debug: bool) -> None:
    """ML system designs as code: diagrams, write-ups and handouts from Python modules."""
    log = logging.getLogger("mlsd")  # only mlsd's own lines: libraries stay quiet
    if not any(isinstance(h, _EchoHandler) for h in log.handlers):
        log.addHandler(_EchoHandler())
    verbose = logging.DEBUG if debug or debugging() else logging.INFO  # serve logs tracebacks
    log.setLevel(logging.WARNING if quiet else verbose)


class _EchoHandler(logging.Handler):
    """Log lines to whatever stderr is now (click swaps it in tests and pipes)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


@main.command("list")
@designs_option
@json_option
def list_command(designs: Path | None, as_json: bool) -> None:
    """List the designs with their stage coverage and size."""
    from .loader import survey

    settings = _settings(designs)
    loaded = survey(settings.designs, (), _listing, settings.timeout)
    rows = [{"slug": i.slug, "path": str(i.path), **i.value} for i in loaded if not i.error]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    for row in [] if as_json else rows:
        done = sum(row["stages"].values())
        click.echo(f"{row['slug']:<24} {done}/7 stages  {len(row['diagrams'])} diagrams  "
                   f"{row['words']:>5} words  {row['title']}")
    _fail_on([i.error for i in loaded if i.error])


def _figures(case):
    """Return a design's title, scale assumptions and estimates (run in its worker)."""
    from .capacity import capacity

    scale = case.scale
    return None if scale is None else (case.title, scale.assumptions(), capacity(case))


def _listing(case) -> dict:
    """Return what `mlsd list` shows of a design (run in the design's worker)."""
    from .check import stage_coverage
    from .prose import word_count

    return {"title": case.title, "diagrams": [d.title for d in case.diagrams],
            "stages": stage_coverage(case), "words": word_count(case)}


@main.command()
@click.argument("slugs", nargs=-1)
@designs_option
@json_option
@click.option("--strict", is_flag=True, help="Also require full depth (2,000+ words).")
def check(slugs: tuple[str, ...], designs: Path | None, as_json: bool, strict: bool) -> None:
    """Say what each design still lacks, stage by stage (exit 1 when anything does)."""
    from .check import Problem, check_case
    from .loader import survey

    settings = _settings(designs)
    loaded = survey(settings.designs, slugs, lambda case: check_case(case, strict=strict),
                    settings.timeout)
    problems: list[Problem] = []
    for item in loaded:
        if item.error:
            problems.append(Problem(item.error.location or _nowhere(item.path), "load",
                                    item.error.message))
        else:
            problems += item.value
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(str(problem))
        if not problems:
            click.echo(f"{_count(loaded, 'design')} checked: every stage is complete.")
    sys.exit(1 if any(strict or not p.warning for p in problems) else 0)


@main.command()
@click.argument("slugs", nargs=-1)
@designs_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder [default: output/, or [tool.mlsd] output].")
@click.option("--format", "formats", metavar="LIST",
              help=f"Comma-separated formats from {','.join(FORMATS)} "
                   f"[default: all but dot].")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Designs built at once [default and most: the number of cores].")
@click.option("--paper", type=click.Choice(["A4", "Letter"], case_sensitive=False),
              help="Paper size of the PDFs [default: A4, or [tool.mlsd] paper].")
@click.option("--timeout", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Time one design may take to build [default: 120, or [tool.mlsd] timeout].")
@click.option("--force", is_flag=True, help="Rebuild everything, ignoring what is up to date.")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1) on what 'mlsd check --strict' reports, not only warn.")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; name each output file that is stale and exit 1 if any is.")
@click.option("--keep-going/--fail-fast", default=True, show_default=True,
              help="Build the other designs after an error, or stop at the first.")
def build(slugs, designs, out, formats, jobs, paper, timeout, force, strict, check_only,
          keep_going) -> None:
    """Render diagrams, pages and PDFs for every design (or the SLUGS named) into output/."""
    from .build import build as run_build

    settings = _settings(designs, out)
    try:
        report = run_build(settings.designs, settings.output, slugs=slugs,
                           formats=_formats(formats, settings), templates=settings.templates,
                           paper=paper or settings.paper, jobs=jobs,
                           timeout=timeout or settings.timeout, force=force, strict=strict,
                           check=check_only, fail_fast=not keep_going)
    except KeyboardInterrupt:
        raise click.ClickException(f"interrupted: every file in {settings.output} is whole, "
                                   f"old or new; run the build again to finish") from None
    for line in report.warnings:
        log.warning("%s", line)
    if check_only:
        for rel in report.stale:
            click.echo(f"{settings.output / rel}: stale: run 'mlsd build' and commit the result")
    elif report.up_to_date:
        log.info("%s is up to date.", settings.output)
    else:
        log.info("Built %s and reused %s into %s (%s written, %s removed).",
                 _count(report.built, "design"), len(report.reused), settings.output,
                 _count(report.written, "file"), len(report.removed))
    _fail_on(report.errors, failed=bool(report.stale))


def _count(items, noun: str) -> str:
    """Return "1 design" or "3 designs"."""
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


@main.command()
@click.argument("title")
@click.option("--slug", help="Slug of the design [default: derived from TITLE].")
@designs_option
@click.option("--from", "source", metavar="SLUG", help="Start from a copy of this design.")
@click.option("--force", is_flag=True, help="Overwrite an existing design module.")
def new(title, slug, designs, source, force) -> None:
    """Start a design: every stage stubbed with the framework's prompts, and two diagrams."""
    from .pages import environment
    from .scaffold import new_design

    settings = _settings(designs)
    if settings.designs == bundled("designs"):  # never write into mlsd's own case studies
        settings.designs = Path.cwd() / "designs"
    settings.designs.mkdir(parents=True, exist_ok=True)
    path = new_design(title, settings.designs, environment(settings.templates), slug=slug,
                      source=source, force=force)
    click.echo(f"Wrote {display_path(path)}: run 'mlsd check' to see what is left to fill.")


@main.command()
@designs_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
def serve(designs, port) -> None:
    """Serve a live preview: edit a design or template and the open page reloads."""
    from .serve import serve as run_serve

    run_serve(_settings(designs), port)


@main.command()
@click.argument("slug")
@designs_option
def estimate(slug, designs) -> None:
    """Print a design's scale assumptions and every capacity figure, with formulas."""
    from .loader import survey

    settings = _settings(designs)
    [item] = survey(settings.designs, (slug,), _figures, settings.timeout)
    if item.error:
        _fail_on([item.error])
    if item.value is None:
        raise click.ClickException(f"{slug} declares no Scale: add scale=Scale(...) "
                                   f"to its Requirements")
    title, assumptions, estimates = item.value
    click.echo(f"{title}: scale assumptions\n")
    for label, value in assumptions:
        click.echo(f"  {label:<40} {value}")
    click.echo("\nDerived estimates (prose names each as {figure})\n")
    for e in estimates:
        click.echo(f"  {e.name:<40} {e.text:<14} = {e.formula}  {{{e.figure}}}")


@main.command()
@click.argument("script", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Folder for the rendered files.")
@click.option("--format", "formats", metavar="LIST", default="svg,png", show_default=True,
              help="Comma-separated formats from svg,png,dot.")
def render(script, out, formats) -> None:
    """Render a plain `diagrams` script to portable SVG and PNG, without opening a viewer."""
    from .render import DIAGRAM_FORMATS
    from .scripts import render_script

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    if not chosen or any(f not in DIAGRAM_FORMATS for f in chosen):
        raise click.BadParameter(f"choose from {','.join(DIAGRAM_FORMATS)}", param_hint="--format")
    for path in render_script(script, out, chosen):
        click.echo(f"Wrote {display_path(path)}")


def _fail_on(errors, failed: bool = False) -> None:
    """Print each error on one line and exit 1 when there are any (or failed is set)."""
    for error in errors:
        click.echo(str(error), err=True)
    if errors or failed:
        sys.exit(1)


def _nowhere(path: Path):
    from .errors import Location
    return Location(str(path), 1)
