"""The one place an unexpected error becomes a single line; --debug or MLSD_DEBUG=1 shows it whole."""
from __future__ import annotations

import errno
import os
import sys

import click

from .errors import MlsdError


def debugging(ctx: click.Context | None = None) -> bool:
    """Return whether tracebacks are wanted: --debug on the command line, or MLSD_DEBUG=1."""
    flag = bool(ctx and ctx.find_root().params.get("debug"))
    return flag or os.environ.get("MLSD_DEBUG", "") not in ("", "0")


def printable(text: str) -> str:
    """Return text with lone surrogates escaped, so printing it cannot fail in turn."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def internal(exc: BaseException) -> str:
    """Return the one line that stands for an error mlsd did not expect."""
    return printable(f"internal error: {type(exc).__name__}: {exc}: "
                     f"run again with --debug to see the traceback, and report it")


def _expected(exc: BaseException) -> bool:
    """Return whether click already turns exc into a message or an exit code."""
    if isinstance(exc, OSError) and exc.errno == errno.EPIPE:  # click quiets a closed pipe
        return True
    return isinstance(exc, (click.ClickException, click.exceptions.Exit, click.Abort))


class Boundary(click.Group):
    """A command group that prints any unexpected error as one line, exit 1."""

    debug = False  # set once the flags are parsed, for errors that escape click itself

    def invoke(self, ctx: click.Context):
        self.debug = debugging(ctx)
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if _expected(exc) or self.debug:
                raise
            raise MlsdError(internal(exc)) from exc

    def main(self, *args, **kwargs):
        # what escapes click itself, such as a message that cannot be printed
        self.debug = debugging()
        try:
            return super().main(*args, **kwargs)
        except Exception as exc:
            if not kwargs.get("standalone_mode", True) or _expected(exc) or self.debug:
                raise
            click.echo(f"Error: {internal(exc)}", err=True)
            sys.exit(1)
