"""Trajectory goals of sim_robot_node, shared by the `joint_trajectory` topic and the FollowJointTrajectory
action (codebot.ros.robot.controller_actions): validation as a controller does it, start with preemption,
stop. A mixin of SimRobotNode, which owns the state it reads: _lock, _goal, _goal_count, _estop, _q,
_hold_q, watchdog, driver, names, and _state() (execution_state and goal_listeners)."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from codebot.ros.plumbing import convert
from codebot.ros.plumbing.liveliness import CommanderLostError
from codebot.ros.robot.trajectory import check_limits
from codebot.primitives.errors import EmergencyStopError, PrimitiveError


@dataclass
class Goal:
    id: int
    times: np.ndarray
    positions: np.ndarray
    t0: float | None = None  # sim time when execution started


class TrajectoryGoals:
    def next_goal_id(self) -> int:
        with self._lock:
            self._goal_count += 1
            return self._goal_count

    def motion_refused(self) -> str | None:
        """Why no motion may start now (a latched e-stop or commander_lost), or None."""
        if self._estop.is_set():
            return "e-stop is latched; publish false on estop to release"
        lost = self.watchdog.lost
        return None if lost is None else lost["message"]

    def _validated(self, msg) -> tuple[np.ndarray, np.ndarray]:
        """(times, positions) of a trajectory the controller would take; raises PrimitiveError."""
        if self._estop.is_set():
            raise EmergencyStopError("e-stop is latched; publish false on estop to release")
        lost = self.watchdog.lost
        if lost is not None:
            raise CommanderLostError(lost["message"], commander=lost.get("commander"))
        times, pos = convert.trajectory_arrays(msg, self.names)
        start = None if times[0] <= 1e-9 else self._q
        check_limits(times, pos, self.driver.lower, self.driver.upper, self.driver.velocity,
                     start=start, joint_names=self.names)
        if start is not None:
            times, pos = np.concatenate([[0.0], times]), np.vstack([start, pos])
        return times, pos

    def trajectory_problem(self, msg) -> str | None:
        try:
            self._validated(msg)
        except PrimitiveError as exc:
            return str(exc)
        return None

    def submit_trajectory(self, msg, gid: int) -> tuple[str, dict]:
        """Validate and start `msg` as goal `gid` (preempting the running one): ("accepted", {"goal"}) or
        ("rejected", {"error"}); execution_state and goal_listeners hear the same."""
        try:
            times, pos = self._validated(msg)
        except PrimitiveError as exc:
            self.get_logger().warn(f"trajectory {gid} rejected: {exc}")
            extra = {"error": exc.to_dict(), "points": len(msg.points)}
            self._state("rejected", gid, **extra)
            return "rejected", extra
        goal = Goal(gid, times, pos)
        with self._lock:
            preempted, self._goal = self._goal, goal
        if preempted is not None:
            self._state("preempted", preempted.id)
        self._state("accepted", gid, points=len(msg.points), duration=float(times[-1]))
        return "accepted", {"goal": goal}

    def stop_goal(self, gid: int | None, state: str) -> None:
        """End goal `gid` (None: whichever runs) as `state`, holding the arm where it is."""
        with self._lock:
            goal = self._goal
            if gid is not None and (goal is None or goal.id != gid):
                return
            self._goal = None
        self._hold_q = None
        # stamped where it happened (wall clock): a halt's latency must not include delivery to a listener
        self._state(state, goal.id if goal else None, stamp=time.time())
