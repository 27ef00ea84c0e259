"""Inverse/forward kinematics on a private copy of the robot in a second, never-stepped PyBullet
client, so solving IK never disturbs the physics (or the determinism) of the scene."""
from __future__ import annotations

import numpy as np

from sim.world import connect_direct

# DESIGN.md: PyBullet IK is accurate with these; we also re-seed and repeat until the residual is tiny.
IK_MAX_ITERATIONS = 100
IK_RESIDUAL = 1e-5


class KinematicModel:
    def __init__(self, p, urdf_path: str, base_position, base_orientation, arm_joints: list[int],
                 tcp_link: int, flags: int = 0):
        self.p = p
        self.client = connect_direct()
        self.body = p.loadURDF(urdf_path, base_position, base_orientation, useFixedBase=True,
                               flags=flags, physicsClientId=self.client)
        self.arm_joints = list(arm_joints)
        self.tcp_link = tcp_link
        # calculateInverseKinematics returns one value per movable joint, in joint-index order.
        movable = [j for j in range(p.getNumJoints(self.body, physicsClientId=self.client))
                   if p.getJointInfo(self.body, j, physicsClientId=self.client)[2] != p.JOINT_FIXED]
        self._movable = movable
        self._arm_slots = [movable.index(j) for j in self.arm_joints]

    def set(self, q) -> None:
        for j, v in zip(self.arm_joints, q):
            self.p.resetJointState(self.body, j, float(v), physicsClientId=self.client)

    def fk(self, q) -> tuple[np.ndarray, np.ndarray]:
        """TCP position and quaternion (xyzw) for arm joints q."""
        self.set(q)
        st = self.p.getLinkState(self.body, self.tcp_link, computeForwardKinematics=1,
                                 physicsClientId=self.client)
        return np.array(st[4]), np.array(st[5])

    def ik(self, position, orientation, seed, attempts: int = 8) -> tuple[np.ndarray, float, float]:
        """Joint positions reaching (position, orientation) starting from `seed`; returns
        (q, position error m, orientation error rad). Repeats PyBullet's solver from its own answer
        until the residual stops improving."""
        p, c = self.p, self.client
        q = np.asarray(seed, dtype=float)
        best = (q, np.inf, np.inf)
        for _ in range(attempts):
            self.set(q)
            sol = p.calculateInverseKinematics(
                self.body, self.tcp_link, list(position), list(orientation),
                maxNumIterations=IK_MAX_ITERATIONS, residualThreshold=IK_RESIDUAL, physicsClientId=c)
            q = np.array([sol[s] for s in self._arm_slots])
            pos, quat = self.fk(q)
            perr = float(np.linalg.norm(pos - position))
            oerr = quat_angle(quat, orientation)
            if perr + 0.05 * oerr < best[1] + 0.05 * best[2]:
                best = (q, perr, oerr)
            if perr < 1e-5 and oerr < 1e-4:
                break
        return best

    def close(self) -> None:
        if self.client is not None and self.p.isConnected(self.client):
            self.p.disconnect(self.client)
        self.client = None


def quat_angle(a, b) -> float:
    """Angle (rad) between two unit quaternions."""
    d = abs(float(np.dot(np.asarray(a, float), np.asarray(b, float))))
    return 2.0 * float(np.arccos(min(1.0, d)))
