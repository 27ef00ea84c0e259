"""Franka Emika Panda with its two-finger hand, from `pybullet_data`."""
from __future__ import annotations

from pathlib import Path

from codebot.extras import require
from codebot.sim.robots.base import SimRobot
from codebot.sim.robots.gripper import GripperSpec


class Panda(SimRobot):
    """Panda (7 DoF). Its reach (0.855 m) cannot cover the far edge of the workspace from the origin,
    so the base stands 5 cm in front of it, at (0, -0.05, 0) in the table frame. Top-down it cannot
    fold close enough to its base to work the nearest strip (y > -0.36) either, so the layout sampler
    keeps objects out of that strip for this robot (moves there raise UnreachableError)."""

    name = "panda"
    arm_joint_names = tuple(f"panda_joint{i}" for i in range(1, 8))
    tcp_link_name = "panda_grasptarget"
    home_joints = (0.3062, -1.0203, -0.1828, -2.549, -0.1556, 1.5366, -0.581)  # tool down at (0, -0.30, 0.45)
    base_position = (0.0, -0.05, 0.0)
    near_edge = 0.36  # closest object row (|y|) whose top-down approach the Panda can reach
    base_yaw = -1.5707963267948966  # arm faces -y, towards the workspace
    gripper_spec = GripperSpec(
        joints={"panda_finger_joint1": 1.0, "panda_finger_joint2": 1.0},
        open_value=0.04, closed_value=0.0, force=40.0, max_velocity=0.2,
        left_links=("panda_leftfinger",), right_links=("panda_rightfinger",),
    )

    def layout_region(self, workspace):
        from dataclasses import replace

        return replace(workspace, y=(workspace.y[0], min(workspace.y[1], -self.near_edge)))

    @classmethod
    def urdf_path(cls) -> str:
        data = require("pybullet_data", "sim")
        return str(Path(data.getDataPath()) / "franka_panda" / "panda.urdf")

    def __init__(self, world, workspace=None):
        from codebot.primitives.workspace import DEFAULT_WORKSPACE

        self.urdf_flags = world.p.URDF_USE_INERTIA_FROM_FILE
        super().__init__(world, workspace or DEFAULT_WORKSPACE)
