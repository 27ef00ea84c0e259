"""What the gripper holds: which block, and where it sits in the hand. A block can shift while the
fingers close, so after a pick its pose relative to the tool is measured, and place() aims the block,
not the tool, at the target."""
from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from codebot.primitives import lookup
from codebot.primitives.errors import PrimitiveError


def fold(angle: float) -> float:
    """An angle folded into [-45°, 45°): a cube looks the same every 90°."""
    q = math.pi / 2
    return float((angle + q / 2) % q - q / 2)


def nearest_face_yaw(yaw: float, current: float) -> float:
    """yaw + k*90° nearest `current`: a cube gives the same grasp every quarter turn, and the smallest
    wrist turn keeps a held block from swinging in the fingers."""
    q = math.pi / 2
    return float(yaw + q * round((current - yaw) / q))


@dataclass
class HeldBlock:
    name: str
    bottom_offset: float  # tool z minus the block's bottom z
    height: float
    # Where the block sits in the hand (it can shift while the fingers close): its centre relative to
    # the tool in the tool's yaw frame, and its yaw relative to the tool's yaw.
    offset_xy: tuple[float, float] = (0.0, 0.0)
    yaw_in_hand: float = 0.0


def tool_yaw(robot) -> float:
    """Yaw about world z of the tool's x axis (the tool points down)."""
    x, y, z, w = robot.ee_pose().orientation
    return math.atan2(2 * (x * y + w * z), 1 - 2 * (y * y + z * z))


def rotate(xy, angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([c * xy[0] - s * xy[1], s * xy[0] + c * xy[1]])


def measure_in_hand(robot, held: "HeldBlock") -> "HeldBlock":
    """Re-perceive the held block after lifting to learn its real place in the hand; keeps the grasp
    estimate when perception cannot see it near the tool (e.g. occluded by the fingers)."""
    try:
        info = lookup.find(held.name)
    except PrimitiveError:
        return held
    tool = np.array(robot.ee_pose().position, dtype=float)
    rel = np.array(info.position[:2]) - tool[:2]
    if float(np.linalg.norm(rel)) > 0.04 or abs(tool[2] - info.bbox_min[2] - held.bottom_offset) > 0.03:
        return held
    yaw = tool_yaw(robot)
    return HeldBlock(held.name, float(tool[2] - info.bbox_min[2]), float(info.bbox_max[2] - info.bbox_min[2]),
                 tuple(rotate(rel, -yaw)), fold(info.yaw - yaw))


# What each robot holds, so place() knows the held block's size; weak so robots can be freed.
_HELD: "weakref.WeakKeyDictionary[object, HeldBlock]" = weakref.WeakKeyDictionary()


def held_block(robot) -> HeldBlock | None:
    try:
        return _HELD.get(robot)
    except TypeError:  # a robot object that cannot be weakly referenced
        return None


def set_held(robot, held: HeldBlock | None) -> None:
    try:
        if held is None:
            _HELD.pop(robot, None)
        else:
            _HELD[robot] = held
    except TypeError:
        pass
