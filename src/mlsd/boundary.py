"""The one place an unexpected error becomes one line; --debug or MLSD_DEBUG=1 shows it whole."""
from __future__ import annotations

import errno
import os

import click

from .errors import MlsdError


def debugging(ctx: click.Context | None = None) -> bool:
    """Return whether tracebacks are wanted: --debug on the command line, or MLSD_DEBUG=1."""
    flag = bool(ctx and ctx.find_root().params.get("debug"))
    return flag or os.environ.get("MLSD_DEBUG", "") not in ("", "0")


def internal(exc: BaseException) -> str:
    """Return the one line that stands for an error mlsd did not expect."""
    return (f"internal error: {type(exc).__name__}: {exc}: "
            f"run again with --debug to see the traceback, and report it")


def _expected(exc: BaseException) -> bool:
    """Return whether click already turns exc into a message or an exit code."""
    if isinstance(exc, OSError) and exc.errno == errno.EPIPE:  # click quiets a closed pipe
        return True
    return isinstance(exc, (click.ClickException, click.exceptions.Exit, click.Abort))


class Boundary(click.Group):
    """A command group that prints any unexpected error as one line, exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if _expected(exc) or debugging(ctx):
                raise
            raise MlsdError(internal(exc)) from exc
