"""Targets: where a program runs. A registry of name -> "module:Class" (lazy; entry-point group "codebot.targets").

A target is constructed INSIDE the sandbox worker process from a JSON-able config dict, so a crash in
the simulator or a robot driver takes down the worker, never the orchestrator.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
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


@dataclass(frozen=True)
class TargetTraits:
    """What a target declares in its registry entry about how the agent treats it (the agent reads
    these, never the target's name). A target registered without them (an entry point, a literal
    "module:Class") gets the defaults: not judged, core primitives only."""

    judged: bool = False  # the tabletop simulator: normalise, match task templates, build a scene from the
    #                       instruction, report missing colours, and judge success with a checker
    groups: tuple[str, ...] = ("core",)  # primitive groups the agent's prompt uses unless told otherwise
    records_video: bool = False  # `--video` writes a video of the run
    annotates_images: bool = False  # writes annotated images to `output_dir`; a directory of images runs
    #                                 the program found for the first image on each of the others
    replays_on: str | None = None  # the target a recorded episode replays on (None: this one), e.g. the
    #                                twin, whose synced robot state is gone after the command
    mcp_robot: bool = False  # the MCP server can hold it as the robot it dispatches to (codebot.mcp.robots)
    ros_robot: bool = False  # drives a ROS 2 robot over its topics: whoever holds it watches the robot's
    #                          joint_states and owns its e-stop topic; its world is the robot's, never reset
    lays_out: bool = False  # lays its scene out from the reset's seed, so the agent may pick another seed where
    #                         only the layout defeats the instruction's reading (codebot.agent_layout); a twin's
    #                         scene is the robot's and stays as it is


_TRAIT_NAMES = tuple(f.name for f in fields(TargetTraits))

TARGETS = Registry("target", "codebot.targets", error=UnknownTargetError)
TARGETS.builtin("sim", "codebot.sim_target:SimTarget", judged=True, records_video=True, mcp_robot=True,
                lays_out=True)
# The sim twin of a ROS robot (codebot.ros.dispatch.twin): the tabletop synced to the robot's perceived scene.
TARGETS.builtin("twin", "codebot.ros.dispatch.twin:TwinTarget", judged=True, records_video=True, replays_on="sim")
TARGETS.builtin("ros", "codebot.ros.robot.target:RosTarget", mcp_robot=True, ros_robot=True)
TARGETS.builtin("vision", "codebot.vision.target:VisionTarget", groups=("core", "vision"),
                annotates_images=True)


def register_target(name: str, entry_point: str, replace: bool = False, **traits: Any) -> None:
    """Register `name` -> "package.module:Class" (codebot.registry's one duplicate rule), with the
    TargetTraits it declares (e.g. `groups=("core", "mine")`)."""
    unknown = sorted(set(traits) - set(_TRAIT_NAMES))
    if unknown:
        raise TypeError(f"unknown target trait(s) {', '.join(unknown)}; known: {', '.join(_TRAIT_NAMES)}")
    TARGETS.register(name, entry_point, replace=replace, **traits)


def target_traits(name: str) -> TargetTraits:
    """The traits the registry entry `name` declares; the defaults for a literal "module:Class" or a
    name nobody registered (building the target is what reports an unknown name)."""
    if name not in TARGETS:
        return TargetTraits()
    metadata = TARGETS.spec(name).metadata
    return TargetTraits(**{k: metadata[k] for k in _TRAIT_NAMES if k in metadata})


def target_entry_point(name: str) -> str:
    """The entry point of a registered name; a literal "module:Class" is accepted too."""
    if ":" in str(name) and name not in TARGETS:
        return name
    return TARGETS.spec(name).entry_point


def make_target(name: str, config: dict[str, Any] | None = None) -> Target:
    """Build a target in this process (the sandbox worker calls this)."""
    cls = load_object(target_entry_point(name))
    return cls(dict(config or {}))
