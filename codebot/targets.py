"""Targets: where a program runs. A registry of name -> "module:Class" (lazy, Gymnasium style).

A target is constructed INSIDE the sandbox worker process from a JSON-able config dict, so a crash in
the simulator or a robot driver takes down the worker, never the orchestrator.
"""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from codebot.extras import load_object
from codebot.primitives.context import Backend
from codebot.primitives.protocols import ObjectInfo

TARGETS: dict[str, str] = {
    "sim": "codebot.sim_target:SimTarget",
    "ros": "codebot.ros.target:RosTarget",
    "vision": "codebot.vision.target:VisionTarget",
}


@runtime_checkable
class Target(Protocol):
    """Optional extras a target may define: `groups` (primitive groups it exposes, default ("core",)),
    `start_recording(path)` / `stop_recording() -> str | None` (video of a run),
    `safety_report() -> list[str]` (violations it monitored itself during the last run),
    `test_hooks() -> dict[str, callable]` (crash helpers, only when config["test_hooks"] is true)."""

    def __init__(self, config: dict) -> None: ...
    def backend(self) -> Backend: ...
    def observe(self) -> list[ObjectInfo]: ...
    def reset(self, config: dict) -> None: ...
    def close(self) -> None: ...


class UnknownTargetError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def register_target(name: str, entry_point: str, overwrite: bool = False) -> None:
    """Register `name` -> "package.module:Class". Re-registering the same entry point is a no-op."""
    if ":" not in entry_point:
        raise ValueError(f"entry point {entry_point!r} must look like 'package.module:Class'")
    if name in TARGETS and TARGETS[name] != entry_point and not overwrite:
        raise ValueError(f"target {name!r} is already registered as {TARGETS[name]!r}")
    TARGETS[name] = entry_point


def target_entry_point(name: str) -> str:
    """The entry point of a registered name; a literal "module:Class" is accepted too."""
    if name in TARGETS:
        return TARGETS[name]
    if ":" in name:
        return name
    raise UnknownTargetError(f"unknown target {name!r}; registered: {', '.join(sorted(TARGETS))}")


def make_target(name: str, config: dict[str, Any] | None = None) -> Target:
    """Build a target in this process (the sandbox worker calls this)."""
    cls = load_object(target_entry_point(name))
    return cls(dict(config or {}))
