"""RosRobot's motion and gripper over ros2_control's action interfaces (RosRobot(control="action")):
control_msgs/FollowJointTrajectory on `<controller>/follow_joint_trajectory` and control_msgs/GripperCommand
on `gripper_controller/gripper_cmd`, as served by joint_trajectory_controller and the gripper action
controller, or by sim_robot_node with action_interfaces:=true. The topic interface (RosRobot's default)
stays for robots that expose only `joint_trajectory`.

A result becomes the primitive error a program sees: a rejected goal or a tolerance violation is
MotionFailedError (with the controller's error code), an abort that says e-stop or commander_lost is
EmergencyStopError / CommanderLostError. An e-stop or a lost commander seen while waiting cancels the goal
first. Each goal's trajectory and gripper position also go out on `<controller>/commanded_trajectory` and
`gripper_controller/commanded_position`, so a bag shows what was commanded, as on the topic path."""
from __future__ import annotations

import time
from typing import Callable

from codebot.ros.plumbing import topics
from codebot.ros.plumbing.env import wait_until
from codebot.ros.plumbing.liveliness import CommanderLostError
from codebot.primitives.errors import EmergencyStopError, MotionFailedError, PrimitiveError, RobotConnectionError

# (open, closed) GripperCommand positions of the driving joint, as the simulated robots define them
# (tests/codebot/ros/test_controller_actions.py checks these against codebot.sim's gripper specs)
GRIPPER_RANGES = {"ur5e": (0.0, 0.8), "panda": (0.04, 0.0)}
ANSWER_S = 10.0  # a controller answers a goal (accepted or rejected) within this


def _wait(fut, timeout: float, check: Callable[[], None]) -> bool:
    deadline = time.monotonic() + timeout
    while not fut.done():
        check()
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


class ActionControl:
    def __init__(self, node, topic: Callable[[str], str], controller: str, model: str):
        from rclpy.action import ActionClient

        from codebot.ros.robot.controller_actions import load_control_msgs

        self.FJT, self.Gripper = load_control_msgs("FollowJointTrajectory"), load_control_msgs("GripperCommand")
        from std_msgs.msg import Float64
        from trajectory_msgs.msg import JointTrajectory

        self.fjt = ActionClient(node, self.FJT, topic(topics.follow_joint_trajectory_action(controller)))
        self.grip = ActionClient(node, self.Gripper, topic(topics.GRIPPER_ACTION))
        # what each goal commanded, on plain topics a bag recorder records (codebot_node's dispatch bags)
        self._said_trajectory = node.create_publisher(
            JointTrajectory, topic(topics.commanded_trajectory_topic(controller)), topics.qos_reliable(10))
        self._said_gripper = node.create_publisher(Float64, topic(topics.GRIPPER_COMMANDED), topics.qos_reliable(10))
        self._Float64 = Float64
        if model not in GRIPPER_RANGES:
            raise ValueError(f"no gripper range for model {model!r}; known: {sorted(GRIPPER_RANGES)}")
        self.gripper_open, self.gripper_closed = GRIPPER_RANGES[model]
        self._active = None  # the running FollowJointTrajectory goal's handle

    def wait_for_servers(self, timeout: float, recorders: int = 0) -> None:
        """Both action servers, and `recorders` subscribers of the commanded-goal topics (a bag recorder: what
        is sent before it matched is not in the bag), each bounded by `timeout`; a missing recorder is no error."""
        for client in (self.fjt, self.grip):
            if not client.wait_for_server(timeout_sec=timeout):
                raise RobotConnectionError(f"no action server on {client._action_name} after {timeout} s: is the "
                                           "controller running (sim_robot_node: action_interfaces:=true)?")
        if recorders > 0:
            wait_until(lambda: min(self._said_trajectory.get_subscription_count(),
                                   self._said_gripper.get_subscription_count()) >= recorders, timeout)

    def follow(self, msg, check_alive: Callable[[], None], allowed_s: float) -> None:
        """Run one JointTrajectory through FollowJointTrajectory and wait for its result."""
        self._said_trajectory.publish(msg)
        handle = self._send(self.fjt, self.FJT.Goal(trajectory=msg), check_alive, "trajectory")
        self._active = handle
        try:
            res = handle.get_result_async()
            try:
                done = _wait(res, allowed_s, check_alive)
            except PrimitiveError:  # e-stop or lost commander seen here: the controller stops too
                handle.cancel_goal_async()
                raise
            if not done:
                handle.cancel_goal_async()
                raise MotionFailedError(f"the controller did not finish the trajectory within {allowed_s:.1f} s")
        finally:
            self._active = None
        self._raise_for(res.result(), "trajectory")

    def gripper(self, close: bool, check_alive: Callable[[], None], timeout: float) -> tuple[float, bool]:
        """(where the fingers stopped, stalled) after a GripperCommand to closed or open."""
        goal = self.Gripper.Goal()
        goal.command.position = self.gripper_closed if close else self.gripper_open
        self._said_gripper.publish(self._Float64(data=float(goal.command.position)))
        handle = self._send(self.grip, goal, check_alive, "gripper command")
        res = handle.get_result_async()
        if not _wait(res, timeout, check_alive):
            raise RobotConnectionError(f"the gripper did not finish within {timeout} s")
        self._raise_for(res.result(), "gripper command")
        return float(res.result().result.position), bool(res.result().result.stalled)

    def cancel(self) -> None:
        handle = self._active
        if handle is not None:
            handle.cancel_goal_async()

    def _send(self, client, goal, check_alive: Callable[[], None], what: str):
        fut = client.send_goal_async(goal)
        if not _wait(fut, ANSWER_S, check_alive):
            raise RobotConnectionError(f"the {what} goal was not answered within {ANSWER_S} s")
        handle = fut.result()
        if not handle.accepted:
            check_alive()  # a refusal because of an e-stop says so
            raise MotionFailedError(f"the controller rejected the {what} goal")
        return handle

    def _raise_for(self, wrapped, what: str) -> None:
        from action_msgs.msg import GoalStatus

        if wrapped.status == GoalStatus.STATUS_SUCCEEDED:
            return
        text = getattr(wrapped.result, "error_string", "") or ""
        if "estopped" in text:
            raise EmergencyStopError(f"e-stop: the robot halted during the {what}")
        if "commander_lost" in text:
            raise CommanderLostError(f"the robot lost its commander during the {what}: {text}")
        state = {GoalStatus.STATUS_ABORTED: "aborted", GoalStatus.STATUS_CANCELED: "canceled"}.get(wrapped.status,
                                                                                                   "ended")
        raise MotionFailedError(f"the controller {state} the {what}" + (f": {text}" if text else ""), state=state,
                                error_code=int(getattr(wrapped.result, "error_code", 0)))
