"""PyBullet tabletop simulation (Code as Policies' evaluation scene), headless (DIRECT).

    from codebot import sim
    env = sim.make("tabletop", robot="ur5e" | "panda", seed=0, scene=SceneSpec(...) | None,
                   render_size=(640, 480))
    env.robot            primitives.protocols.Robot (+ plan_move_ee, execute_joint_trajectory, stop/reset_stop)
    env.cameras          {"top", "front"} -> Camera.capture() -> Frame (RGB, depth m, seg, K, camera_to_world)
    env.ground_truth     Perception; env.objects(); env.relations(); env.state() (JSON)
    env.backend()        primitives.context.Backend for generated programs
    env.reset(seed, scene); env.step(n); env.time
    env.snapshot() / restore(snap) / release(snap)        exact replay, no leaked PyBullet states
    env.start_recording(camera, fps, every_n_steps); env.stop_recording("run.mp4" | "run.gif")
    import codebot.sim.gym_env   ->  gymnasium.make("codebot/Tabletop-v0")

Registries (`codebot.registry.Registry`) map names to lazy "module:Class" entry points, so
`import codebot.sim` never imports pybullet; a missing `sim` extra surfaces as MissingExtraError when an
environment is made.
"""
from __future__ import annotations

# Imported by its folder name from a checkout's root, it would be a second copy with second registries.
if __name__ != "codebot.sim":
    raise ImportError(f"import codebot.sim, not {__name__} (the sim/ folder installs as codebot.sim)")

from typing import Any

from codebot.primitives.errors import InvalidArgumentError
from codebot.registry import Registry

ROBOTS = Registry("robot", "codebot.robots", error=InvalidArgumentError)
ENVS = Registry("environment", "codebot.envs", error=InvalidArgumentError)


def register_robot(name: str, entry_point: str, replace: bool = False) -> None:
    """Register a robot class (a `codebot.sim.robots.base.SimRobot` subclass) under `name`. An installed
    package can do the same with an entry point in the group "codebot.robots" (seen by every process)."""
    ROBOTS.register(name, entry_point, replace=replace)


def register_env(name: str, entry_point: str, replace: bool = False) -> None:
    """Register an environment class under `name` for `codebot.sim.make(name, ...)` (group "codebot.envs")."""
    ENVS.register(name, entry_point, replace=replace)


def robot_class(name: str):
    return ROBOTS.get(name)


def make(name: str = "tabletop", **kwargs: Any):
    """Create a registered environment, e.g. make("tabletop", robot="panda", seed=3)."""
    from codebot.extras import require

    if not isinstance(name, str):
        raise ENVS.unknown(name)
    ENVS.spec(name)
    require("pybullet", "sim")
    cls = ENVS.get(name)
    import inspect

    params = inspect.signature(cls).parameters
    unknown = sorted(set(kwargs) - set(params))
    if unknown and not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        raise InvalidArgumentError(
            f"unknown argument(s) {', '.join(unknown)} for {name!r}; valid: {', '.join(params)}",
            unknown=unknown, valid=list(params))
    return cls(**kwargs)


ROBOTS.builtin("ur5e", "codebot.sim.robots.ur5e:UR5e")
ROBOTS.builtin("panda", "codebot.sim.robots.panda:Panda")
ENVS.builtin("tabletop", "codebot.sim.tabletop:TabletopEnv")

__all__ = ["make", "register_robot", "register_env", "robot_class", "ROBOTS", "ENVS"]
