"""The robot of the vision target: it has none. State queries answer 'nothing', motions raise."""
from __future__ import annotations

import numpy as np

from codebot.vision.errors import NoRobotError
from codebot.primitives.protocols import JointLimits, Pose

_WHY = ("the vision target has no robot: it runs perception programs on images only; "
        "dispatch to --target sim or --target ros to move an arm")


class NoRobot:
    """Implements `codebot.primitives.protocols.Robot`; every motion raises NoRobotError (a PrimitiveError)."""

    name = "none"

    def joint_names(self) -> list[str]:
        return []

    def joint_positions(self) -> np.ndarray:
        return np.zeros(0)

    def joint_limits(self) -> JointLimits:
        return JointLimits(np.zeros(0), np.zeros(0), np.zeros(0))

    def ee_pose(self) -> Pose:
        raise NoRobotError(_WHY, action="ee_pose")

    def move_ee(self, position, yaw=None, speed=None) -> None:
        raise NoRobotError(_WHY, action="move_ee")

    def move_joints(self, positions, speed_scale: float = 1.0) -> None:
        raise NoRobotError(_WHY, action="move_joints")

    def open_gripper(self) -> None:
        raise NoRobotError(_WHY, action="open_gripper")

    def close_gripper(self) -> bool:
        raise NoRobotError(_WHY, action="close_gripper")

    def is_grasping(self) -> bool:
        return False

    def home(self) -> None:
        raise NoRobotError(_WHY, action="home")

    def stop(self) -> None:
        pass  # nothing moves, so stopping always succeeds
