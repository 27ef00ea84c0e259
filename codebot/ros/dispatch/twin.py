"""The sim twin of a ROS robot: the PyBullet tabletop synced to the robot's joint state and its
perceived objects, so the agent verifies a program on the scene the robot actually sees.

codebot_node writes the robot's state to a JSON file before each command; the twin target (a
SimTarget run in the sandbox worker) re-reads it on every reset, places each perceived object at its
perceived pose and puts the arm at the robot's joints.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Sequence

from codebot.sim_target import SimTarget
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import ObjectInfo

TWIN_TARGET = "twin"  # its name in codebot.targets.TARGETS


def twin_state(joint_names: Sequence[str], joints: Sequence[float], objects: Sequence[ObjectInfo]) -> dict:
    return {"joint_names": list(joint_names), "joints": [float(v) for v in joints],
            "objects": [o.to_plain() for o in objects]}


def scene_of(state: dict) -> dict:
    """The twin's SceneSpec as config: the colours of the perceived blocks and bowls."""
    blocks = [o["color"] for o in state["objects"] if o["kind"] == "block"]
    bowls = [o["color"] for o in state["objects"] if o["kind"] == "bowl"]
    return {"blocks": blocks, "bowls": bowls}


def write_twin_state(path: str | Path, state: dict) -> Path:
    """Atomically replace `path` (a warm worker may read it at any time)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(state, f)
    os.replace(tmp, path)
    return path


class TwinTarget(SimTarget):
    """config: everything SimTarget takes, plus twin_state (path of the JSON written by codebot_node)."""

    def __init__(self, config: dict):
        super().__init__(config)
        self._sync()

    def reset(self, config: dict) -> None:
        super().reset(config)
        self._sync()

    def _sync(self) -> None:
        path = self.config.settings.get("twin_state")
        if not path:
            return
        state = json.loads(Path(path).read_text())
        sync_env(self.env, state)
        self._backend = self.env.backend()


def sync_env(env, state: dict) -> None:
    """Teleport the env's objects to the perceived poses and the arm to the robot's joints."""
    p, c = env.p, env.client
    names = list(env.robot.joint_names())
    if state.get("joint_names") and list(state["joint_names"]) != names:
        raise InvalidArgumentError("twin robot joints differ from the real robot's",
                                   twin=names, robot=state["joint_names"])
    perceived = {o["name"]: o for o in state["objects"]}
    current = {o.name: o for o in env.objects()}
    for name, body in env.object_ids.items():
        if name not in perceived:
            continue
        base, _ = p.getBasePositionAndOrientation(body, physicsClientId=c)
        # ObjectInfo.position is the box centre; keep the body's own offset from it.
        offset = [b - m for b, m in zip(base, current[name].position)]
        target = [v + d for v, d in zip(perceived[name]["position"], offset)]
        yaw = float(perceived[name].get("yaw", 0.0))
        p.resetBasePositionAndOrientation(body, target, [0, 0, math.sin(yaw / 2), math.cos(yaw / 2)],
                                          physicsClientId=c)
        p.resetBaseVelocity(body, [0, 0, 0], [0, 0, 0], physicsClientId=c)
    if state.get("joints"):
        env.set_joint_positions(state["joints"])
    env.step(24)  # let contacts form, as after a layout reset
