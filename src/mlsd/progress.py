"""Progress: a bar on a terminal, one plain line per step otherwise (CI logs stay readable)."""
from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

log = logging.getLogger("mlsd")


@contextmanager
def progress(total: int, label: str, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """Yield a function to call once per finished step with the step's name."""
    if quiet:
        yield lambda name: None
        return
    if total < 2 or not sys.stderr.isatty():
        yield lambda name: log.info("%s: %s", label.lower(), name)
        return
    from rich.progress import Progress  # imported only when a bar is drawn

    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda name: bar.advance(task)
