"""Inverse/forward kinematics on a private copy of the robot in a second, never-stepped PyBullet
client, so solving IK never disturbs the physics (or the determinism) of the scene."""
from __future__ import annotations

import functools

import numpy as np

from codebot.sim.world import connect_direct

# DESIGN.md: PyBullet IK is accurate with these; we also re-seed and repeat until the residual is tiny.
IK_MAX_ITERATIONS = 100
IK_RESIDUAL = 1e-5


class KinematicModel:
    def __init__(self, p, urdf_path: str, base_position, base_orientation, arm_joints: list[int],
                 tcp_link: int, flags: int = 0, rest=None):
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
        infos = [p.getJointInfo(self.body, j, physicsClientId=self.client) for j in movable]
        self.lower = np.array([i[8] for i in infos])
        self.upper = np.array([i[9] for i in infos])
        self.rest_all = np.array([(lo + hi) / 2 for lo, hi in zip(self.lower, self.upper)])
        if rest is not None:
            self.rest_all[self._arm_slots] = rest
        self.arm_lower = self.lower[self._arm_slots]
        self.arm_upper = self.upper[self._arm_slots]

    def set(self, q) -> None:
        for j, v in zip(self.arm_joints, q):
            self.p.resetJointState(self.body, j, float(v), physicsClientId=self.client)

    def fk(self, q) -> tuple[np.ndarray, np.ndarray]:
        """TCP position and quaternion (xyzw) for arm joints q."""
        self.set(q)
        st = self.p.getLinkState(self.body, self.tcp_link, computeForwardKinematics=1,
                                 physicsClientId=self.client)
        return np.array(st[4]), np.array(st[5])

    def ik(self, position, orientation, seed, attempts: int = 8, tol: float = 1e-5) -> tuple[np.ndarray, float, float]:
        """Joint positions reaching (position, orientation), near `seed` and inside the joint limits;
        returns (q, position error m, orientation error rad). Tries PyBullet's plain solver from the
        seed first (repeated from its own answer until the residual is tiny); when that leaves the
        joint limits, restarts from a null-space solution that respects them (pulled towards the
        seed, then towards the rest posture) and refines it."""
        best = self._refine(position, orientation, np.asarray(seed, dtype=float), attempts, tol)
        if self.within_limits(best[0]) and best[1] < max(1e-4, tol):
            return best
        for rest in (np.asarray(seed, dtype=float), self.rest_all[self._arm_slots]):
            start = self._null_space(position, orientation, np.asarray(seed, dtype=float), rest)
            cand = self._refine(position, orientation, start, attempts, tol)
            if self.within_limits(cand[0]) and (cand[1] < 1e-4 or not self.within_limits(best[0])
                                                or cand[1] < best[1]):
                best = cand
                if cand[1] < 1e-4:
                    break
        return best

    def within_limits(self, q) -> bool:
        return bool(np.all(q >= self.arm_lower - 1e-6) and np.all(q <= self.arm_upper + 1e-6))

    def _null_space(self, position, orientation, seed, rest) -> np.ndarray:
        p, c = self.p, self.client
        self.set(seed)
        rest_all = self.rest_all.copy()
        rest_all[self._arm_slots] = rest
        margin = 0.02  # stay a little inside the hard limits
        sol = p.calculateInverseKinematics(
            self.body, self.tcp_link, list(position), list(orientation),
            lowerLimits=list(self.lower + margin), upperLimits=list(self.upper - margin),
            jointRanges=list(self.upper - self.lower), restPoses=list(rest_all),
            maxNumIterations=IK_MAX_ITERATIONS, residualThreshold=IK_RESIDUAL, physicsClientId=c)
        return np.array([sol[s] for s in self._arm_slots])

    def _refine(self, position, orientation, q, attempts: int, tol: float = 1e-5) -> tuple[np.ndarray, float, float]:
        p, c = self.p, self.client
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
            if perr < tol and oerr < 10 * tol:
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


@functools.lru_cache(maxsize=8)
def indices_in(p, urdf_path: str, joint_names: tuple, link_name: str) -> tuple[list[int], int]:
    """Joint indices of `joint_names` and the link index of `link_name` in another URDF."""
    client = connect_direct()
    try:
        body = p.loadURDF(urdf_path, useFixedBase=True, physicsClientId=client)
        infos = [p.getJointInfo(body, j, physicsClientId=client)
                 for j in range(p.getNumJoints(body, physicsClientId=client))]
    finally:
        p.disconnect(client)
    joints = {i[1].decode(): i[0] for i in infos}
    links = {i[12].decode(): i[0] for i in infos}
    return tuple(joints[n] for n in joint_names), links[link_name]
