"""A scripted pick-and-place on the Robot protocol, used by tests and benchmarks/sim_speed.py to
exercise the simulator end to end (the LLM-facing primitives live in `primitives`)."""
from __future__ import annotations

from codebot.primitives.errors import GraspFailedError, ObjectNotFoundError

APPROACH_HEIGHT = 0.15  # m above the table for transfers
PLACE_HEIGHT = 0.10  # release height above the table when placing into a bowl


def _find(env, name: str):
    for info in env.objects():
        if info.name == name:
            return info
    raise ObjectNotFoundError(f"no object named {name!r}; objects: {', '.join(env.object_ids)}", name=name)


def pick(env, name: str, speed: float | None = None) -> None:
    robot = env.robot
    obj = _find(env, name)
    x, y, z = obj.position
    robot.open_gripper()
    robot.move_ee((x, y, APPROACH_HEIGHT), yaw=obj.yaw, speed=speed)
    robot.move_ee((x, y, z), yaw=obj.yaw, speed=speed)
    if not robot.close_gripper():
        raise GraspFailedError(f"could not grasp the {name}", name=name)
    robot.move_ee((x, y, APPROACH_HEIGHT), speed=speed)


def place(env, target: tuple[float, float], height: float = PLACE_HEIGHT, speed: float | None = None) -> None:
    robot = env.robot
    x, y = target
    robot.move_ee((x, y, APPROACH_HEIGHT), speed=speed)
    robot.move_ee((x, y, height), speed=speed)
    robot.open_gripper()
    robot.move_ee((x, y, APPROACH_HEIGHT), speed=speed)


def pick_and_place(env, obj: str, target: str, speed: float | None = None) -> bool:
    """Put `obj` into bowl / onto block `target`; True when the scene then shows that relation."""
    pick(env, obj, speed)
    dest = _find(env, target)
    height = PLACE_HEIGHT if dest.kind == "bowl" else dest.bbox_max[2] + 0.045
    place(env, dest.position[:2], height=height, speed=speed)
    env.step(24)  # let it come to rest before judging
    relation = "in" if dest.kind == "bowl" else "on"
    return (obj, relation, target) in env.relations()
