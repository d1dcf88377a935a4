"""Run tasks in forked children, a few at once, each within a time limit.

A design module is someone else's code: it may call `os._exit`, loop forever, leave a thread
running or crash the interpreter. Each design is built in a child of its own, so any of that
costs only that design: the parent hears of it as an event and every other design goes on.
A child dies with its parent (a killed build leaves no worker behind) and ignores Ctrl-C,
which the parent handles once for the whole build.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Iterator

Send = Callable[[str, object], None]
_real_exit = os._exit


@dataclass
class Event:
    """Something a task's child said: a message it sent, or how it ended."""

    index: int  # the task's position in the list
    kind: str  # a kind the task sent; "done"; or "failed" (payload: why, in words)
    payload: object = None


def run(tasks: list[Callable[[Send], None]], jobs: int, timeout: float,
        cost: Callable[[int], float] | None = None) -> Iterator[Event]:
    """Run each task in its own child, at most `jobs` at once; yield their events as they come.

    A task is called with `send(kind, payload)`; its payload must pickle. With `cost` (task
    index -> an estimate), the costliest start first, so no core idles at the end while one
    long task finishes. Closing the iterator early kills the children still running.
    """
    context = multiprocessing.get_context("fork")
    waiting = sorted(enumerate(tasks), key=lambda t: cost(t[0]) if cost else -t[0])
    running: dict = {}  # connection -> (index, process, deadline)
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                index, task = waiting.pop()
                running.update([_start(context, index, task, timeout)])
            soonest = min(deadline for _, _, deadline in running.values())
            for conn in wait(list(running), timeout=max(0.0, soonest - time.monotonic())):
                index, process, _ = running[conn]
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    del running[conn]
                    yield Event(index, "failed", _ended(process))
                    continue
                if kind == "done":
                    del running[conn]
                    _reap(conn, process)
                yield Event(index, kind, payload)
            for conn, (index, process, deadline) in list(running.items()):
                if time.monotonic() >= deadline:
                    del running[conn]
                    _kill(conn, process)
                    yield Event(index, "failed", f"did not finish within {timeout:g} s: look "
                                                 f"for an endless loop, or raise --timeout")
    finally:
        for conn, (_, process, _) in running.items():
            _kill(conn, process)


def _start(context, index: int, task, timeout: float):
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(task, reader, writer, os.getpid()),
                              daemon=True)
    process.start()
    writer.close()  # the child holds the only write end: its exit shows as end of file
    return reader, (index, process, time.monotonic() + timeout)


def _child(task, reader, writer, parent: int) -> None:
    """Run one task in the child, with its output silenced and its exits turned into errors."""
    reader.close()
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the build once
    os.setpgid(0, 0)  # its own group, so a timeout kills what it started (dot) too
    _silence()
    os._exit = _refuse_exit
    try:
        task(lambda kind, payload: writer.send((kind, payload)))
        writer.send(("done", None))
    except BaseException as exc:  # noqa: BLE001 -- the task's own errors are events already
        try:
            writer.send(("failed", f"{type(exc).__name__}: {exc}: this is a bug in mlsd, "
                                   f"please report it"))
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit = _real_exit
        _real_exit(0)  # ends threads the design left running, too


def _refuse_exit(status=0):
    """Stand in for os._exit in a design's child: raise, so the error names the line."""
    raise SystemExit(status)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this child when its parent dies (a kill -9'd build leaves no worker)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        _real_exit(1)


def _silence() -> None:
    """Send the child's stdout and stderr to nowhere: a design's print never reaches a user's
    terminal or mixes into --json."""
    import sys

    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")


def _ended(process) -> str:
    """Return, in words, how a child that closed its pipe early ended."""
    process.join(5)
    code = process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return f"the build of this design was killed by {name}: it may have run out of memory"
    return f"the design ended its process (status {code}) before it was built: remove the exit"


def _reap(conn, process) -> None:
    conn.close()
    process.join(5)


def _kill(conn, process) -> None:
    """Kill a child and everything it started."""
    for kill in (lambda: os.killpg(process.pid, signal.SIGKILL),
                 lambda: os.kill(process.pid, signal.SIGKILL)):
        try:
            kill()
        except (ProcessLookupError, PermissionError):
            continue
    conn.close()
    process.join(5)
