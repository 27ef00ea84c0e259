"""Local kinematics for RosRobot: the same URDF in a private, never-stepped PyBullet world (built
with sim's robot class), used only for FK/IK, so a robot program plans exactly like in the twin."""
from __future__ import annotations

import math

import numpy as np

from codebot.extras import require
from primitives.errors import JointLimitError, UnreachableError
from primitives.protocols import JointLimits

IK_POSITION_TOL = 1e-3  # m
IK_ORIENTATION_TOL = 1e-2  # rad
MAX_JOINT_JUMP = 0.5  # rad between neighbouring waypoints; more means the IK branch flipped


class LocalKinematics:
    def __init__(self, model: str = "ur5e"):
        require("pybullet", "sim")
        import sim
        from sim.world import World

        self.world = World()
        self.robot = sim.robot_class(model)(self.world)
        self.model = model
        self.joint_names = list(self.robot.joint_names())
        lim = self.robot.joint_limits()
        self.limits = JointLimits(np.asarray(lim.lower, float), np.asarray(lim.upper, float),
                                  np.asarray(lim.velocity, float) * float(getattr(self.robot, "velocity_fraction", 1.0)))
        self.home = np.asarray(self.robot.home_joints, dtype=float)

    def fk(self, q) -> tuple[np.ndarray, np.ndarray]:
        return self.robot.kin.fk(np.asarray(q, float))

    def tool_yaw(self, quat) -> float:
        p = self.robot.p
        m = np.array(p.getMatrixFromQuaternion(list(quat))).reshape(3, 3)
        return math.atan2(m[1, 0], m[0, 0])

    def plan(self, target, yaw: float | None, speed: float | None, q0) -> tuple[np.ndarray, np.ndarray]:
        """(times, joint path) of the tool line to `target` from joints `q0`: the sim robot's own
        planner (SimRobot.plan_move_ee), so the twin and the robot plan identically."""
        planner = getattr(self.robot, "plan_move_ee", None)
        if planner is not None:
            return planner(target, yaw=yaw, speed=speed, q0=q0)
        from codebot.ros.trajectory import time_parameterize  # older sim: own line + timing

        start, quat = self.fk(q0)
        path = self.line(start, target, self.tool_yaw(quat) if yaw is None else float(yaw), q0)
        times, _ = time_parameterize(path, self.limits.velocity, 0.5)
        floor = float(np.linalg.norm(np.asarray(target, float) - start)) / (speed or 0.5)
        return (times * (floor / times[-1]) if times[-1] < floor else times), path

    def line(self, start, target, yaw: float, q0, step: float = 0.01) -> np.ndarray:
        """Joint waypoints (N, J) for a straight tool line start->target, tool down at `yaw` (the
        yaw is taken modulo a half turn, nearest to the current one: the gripper is symmetric)."""
        from sim.robots.kinematics import quat_angle
        from sim.robots.trajectory import slerp

        start, target = np.asarray(start, float), np.asarray(target, float)
        q0 = np.asarray(q0, float)
        _, quat0 = self.fk(q0)
        yaw0 = self.tool_yaw(quat0)
        yaw1 = yaw + math.pi * round((yaw0 - yaw) / math.pi)
        quat1 = np.asarray(self.robot.tool_down(yaw1), float)
        dist = float(np.linalg.norm(target - start))
        turn = quat_angle(quat0, quat1)
        n = max(1, math.ceil(dist / step), math.ceil(turn / 0.05))
        path = [q0]
        for i in range(1, n + 1):
            s = i / n
            pos = start + s * (target - start)
            q, perr, oerr = self.robot.kin.ik(pos, slerp(quat0, quat1, s), path[-1])
            if perr > IK_POSITION_TOL or oerr > IK_ORIENTATION_TOL:
                raise UnreachableError(f"{self.model} cannot reach {np.round(pos, 3).tolist()} with the tool "
                                       f"down (IK residual {perr * 1000:.1f} mm)", target=target.tolist())
            bad = np.nonzero((q < self.limits.lower - 1e-6) | (q > self.limits.upper + 1e-6))[0]
            if bad.size:
                j = int(bad[0])
                raise JointLimitError(f"IK solution puts {self.joint_names[j]} at {q[j]:.3f} rad, outside "
                                      f"its limits", joint=self.joint_names[j])
            if float(np.max(np.abs(q - path[-1]))) > MAX_JOINT_JUMP:
                raise UnreachableError(f"{self.model} cannot follow a straight line to "
                                       f"{np.round(target, 3).tolist()} without flipping configuration")
            path.append(q)
        return np.array(path)

    def close(self) -> None:
        try:
            self.robot.close()
        finally:
            self.world.close()
