"""sim_robot_node's control_msgs/FollowJointTrajectory server (action_interfaces:=true) in its own process,
and its control_msgs/GripperCommand server, driven over real DDS by plain rclpy ActionClients, as a MoveIt
execution manager would: success with feedback, rejection, path tolerance, preemption, cancel, e-stop;
finger positions, the range, and a grasp that stalls on a block."""
from __future__ import annotations

import threading

import numpy as np
import pytest

pytest.importorskip("rclpy")
pytest.importorskip("pybullet")

from waits import DISCOVERY_S, wait_until

pytestmark = [pytest.mark.ros, pytest.mark.slow, pytest.mark.timeout(300)]

ACTION = "/robot/arm_controller/follow_joint_trajectory"
HOME_OFFSET = np.array([0.25, -0.2, 0.2, 0.0, 0.0, 0.3])  # a small joint-space move from where the arm starts


class Arm:
    """The test's side: joint_states (by the robot's own stamps) and an action client."""

    def __init__(self, client):
        from control_msgs.action import FollowJointTrajectory
        from rclpy.action import ActionClient
        from sensor_msgs.msg import JointState

        self.Action = FollowJointTrajectory
        self.node = client
        self.samples: list[tuple[float, np.ndarray]] = []
        self.names: list[str] = []
        client.create_subscription(JointState, "/robot/joint_states", self._on_js, 50)
        self.client = ActionClient(client, FollowJointTrajectory, ACTION)
        assert self.client.wait_for_server(timeout_sec=DISCOVERY_S), f"{ACTION} never appeared"
        wait_until(lambda: self.samples, DISCOVERY_S, "the robot never published /robot/joint_states")

    def _on_js(self, m) -> None:
        self.names = list(m.name)
        self.samples.append((m.header.stamp.sec + m.header.stamp.nanosec * 1e-9, np.array(m.position)))

    def q(self) -> np.ndarray:
        return self.samples[-1][1]

    def goal(self, target: np.ndarray, seconds: float, names: list[str] | None = None, path_tol: float = 0.0):
        from builtin_interfaces.msg import Duration
        from control_msgs.msg import JointTolerance
        from trajectory_msgs.msg import JointTrajectoryPoint

        g = self.Action.Goal()
        g.trajectory.joint_names = names or self.names
        g.trajectory.points = [JointTrajectoryPoint(positions=[float(x) for x in target],
                                                    time_from_start=Duration(sec=int(seconds),
                                                                             nanosec=int(seconds % 1 * 1e9)))]
        if path_tol:
            g.path_tolerance = [JointTolerance(name=n, position=path_tol) for n in self.names]
        return g

    def send(self, goal, feedback: list | None = None):
        """The goal handle once the server answered (accepted or not)."""
        fut = self.client.send_goal_async(goal, feedback_callback=(feedback.append if feedback is not None else None))
        wait_until(fut.done, DISCOVERY_S, "the FollowJointTrajectory goal was never answered (accepted or rejected)")
        return fut.result()

    def result(self, handle, timeout: float = 60.0):
        fut = handle.get_result_async()
        wait_until(fut.done, timeout, "the FollowJointTrajectory goal never ended with a result")
        return fut.result()


@pytest.fixture
def arm(procs, client):
    procs.sim_robot("action_interfaces:=true", "real_time_factor:=1.0")
    return Arm(client)


def test_a_goal_runs_with_feedback_and_bad_goals_are_rejected_or_aborted(arm):
    from action_msgs.msg import GoalStatus

    start = arm.q().copy()
    feedback: list = []
    handle = arm.send(arm.goal(start + HOME_OFFSET, 2.0), feedback)
    assert handle.accepted
    res = arm.result(handle)
    assert res.status == GoalStatus.STATUS_SUCCEEDED and res.result.error_code == 0, res.result.error_string
    # feedback came while it ran, in the robot's joint order, desired - actual = error
    assert feedback, "no feedback while the goal ran"
    fb = feedback[-1].feedback
    assert list(fb.joint_names) == arm.names
    assert np.allclose(np.array(fb.desired.positions) - np.array(fb.actual.positions), fb.error.positions, atol=1e-9)
    # the arm is where the goal said, on the robot's own joint_states
    wait_until(lambda: np.max(np.abs(arm.q() - (start + HOME_OFFSET))) < 0.01, 30,
               "the arm never reported the goal's positions on joint_states", details=lambda: arm.q())

    # a goal naming joints the robot does not have is rejected, as joint_trajectory_controller does
    bad = arm.goal(start, 1.0, names=[f"{n}_x" for n in arm.names])
    assert not arm.send(bad).accepted

    # a path tolerance the motion cannot keep aborts it with PATH_TOLERANCE_VIOLATED
    handle = arm.send(arm.goal(start, 0.6, path_tol=1e-4))
    assert handle.accepted
    res = arm.result(handle)
    assert res.status == GoalStatus.STATUS_ABORTED
    assert res.result.error_code == arm.Action.Result.PATH_TOLERANCE_VIOLATED, res.result.error_string
    assert "path_tolerance" in res.result.error_string


def test_preemption_cancel_and_estop_end_goals_as_a_controller_does(arm):
    from action_msgs.msg import GoalStatus
    from std_msgs.msg import Bool

    start = arm.q().copy()
    first = arm.send(arm.goal(start + HOME_OFFSET, 6.0))
    wait_until(lambda: np.max(np.abs(arm.q() - start)) > 0.01, 30, "the first goal never moved the arm")
    # a new goal preempts the running one
    second_fb: list = []
    second = arm.send(arm.goal(start, 4.0), second_fb)
    res = arm.result(first)
    assert res.status == GoalStatus.STATUS_ABORTED and "preempted" in res.result.error_string, res.result
    # cancel during execution: the arm holds where it was caught
    wait_until(lambda: second_fb, 30, "the second goal sent no feedback")
    cancel = second.cancel_goal_async()
    wait_until(cancel.done, 30, "the cancel request was never answered")
    res = arm.result(second)
    assert res.status == GoalStatus.STATUS_CANCELED, res
    since = arm.samples[-1][0]
    wait_until(lambda: sum(t > since for t, _ in arm.samples) >= 60, 60, "the robot stopped publishing joint_states")
    held = [q for t, q in arm.samples if t > since][20:60]  # after it came to rest
    assert np.max(np.ptp(np.array(held), axis=0)) < 0.01, "the arm kept moving after the cancel"

    # e-stop during a goal aborts it with the reason; released, the next goal runs
    third = arm.send(arm.goal(start + HOME_OFFSET, 4.0))
    wait_until(lambda: np.max(np.abs(arm.q() - held[-1])) > 0.01, 30, "the third goal never moved the arm")
    estop = arm.node.create_publisher(Bool, "/robot/estop", 10)
    estop.publish(Bool(data=True))
    res = arm.result(third)
    assert res.status == GoalStatus.STATUS_ABORTED and "estopped" in res.result.error_string, res.result
    assert not arm.send(arm.goal(start, 2.0)).accepted  # refused while the e-stop is latched
    estop.publish(Bool(data=False))
    accepted: list = []

    def try_goal() -> bool:  # the release travels on a topic: goals are refused until it arrived
        handle = arm.send(arm.goal(start, 2.0))
        if handle.accepted:
            accepted.append(handle)
        return bool(accepted)

    wait_until(try_goal, 30, "goals stayed refused after the e-stop release")
    assert arm.result(accepted[0]).status == GoalStatus.STATUS_SUCCEEDED


def test_gripper_command_moves_the_fingers_and_a_grasp_stalls_on_the_block(procs, client):
    from action_msgs.msg import GoalStatus
    from control_msgs.action import GripperCommand
    from rclpy.action import ActionClient

    from codebot.ros.robot.perception import RosPerception
    from codebot.ros.robot.ros_robot import RosRobot

    procs.sim_robot("action_interfaces:=true", "real_time_factor:=1.0")
    grip = ActionClient(client, GripperCommand, "/robot/gripper_controller/gripper_cmd")
    assert grip.wait_for_server(timeout_sec=DISCOVERY_S), "/robot/gripper_controller/gripper_cmd never appeared"

    def command(position: float):
        goal = GripperCommand.Goal()
        goal.command.position, goal.command.max_effort = position, 0.0
        fut = grip.send_goal_async(goal)
        wait_until(fut.done, DISCOVERY_S, "the GripperCommand goal was never answered")
        handle = fut.result()
        if not handle.accepted:
            return None
        res = handle.get_result_async()
        wait_until(res.done, 60, "the GripperCommand goal never ended")
        return res.result()

    # UR5e + Robotiq 2F-85: the driving joint goes from 0 (open) to 0.8 rad (closed)
    half = command(0.4)
    assert half.status == GoalStatus.STATUS_SUCCEEDED and half.result.reached_goal and not half.result.stalled
    assert abs(half.result.position - 0.4) < 0.01, half.result
    assert command(1.5) is None, "a position outside the gripper's range was accepted"
    opened = command(0.0)
    assert opened.result.reached_goal and abs(opened.result.position) < 0.01, opened.result

    # closing on a block stops short of closed: stalled, and a success (gripper_allow_stalling)
    robot = RosRobot(namespace="/robot", connect_timeout=DISCOVERY_S)
    try:
        block = {o.name: o for o in RosPerception(robot.node, "/robot", wait=DISCOVERY_S).objects()}["red block"]
        robot.move_ee((block.position[0], block.position[1], 0.12), yaw=block.yaw)
        robot.move_ee(tuple(block.position))
        grasp = command(0.8)
        assert grasp.status == GoalStatus.STATUS_SUCCEEDED, grasp
        assert grasp.result.stalled and not grasp.result.reached_goal and grasp.result.position < 0.75, grasp.result
        # the robot's grasping flag comes on its own topic, with the next joint_states
        wait_until(robot.is_grasping, 30, "the robot never reported the block held after the stalled close")
    finally:
        robot.close()


def test_rosrobot_drives_the_actions_and_never_the_topic(procs, client):
    """RosRobot(control="action") picks a block through FollowJointTrajectory and GripperCommand; the
    trajectory topic stays silent, and an e-stop during a motion reaches the program as EmergencyStopError."""
    from std_msgs.msg import Bool
    from trajectory_msgs.msg import JointTrajectory

    from codebot.primitives.errors import EmergencyStopError
    from codebot.ros.robot.perception import RosPerception
    from codebot.ros.robot.ros_robot import RosRobot

    procs.sim_robot("action_interfaces:=true", "real_time_factor:=1.0")
    on_topic: list = []
    client.create_subscription(JointTrajectory, "/robot/arm_controller/joint_trajectory", on_topic.append, 10)
    robot = RosRobot(namespace="/robot", connect_timeout=DISCOVERY_S, control="action")
    try:
        perception = RosPerception(robot.node, "/robot", wait=DISCOVERY_S)
        block = {o.name: o for o in perception.objects()}["red block"]
        robot.open_gripper()
        robot.move_ee((block.position[0], block.position[1], 0.12), yaw=block.yaw)
        robot.move_ee(tuple(block.position))
        assert robot.close_gripper() is True and robot.is_grasping()
        robot.move_ee((block.position[0], block.position[1], 0.2))
        wait_until(lambda: {o.name: o for o in perception.objects()}["red block"].position[2] > 0.1, 30,
                   "the red block never rose with the gripper in the robot's physics")
        assert np.allclose(robot.ee_pose().position, (block.position[0], block.position[1], 0.2), atol=0.005)

        estop = client.create_publisher(Bool, "/robot/estop", 10)
        robot.move_ee((0.05, -0.45, 0.3))  # a short hop first: the e-stop below lands mid-motion
        caught: list = []

        def move_far():
            try:
                robot.move_ee((-0.2, -0.6, 0.15), speed=0.05)  # ~6 s at 5 cm/s
            except Exception as exc:  # the test inspects what the program would see
                caught.append(exc)

        mover = threading.Thread(target=move_far)
        mover.start()
        q0 = robot.joint_positions()
        wait_until(lambda: np.max(np.abs(robot.joint_positions() - q0)) > 0.01, 30, "the long motion never started")
        estop.publish(Bool(data=True))
        mover.join(30)
        assert not mover.is_alive(), "move_ee never returned after the e-stop"
        assert caught and isinstance(caught[0], EmergencyStopError), caught
    finally:
        robot.close()
    assert on_topic == [], f"{len(on_topic)} trajectories went over the topic in action mode"


def test_gripper_ranges_match_the_simulated_grippers():
    from codebot.ros.robot.action_control import GRIPPER_RANGES
    from codebot.sim.robots.panda import Panda
    from codebot.sim.robots.ur5e import UR5e

    for name, cls in (("ur5e", UR5e), ("panda", Panda)):
        assert GRIPPER_RANGES[name] == (cls.gripper_spec.open_value, cls.gripper_spec.closed_value)
