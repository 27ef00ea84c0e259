"""Targets: where a program runs. A registry of name -> "module:Class" (lazy; entry-point group "codebot.targets").

A target is constructed INSIDE the sandbox worker process from a JSON-able config dict, so a crash in
the simulator or a robot driver takes down the worker, never the orchestrator.
"""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from codebot.extras import load_object
from codebot.primitives.context import Backend
from codebot.primitives.protocols import ObjectInfo
from codebot.registry import Registry, UnknownNameError


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


class UnknownTargetError(UnknownNameError):
    pass


TARGETS = Registry("target", "codebot.targets", error=UnknownTargetError)
TARGETS.builtin("sim", "codebot.sim_target:SimTarget")
TARGETS.builtin("ros", "codebot.ros.target:RosTarget")
TARGETS.builtin("vision", "codebot.vision.target:VisionTarget")


def register_target(name: str, entry_point: str, replace: bool = False) -> None:
    """Register `name` -> "package.module:Class" (codebot.registry's one duplicate rule)."""
    TARGETS.register(name, entry_point, replace=replace)


def target_entry_point(name: str) -> str:
    """The entry point of a registered name; a literal "module:Class" is accepted too."""
    if ":" in str(name) and name not in TARGETS:
        return name
    return TARGETS.spec(name).entry_point


def make_target(name: str, config: dict[str, Any] | None = None) -> Target:
    """Build a target in this process (the sandbox worker calls this)."""
    cls = load_object(target_entry_point(name))
    return cls(dict(config or {}))
