"""ros2_control's action interfaces on sim_robot_node: control_msgs/FollowJointTrajectory on
`<controller>/follow_joint_trajectory`, with joint_trajectory_controller's semantics, over the node's
own trajectory execution (the same path the `joint_trajectory` topic takes):

- a goal whose joints do not match the robot, whose points are malformed or out of limits, or that
  arrives while the e-stop or commander_lost is latched is **rejected** at the goal callback;
- an accepted goal **preempts** the running one (INVALID_GOAL, "preempted by a new goal"; aborted, since
  an action goal can be canceled only after a cancel request);
- feedback (desired, actual, error, index of the segment) while it runs;
- `path_tolerance` (position, per joint) is checked every feedback period after the first point; a
  violation holds the arm and aborts with PATH_TOLERANCE_VIOLATED;
- `goal_tolerance` is checked when the node reports the goal reached; outside it: GOAL_TOLERANCE_VIOLATED;
  `goal_time_tolerance` > 0 bounds how long after the last point's time the goal may take;
- cancel holds the arm where it is; e-stop, commander_lost and a controller fault abort the goal
  with the reason in error_string.

control_msgs/GripperCommand on `gripper_controller/gripper_cmd`, as ros2_controllers' gripper action
controller: the fingers drive to `command.position` (the gripper's driving joint, between its open and
closed values: 0..0.8 rad for the Robotiq 2F-85, 0.04..0 m for the Panda hand; outside that range, or
under a latched e-stop/commander_lost, the goal is rejected). The result says where they stopped,
`reached_goal` (within GRIPPER_GOAL_TOLERANCE) and `stalled` (stopped short, e.g. on a block); a stalled
goal succeeds when the node's `gripper_allow_stalling` is true (grasping), else it aborts. `max_effort`
is not modelled (the simulated fingers have a fixed force) and `effort` is reported as 0.

Needs the control_msgs subset built into the venv (make setup; codebot.ros.tools.build_interfaces).
"""
from __future__ import annotations

import queue
import threading
from typing import Any

import numpy as np

from codebot.ros.plumbing import topics
from codebot.ros.robot.trajectory import sample

FEEDBACK_PERIOD_S = 0.05
GRIPPER_GOAL_TOLERANCE = 0.01  # driving-joint units (rad or m): reached
TERMINAL = ("succeeded", "aborted", "preempted", "canceled", "estopped", "commander_lost", "rejected")


def load_control_msgs(name: str = "FollowJointTrajectory"):
    try:
        from control_msgs import action
    except ImportError as exc:
        raise RuntimeError("control_msgs is not built into this environment: run `make setup` "
                           "(python -m codebot.ros.tools.build_interfaces)") from exc
    return getattr(action, name)


def _tolerances(entries, names: list[str]) -> np.ndarray | None:
    """Per-joint position tolerances in the robot's joint order (inf where unchecked), None if none set.
    ros2_control: 0 means the controller's default (none here), -1 means 'do not check'."""
    if not entries:
        return None
    tol = np.full(len(names), np.inf)
    for e in entries:
        if e.name not in names:
            raise ValueError(f"tolerance for unknown joint {e.name!r}")
        if e.position > 0:
            tol[names.index(e.name)] = e.position
    return None if np.all(np.isinf(tol)) else tol


class FollowJointTrajectoryServer:
    """Serves FollowJointTrajectory for a SimRobotNode (see the module doc)."""

    def __init__(self, node, callback_group):
        from rclpy.action import ActionServer, CancelResponse, GoalResponse

        self.Action = load_control_msgs()
        self.node = node
        self._GoalResponse, self._CancelResponse = GoalResponse, CancelResponse
        self._events: dict[int, queue.Queue] = {}
        self._started: dict[bytes, tuple] = {}  # goal uuid -> (node goal id, its events, submit's answer)
        self._lock = threading.Lock()
        node.goal_listeners.append(self._on_goal_event)
        self.server = ActionServer(node, self.Action, topics.follow_joint_trajectory_action(node.p["controller"]),
                                   execute_callback=self._execute, goal_callback=self._on_goal,
                                   handle_accepted_callback=self._on_accepted,
                                   cancel_callback=lambda _h: CancelResponse.ACCEPT, callback_group=callback_group)

    # --- goal callback (an executor thread): the controller's validation ------------------------
    def _on_goal(self, goal) -> Any:
        problem = self.node.trajectory_problem(goal.trajectory)
        if problem is None:
            try:
                _tolerances(goal.path_tolerance, self.node.names)
                _tolerances(goal.goal_tolerance, self.node.names)
            except ValueError as exc:
                problem = str(exc)
        if problem is not None:
            self.node.get_logger().warn(f"follow_joint_trajectory goal rejected: {problem}")
            return self._GoalResponse.REJECT
        return self._GoalResponse.ACCEPT

    def _on_goal_event(self, state: str, gid: int | None, extra: dict) -> None:
        with self._lock:
            q = self._events.get(gid) if gid is not None else None
        if q is not None:
            q.put((state, extra))

    # --- execution -------------------------------------------------------------------------------
    def _on_accepted(self, handle) -> None:
        """The trajectory starts the moment its goal is accepted (as joint_trajectory_controller does),
        in the same callback: the feedback loop (execute) follows on another executor turn."""
        events: queue.Queue = queue.Queue()
        # events for the node's goal id may come at once: the queue is registered before submitting
        with self._lock:
            gid = self.node.next_goal_id()
            self._events[gid] = events
        answer = self.node.submit_trajectory(handle.request.trajectory, gid)
        with self._lock:
            self._started[bytes(handle.goal_id.uuid)] = (gid, events, answer)
        handle.execute()

    def _execute(self, handle):
        Result = self.Action.Result
        goal = handle.request
        with self._lock:
            gid, events, (state, extra) = self._started.pop(bytes(handle.goal_id.uuid))
        try:
            if state == "rejected":  # lost a race with an e-stop or a lapse since the goal callback
                handle.abort()
                return Result(error_code=Result.INVALID_GOAL, error_string=str(extra.get("error", "rejected")))
            path_tol = _tolerances(goal.path_tolerance, self.node.names)
            goal_tol = _tolerances(goal.goal_tolerance, self.node.names)
            time_tol = goal.goal_time_tolerance.sec + goal.goal_time_tolerance.nanosec * 1e-9
            return self._follow(handle, extra["goal"], events, path_tol, goal_tol, time_tol)
        finally:
            with self._lock:
                self._events.pop(gid, None)

    def _follow(self, handle, goal, events: queue.Queue, path_tol, goal_tol, time_tol: float):
        """Feedback until the node ends goal `goal` (a codebot.ros.robot.goals.Goal), checking tolerances."""
        Result = self.Action.Result
        node, gid = self.node, goal.id
        while True:
            try:
                state, extra = events.get(timeout=FEEDBACK_PERIOD_S)
            except queue.Empty:
                state, extra = None, {}
            if state == "succeeded":
                err = np.abs(np.asarray(node._q, dtype=float) - goal.positions[-1])  # the physics thread's last reading
                if goal_tol is not None and np.any(err > goal_tol):
                    handle.abort()
                    worst = node.names[int(np.argmax(err - goal_tol))]
                    return Result(error_code=Result.GOAL_TOLERANCE_VIOLATED, error_string=f"{worst} ended "
                                  f"{float(np.max(err)):.4f} rad off, outside goal_tolerance")
                handle.succeed()
                return Result(error_code=Result.SUCCESSFUL, error_string="")
            if state == "preempted":
                handle.canceled() if handle.is_cancel_requested else handle.abort()
                return Result(error_code=Result.INVALID_GOAL, error_string="preempted by a new goal")
            if state in ("canceled",) and handle.is_cancel_requested:
                handle.canceled()
                return Result(error_code=Result.SUCCESSFUL, error_string="canceled: holding position")
            if state in TERMINAL:
                handle.abort()
                reason = (extra.get("error") or {}).get("message") if isinstance(extra.get("error"), dict) else None
                return Result(error_code=Result.INVALID_GOAL, error_string=f"{state}: {reason or 'goal ended'}")
            if handle.is_cancel_requested:
                node.stop_goal(gid, "canceled")
                continue  # the node's "canceled" event ends it
            t = 0.0 if goal.t0 is None else node.driver.time - goal.t0
            desired, vel, index = sample_goal(goal.times, goal.positions, t)
            actual = np.asarray(node._q, dtype=float)
            handle.publish_feedback(self._feedback(desired, vel, actual, index))
            if path_tol is not None and t > 0 and np.any(np.abs(desired - actual) > path_tol):
                node.stop_goal(gid, "aborted")
                handle.abort()
                worst = node.names[int(np.argmax(np.abs(desired - actual) - path_tol))]
                return Result(error_code=Result.PATH_TOLERANCE_VIOLATED,
                              error_string=f"{worst} left its path_tolerance at t={t:.2f} s")
            if time_tol > 0 and t > goal.times[-1] + time_tol:
                node.stop_goal(gid, "aborted")
                handle.abort()
                return Result(error_code=Result.GOAL_TOLERANCE_VIOLATED,
                              error_string=f"goal not reached within goal_time_tolerance ({time_tol:.2f} s)")

    def _feedback(self, desired: np.ndarray, vel: np.ndarray, actual: np.ndarray, index: int):
        from trajectory_msgs.msg import JointTrajectoryPoint

        fb = self.Action.Feedback()
        fb.header.stamp = self.node.get_clock().now().to_msg()
        fb.joint_names = list(self.node.names)
        fb.desired = JointTrajectoryPoint(positions=desired.tolist(), velocities=vel.tolist())
        fb.actual = JointTrajectoryPoint(positions=actual.tolist())
        fb.error = JointTrajectoryPoint(positions=(desired - actual).tolist())
        fb.index = int(index)
        return fb


def sample_goal(times: np.ndarray, positions: np.ndarray, t: float) -> tuple[np.ndarray, np.ndarray, int]:
    """(desired position, velocity, index of the segment being executed) at time t of a goal."""
    q, v = sample(times, positions, t)
    index = int(np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(times) - 1))
    return q, v, index



class GripperCommandServer:
    """Serves GripperCommand for a SimRobotNode (see the module doc)."""

    def __init__(self, node, callback_group):
        from rclpy.action import ActionServer, CancelResponse, GoalResponse

        self.Action = load_control_msgs("GripperCommand")
        self.node = node
        self._GoalResponse = GoalResponse
        self.range = sorted(node.driver.gripper_range())
        self.server = ActionServer(node, self.Action, topics.GRIPPER_ACTION, execute_callback=self._execute,
                                   goal_callback=self._on_goal, callback_group=callback_group,
                                   cancel_callback=lambda _h: CancelResponse.REJECT)  # a finger move is short

    def _on_goal(self, goal) -> Any:
        position, (lo, hi) = goal.command.position, self.range
        problem = None
        if not np.isfinite(position) or not lo - 1e-9 <= position <= hi + 1e-9:
            problem = f"position {position} is outside the gripper's range [{lo}, {hi}]"
        elif self.node.motion_refused() is not None:
            problem = self.node.motion_refused()
        if problem is not None:
            self.node.get_logger().warn(f"gripper_cmd goal rejected: {problem}")
            return self._GoalResponse.REJECT
        return self._GoalResponse.ACCEPT

    def _execute(self, handle):
        target = float(handle.request.command.position)
        out = self.node._request("gripper_position", target)
        result = self.Action.Result()
        if not out.get("ok"):
            handle.abort()
            return result
        result.position = float(out["position"])
        result.effort = 0.0
        result.reached_goal = abs(result.position - target) <= GRIPPER_GOAL_TOLERANCE
        result.stalled = not result.reached_goal
        fb = self.Action.Feedback(position=result.position, effort=0.0, stalled=result.stalled,
                                  reached_goal=result.reached_goal)
        handle.publish_feedback(fb)
        if result.reached_goal or (result.stalled and self.node.p["gripper_allow_stalling"]):
            handle.succeed()
        else:
            handle.abort()
        return result
