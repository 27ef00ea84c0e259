"""UR5e with a Robotiq 2F-85, both from the `airo-models` package, merged into one URDF."""
from __future__ import annotations

import functools
from pathlib import Path

from codebot.extras import require
from codebot.sim.robots.base import SimRobot
from codebot.sim.robots.gripper import GripperSpec
from codebot.sim.robots import urdf_compose as uc

GRIPPER_PREFIX = "robotiq_"
# Tool centre point: between the finger pads, ~1 cm above the fingertips (so a grasp at a block's
# centre never scrapes the table as the 2F-85 fingertips swing down while closing), measured along the
# gripper axis from the UR flange (tool0).
TCP_OFFSET = 0.150


def _p(name: str) -> str:
    return GRIPPER_PREFIX + name


@functools.lru_cache(maxsize=2)
def composed_urdf(with_gripper: bool = True) -> str:
    """The merged URDF's path; without the gripper it is the 6-DoF chain to the TCP that IK uses."""
    require("airo_models", "sim")
    import airo_models

    root_dir = Path(airo_models.__file__).resolve().parent
    arm = uc.load_clean(root_dir / "arms/ur5e/ur5e.urdf")
    uc.add_missing_inertials(arm)
    if with_gripper:
        hand = uc.load_clean(root_dir / "grippers/robotiq_2f_85/urdf/robotiq_2f_85.urdf")
        uc.add_missing_inertials(hand, mass=0.01)
        uc.prefix_names(hand, GRIPPER_PREFIX)
        uc.attach(arm, hand, "tool0", _p("base_link"))
    uc.add_frame(arm, "tcp", "tool0", xyz=f"0 0 {TCP_OFFSET}")
    return uc.write_cached(arm, "ur5e_robotiq_2f85" if with_gripper else "ur5e_tcp")


class UR5e(SimRobot):
    """UR5e (6 DoF) at the origin of the table frame, Robotiq 2F-85 parallel gripper."""

    name = "ur5e"
    arm_joint_names = ("shoulder_pan_joint", "shoulder_lift_joint", "elbow_joint",
                       "wrist_1_joint", "wrist_2_joint", "wrist_3_joint")
    tcp_link_name = "tcp"
    # tool pointing down at (0, -0.25, 0.41), elbow up: clear of the top camera's view
    home_joints = (-2.1332, -2.1945, 1.7865, -1.1628, -1.5708, -0.5624)
    base_position = (0.0, 0.0, 0.0)
    base_yaw = 0.0
    gripper_spec = GripperSpec(
        joints={_p("finger_joint"): 1.0, _p("left_inner_knuckle_joint"): 1.0,
                _p("left_inner_finger_joint"): -1.0, _p("right_outer_knuckle_joint"): 1.0,
                _p("right_inner_knuckle_joint"): 1.0, _p("right_inner_finger_joint"): -1.0},
        open_value=0.0, closed_value=0.8, force=10.0, max_velocity=2.0,
        left_links=(_p("left_inner_finger"), _p("left_inner_finger_pad")),
        right_links=(_p("right_inner_finger"), _p("right_inner_finger_pad")),
        coupled=True, cosmetic=(_p("left_inner_knuckle_joint"), _p("right_inner_knuckle_joint")),
    )

    @classmethod
    def urdf_path(cls) -> str:
        return composed_urdf()

    @classmethod
    def kinematic_urdf_path(cls) -> str:
        return composed_urdf(with_gripper=False)

    def __init__(self, world, workspace=None):
        from codebot.primitives.workspace import DEFAULT_WORKSPACE

        super().__init__(world, workspace or DEFAULT_WORKSPACE)
        # The open-chain model of the 2F-85 linkage: only the finger pads (boxes) and the gripper
        # body touch things; the knuckle and finger meshes would only add contact work per step.
        p, c = self.p, self.client
        for name in ("left_inner_knuckle", "right_inner_knuckle", "left_outer_knuckle", "right_outer_knuckle",
                     "left_inner_finger", "right_inner_finger", "left_outer_finger", "right_outer_finger"):
            p.setCollisionFilterGroupMask(self.body, self.link_index[_p(name)], 0, 0, physicsClientId=c)
