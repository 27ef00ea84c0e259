"""Local kinematics for RosRobot: the same URDF in a private, never-stepped PyBullet world (built
with sim's robot class), used only for FK/IK, so a robot program plans exactly like in the twin."""
from __future__ import annotations

import numpy as np

from codebot.extras import require
from codebot.primitives.protocols import JointLimits


class LocalKinematics:
    def __init__(self, model: str = "ur5e"):
        require("pybullet", "sim")
        from codebot import sim
        from codebot.sim.world import World

        self.world = World()
        self.robot = sim.robot_class(model)(self.world)
        self.model = model
        self.joint_names = list(self.robot.joint_names())
        lim = self.robot.joint_limits()
        velocity_fraction = float(getattr(self.robot, "velocity_fraction", 1.0))
        self.limits = JointLimits(np.asarray(lim.lower, float), np.asarray(lim.upper, float),
                                  np.asarray(lim.velocity, float) * velocity_fraction)
        self.home = np.asarray(self.robot.home_joints, dtype=float)

    def fk(self, q) -> tuple[np.ndarray, np.ndarray]:
        return self.robot.kin.fk(np.asarray(q, float))

    def plan(self, target, yaw: float | None, speed: float | None, q0) -> tuple[np.ndarray, np.ndarray]:
        """(times, joint path) of the tool line to `target` from joints `q0`: the sim robot's own
        planner (SimRobot.plan_move_ee), so the twin and the robot plan identically."""
        return self.robot.plan_move_ee(target, yaw=yaw, speed=speed, q0=q0)

    def close(self) -> None:
        try:
            self.robot.close()
        finally:
            self.world.close()
