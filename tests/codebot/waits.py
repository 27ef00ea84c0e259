"""Bounded waits for the tests: a test waits for an EVENT, never for a time. Each wait polls its
condition, returns the moment it holds, and fails naming what never happened. Deadlines are generous
(DDS discovery and a sim server under CPU load can take many seconds) and cost nothing when the event
comes early. Importable as `from waits import wait_until` from any test under tests/codebot (the
conftest there puts this folder on sys.path)."""
from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Union

DISCOVERY_S = 60.0  # DDS discovery between processes on a loaded 2-core machine
Why = Union[str, Callable[[], Any]]


def _message(what: Why, timeout: float, details: Callable[[], Any] | None) -> str:
    text = what() if callable(what) else what
    out = f"{text} (waited {timeout:g} s)"
    if details is not None:
        try:
            extra = details()
        except Exception as exc:  # the details are for the reader; never hide the failure behind them
            extra = f"<details failed: {exc!r}>"
        out += f"\n{extra}"
    return out


def wait_until(cond: Callable[[], Any], timeout: float, what: Why, details: Callable[[], Any] | None = None,
               interval: float = 0.02) -> Any:
    """Poll `cond` until it returns something truthy (returned) or fail with AssertionError
    "<what> (waited <timeout> s)". `what` says what never happened ("the robot never published
    joint_states on /robot/joint_states"); `details` (called only on failure) adds context, e.g. a log."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(_message(what, timeout, details))
        time.sleep(interval)


async def await_until(cond: Callable[[], Awaitable[Any]], timeout: float, what: Why,
                      details: Callable[[], Any] | None = None, interval: float = 0.05) -> Any:
    """wait_until for async tests: `cond` is an async callable (e.g. an MCP status call)."""
    import anyio

    deadline = time.monotonic() + timeout
    while True:
        value = await cond()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(_message(what, timeout, details))
        await anyio.sleep(interval)


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc), e.g. to wait for a killed node's children to be gone."""
    from pathlib import Path

    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of `pids` still running (not gone, not a zombie)."""
    out = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    out.add(pid)
        except (OSError, IndexError):
            continue
    return out
