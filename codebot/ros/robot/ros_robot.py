"""RosRobot: the primitives' `Robot` protocol over ROS 2 topics, for the sim robot node or real arms.

Reads sensor_msgs/JointState, sends one time-parameterised, velocity-limited trajectory_msgs/JointTrajectory
per motion on `<controller>/joint_trajectory` (stock ros2_control joint_trajectory_controller topic), waits until
joint_states reach the goal (tolerance, timeout), commands the gripper through std_srvs/SetBool (or the Bool
command topic on grippers without the service), and listens to the shared e-stop. A peer that stops publishing
joint states raises RobotConnectionError instead of hanging. Given a commander id, it also watches that
commander's heartbeat and refuses to move the robot once the commander is gone (CommanderLostError).
"""
from __future__ import annotations

import json
import threading
import time

import numpy as np

from codebot.ros.plumbing import convert, topics
from codebot.ros.plumbing.env import NodeRunner, wait_until
from codebot.ros.plumbing.liveliness import (DEFAULT_LEASE_S, HEARTBEAT, CommanderLostError, CommanderMonitor,
                                            ReceiverClock)
from codebot.ros.robot.trajectory import knot_velocities, time_parameterize
from codebot.primitives.errors import (EmergencyStopError, InvalidArgumentError, JointLimitError, MotionFailedError,
                                       OutsideWorkspaceError, PrimitiveError, RobotConnectionError, VelocityLimitError)
from codebot.primitives.protocols import JointLimits, Pose
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace

# An error in the execution_state JSON of the sim robot node becomes the same error type here.
_ERRORS = {cls.kind: cls for cls in (EmergencyStopError, JointLimitError, VelocityLimitError,
                                     InvalidArgumentError, MotionFailedError, PrimitiveError, CommanderLostError)}

DEAF_GRACE_S = 0.5  # a starved dispatch waits this long for its executor to run before judging who went silent
ROBOT_QUIET_S = 0.3  # joint_states (50-100 Hz from a ros2_control robot) silent this long: the robot is gone quiet


class RosRobot:
    """Robot protocol over rclpy. Own context + node + executor thread; close() tears them down.

    namespace: where the robot's topics live (e.g. "/robot"); controller: the trajectory controller's
    name; model: robot model for the local kinematics ("ur5e" | "panda"); stale_after: seconds without
    joint_states (while this process's executor runs) that count as a dead robot; control: "topic"
    (JointTrajectory on joint_trajectory, the gripper's SetBool) or "action" (ros2_control's
    FollowJointTrajectory and GripperCommand actions, codebot.ros.robot.action_control); on_node(node): the
    caller's own subscriptions, made with the robot's before its executor spins (RosTarget's perception)."""

    def __init__(self, namespace: str = "", controller: str = topics.DEFAULT_CONTROLLER,
                 model: str = "ur5e", workspace: Workspace = DEFAULT_WORKSPACE,
                 connect_timeout: float = 10.0, stale_after: float = 1.0, goal_tolerance: float = 0.002,
                 default_speed: float | None = None, speed_scale: float = 0.5, node_name: str = "codebot_robot",
                 min_trajectory_subscribers: int = 1, commander_id: str = "",
                 commander_max_age: float = DEFAULT_LEASE_S, control: str = "topic", on_node=None):
        from codebot.ros.robot.kinematics import LocalKinematics
        from codebot.sim.robots.base import DEFAULT_SPEED, MAX_SPEED

        self.name = model
        self.namespace = namespace
        self._controller = controller
        self._node_name = node_name
        self.workspace = workspace
        self.stale_after, self.goal_tolerance = stale_after, goal_tolerance
        # Same tool-speed defaults and envelope as the twin, so a verified program moves alike.
        self.default_speed = DEFAULT_SPEED if default_speed is None else default_speed
        self.max_speed = MAX_SPEED
        self.speed_scale = speed_scale
        self.kin = LocalKinematics(model)
        self._names = self.kin.joint_names
        self._lock = threading.Lock()
        self._q: np.ndarray | None = None
        self._q_time = self._q_stamp = 0.0  # receipt (monotonic), and the robot's own stamp (seconds)
        self._receiver = ReceiverClock()  # joint_states silence counts only while this process's executor runs
        self._grasping = False
        self._estop = threading.Event()
        self._states: list[tuple[int, dict]] = []  # (sequence number, execution state)
        self._state_seq = 0
        self._grasp_hold_until = 0.0
        self._stopped_by_user = False
        self._commander_id, self._commander_max_age = commander_id, commander_max_age
        self._commander = None
        if control not in ("topic", "action"):
            raise ValueError(f"control must be 'topic' or 'action', got {control!r}")
        self._control, self._actions, self._on_node = control, None, on_node
        self._runner = NodeRunner(self._make_node, threads=1)
        try:
            if self._commander is not None and not wait_until(self._commander.seen, connect_timeout):
                raise CommanderLostError(self._commander.problem() or "commander silent")
            if not wait_until(lambda: self._q is not None, connect_timeout):
                raise RobotConnectionError(
                    f"no joint_states from {self._topic(topics.JOINT_STATES)} within {connect_timeout} s "
                    "(is the robot node running, same ROS_DOMAIN_ID?)", topic=self._topic(topics.JOINT_STATES))
            if self._actions is not None:
                self._actions.wait_for_servers(connect_timeout, min_trajectory_subscribers - 1)  # - controller
            else:
                self.wait_for_trajectory_subscribers(min_trajectory_subscribers, connect_timeout)
        except BaseException:
            self.close()
            raise

    # --- ROS plumbing ---------------------------------------------------------------------------
    def _topic(self, name: str) -> str:
        ns = self.namespace.rstrip("/")
        return f"{ns}/{name}" if ns else f"/{name}"

    def _make_node(self, context):
        from rclpy.callback_groups import ReentrantCallbackGroup
        from rclpy.node import Node
        from sensor_msgs.msg import JointState
        from std_msgs.msg import Bool, String
        from std_srvs.srv import SetBool
        from trajectory_msgs.msg import JointTrajectory

        node = Node(self._node_name, context=context)
        group = ReentrantCallbackGroup()
        self._traj_pub = node.create_publisher(JointTrajectory, self._topic(topics.trajectory_topic(self._controller)),
                                               topics.qos_reliable(10))
        self._gripper_pub = node.create_publisher(Bool, self._topic(topics.GRIPPER_COMMAND), topics.qos_reliable(10))
        self._estop_pub = node.create_publisher(Bool, self._topic(topics.ESTOP), topics.qos_reliable(10))
        self._gripper_srv = node.create_client(SetBool, self._topic(topics.GRIPPER_SET), callback_group=group)
        node.create_subscription(JointState, self._topic(topics.JOINT_STATES), self._on_joint_state,
                                 topics.qos_reliable(20), callback_group=group)
        node.create_timer(self._receiver.period_s, self._receiver.tick, callback_group=group)
        node.create_subscription(String, self._topic(topics.controller_state_topic(self._controller)),
                                 self._on_exec_state, topics.qos_reliable(20), callback_group=group)
        node.create_subscription(Bool, self._topic(topics.GRIPPER_GRASPING), self._on_grasping,
                                 topics.qos_reliable(5), callback_group=group)
        node.create_subscription(Bool, self._topic(topics.ESTOP), self._on_estop, topics.qos_reliable(10),
                                 callback_group=group)
        if self._control == "action":
            from codebot.ros.robot.action_control import ActionControl

            self._actions = ActionControl(node, self._topic, self._controller, self.name)
        if self._commander_id:
            self._commander = CommanderMonitor(node, self._topic(HEARTBEAT), self._commander_id,
                                               self._commander_max_age)
        self.node = node
        if self._on_node is not None:
            self._on_node(node)
        return node

    def _on_joint_state(self, msg) -> None:
        q = convert.joint_state_positions(msg, self._names)
        if q is not None:
            with self._lock:
                self._q, self._q_time = q, time.monotonic()
                self._q_stamp = msg.header.stamp.sec + msg.header.stamp.nanosec * 1e-9

    def _fresh_after(self, wall: float, timeout: float = 1.0) -> None:
        """Until joint_states stamped after `wall` arrived: a motion's end is answered on another topic (execution
        state, the action's result), and under load the joint_states queue behind it may still be older, so a
        program reading the arm right after a motion would see it still moving. Skipped for stamps that are
        not wall-clock time (a robot on sim time)."""
        if abs(self._q_stamp - wall) < 5.0:
            wait_until(lambda: self._q_stamp >= wall, timeout)

    def _on_exec_state(self, msg) -> None:
        try:
            state = json.loads(msg.data)
        except ValueError:
            return
        with self._lock:
            self._state_seq += 1
            self._states.append((self._state_seq, state))
            del self._states[:-50]

    def _on_grasping(self, msg) -> None:
        # Right after a gripper answer, a flag published before the fingers moved may still arrive.
        if time.monotonic() >= self._grasp_hold_until:
            self._grasping = bool(msg.data)

    def _on_estop(self, msg) -> None:
        if msg.data:
            self._estop.set()
        else:
            self._estop.clear()

    def wait_for_trajectory_subscribers(self, n: int, timeout: float) -> int:
        """Wait until `n` subscribers (the controller, a recorder...) match the trajectory topic; a
        trajectory published before discovery completes would be lost. None at all is an error."""
        count = wait_until(lambda: (c := self._traj_pub.get_subscription_count()) >= n and c, timeout) \
            or self._traj_pub.get_subscription_count()
        if n > 0 and count == 0:
            raise RobotConnectionError(f"nothing subscribes to {self._traj_pub.topic_name} after {timeout} s: "
                                       "is the trajectory controller running?", topic=self._traj_pub.topic_name)
        return count

    # --- state ----------------------------------------------------------------------------------
    def _check_alive(self) -> None:
        if self._estop.is_set():
            raise EmergencyStopError("e-stop is active; motion halted")
        # silence counts while this process's executor runs (starved: queued, not lost) or past 3 * stale_after
        now = time.monotonic()
        if self._commander is not None and self._commander.receiver.deaf(now) and self._commander.problem():
            # starved: the silence says nothing yet of who went quiet; take what is queued, then judge (a starved
            # dispatch blamed the commander for a killed robot: the 753c380 hunt)
            wait_until(lambda: not self._commander.receiver.deaf(time.monotonic()), DEAF_GRACE_S)
            now = time.monotonic()
        age, quiet = now - self._q_time, self._receiver.heard_until(now) - self._q_time
        if self._commander is not None and (problem := self._commander.problem()):
            # a SIGKILLed robot can interrupt the heartbeat here too (eProsima/Fast-DDS#5469): robot silent = cause
            if quiet <= ROBOT_QUIET_S:
                raise CommanderLostError(f"{problem}: this program stops moving the robot")
            raise RobotConnectionError(
                f"no joint_states for {age:.1f} s from {self._topic(topics.JOINT_STATES)}: robot disconnected "
                f"(and {problem})", seconds=round(age, 2))
        if quiet > self.stale_after or age > 3 * self.stale_after:
            raise RobotConnectionError(
                f"no joint_states for {age:.1f} s from {self._topic(topics.JOINT_STATES)}: robot disconnected "
                f"(this side's receiver last ran {self._receiver.last_ran(now)})", seconds=round(age, 2))

    def joint_names(self) -> list[str]:
        return list(self._names)

    def joint_positions(self) -> np.ndarray:
        self._check_alive()
        with self._lock:
            return self._q.copy()

    def joint_limits(self) -> JointLimits:
        return self.kin.limits

    def ee_pose(self) -> Pose:
        pos, quat = self.kin.fk(self.joint_positions())
        return Pose(tuple(map(float, pos)), tuple(map(float, quat)))

    def is_grasping(self) -> bool:
        self._check_alive()
        return self._grasping

    # --- motion ---------------------------------------------------------------------------------
    def move_joints(self, positions, speed_scale: float = 1.0) -> None:
        goal = np.asarray(positions, dtype=float).reshape(-1)
        if goal.shape[0] != len(self._names) or not np.all(np.isfinite(goal)):
            raise InvalidArgumentError(f"move_joints needs {len(self._names)} finite joint values",
                                       got=list(np.asarray(positions).reshape(-1)))
        lim = self.kin.limits
        if np.any(goal < lim.lower) or np.any(goal > lim.upper):
            j = int(np.argmax((goal < lim.lower) | (goal > lim.upper)))
            raise JointLimitError(f"{self._names[j]}={goal[j]:.3f} outside [{lim.lower[j]:.3f}, {lim.upper[j]:.3f}]",
                                  joint=self._names[j])
        start = self.joint_positions()
        n = max(2, int(np.ceil(np.max(np.abs(goal - start)) / 0.05)) + 1)
        waypoints = start + np.linspace(0.0, 1.0, n)[:, None] * (goal - start)
        self.execute(waypoints, speed_scale=min(1.0, max(1e-3, speed_scale * self.speed_scale)))

    def move_ee(self, position, yaw: float | None = None, speed: float | None = None) -> None:
        target = np.asarray(position, dtype=float).reshape(-1)
        if target.shape[0] != 3 or not np.all(np.isfinite(target)):
            raise InvalidArgumentError("move_ee position must be 3 finite numbers", position=list(target))
        reason = self.workspace.violation(target)
        if reason:
            raise OutsideWorkspaceError(f"target {np.round(target, 3).tolist()} is outside the workspace: {reason}",
                                        position=target)
        if speed is not None:
            speed = float(speed)
            if not (np.isfinite(speed) and speed > 0.0):
                raise InvalidArgumentError(f"speed must be a positive number of m/s, got {speed}")
            if speed > self.max_speed:
                raise VelocityLimitError(f"tool speed {speed:.2f} m/s exceeds the limit {self.max_speed:.2f} m/s",
                                         speed=speed, limit=self.max_speed)
        q0 = self.joint_positions()
        # the same straight-line plan and timing as the twin's move_ee, so the robot moves as verified
        times, path = self.kin.plan(target, yaw, speed, q0)
        self._send_and_wait(path, times, knot_velocities(times, path, self.kin.limits.velocity))

    def execute(self, waypoints: np.ndarray, speed_scale: float | None = None) -> None:
        """Send joint waypoints as one velocity-limited trajectory and wait for it to finish."""
        times, vel = time_parameterize(waypoints, self.kin.limits.velocity,
                                       self.speed_scale if speed_scale is None else speed_scale)
        self._send_and_wait(waypoints, times, vel)

    def send_trajectory(self, waypoints: np.ndarray, times: np.ndarray, vel: np.ndarray) -> int:
        """Publish one trajectory (the t=0 start point dropped: a controller starts from where it is)
        without waiting; returns the sequence number of the last execution state seen before it."""
        self._check_alive()
        pts, t, v = waypoints[1:], times[1:], vel[1:]
        with self._lock:
            n_states = self._state_seq
        if len(pts):
            self._traj_pub.publish(convert.trajectory_msg(self._names, t, pts, v))
        return n_states

    def _send_and_wait(self, waypoints: np.ndarray, times: np.ndarray, vel: np.ndarray) -> None:
        if len(waypoints) < 2:
            return
        if self._actions is not None:
            self._check_alive()
            msg = convert.trajectory_msg(self._names, times[1:], waypoints[1:], vel[1:])
            self._actions.follow(msg, self._check_alive, float(times[-1]) * 1.5 + 3.0)
            return self._fresh_after(time.time())
        n_states = self.send_trajectory(waypoints, times, vel)
        t, goal, our_id = times[1:], waypoints[-1], None
        end_time, allowed = time.monotonic() + float(t[-1]), float(t[-1]) * 1.5 + 3.0
        deadline = time.monotonic() + allowed
        while True:
            self._check_alive()
            with self._lock:
                new = [st for seq, st in self._states if seq > n_states]
                n_states = self._state_seq
                q = self._q.copy()
            for st in new:
                state = st.get("state")
                if our_id is None and state in ("accepted", "rejected"):
                    our_id = st.get("goal")  # the first answer after our send is about our goal
                if st.get("goal") != our_id or our_id is None:
                    continue
                if state == "rejected":
                    err = st.get("error", {})
                    cls = _ERRORS.get(err.get("kind"), MotionFailedError)
                    raise cls(f"robot rejected the trajectory: {err.get('message', 'no reason given')}",
                              **err.get("details", {}))
                if state == "succeeded":  # the controller judged it reached (a loaded arm keeps a small error)
                    return self._fresh_after(time.time())
                if state == "estopped":
                    raise EmergencyStopError("e-stop: the robot halted during the motion")
                if state == "commander_lost":
                    raise CommanderLostError((st.get("error") or {}).get("message", "the robot lost its commander"))
                if state in ("aborted", "canceled", "preempted"):
                    err = st.get("error") or {}
                    raise MotionFailedError(f"the robot's controller {state} the trajectory"
                                            + (f": {err.get('message')}" if err.get("message") else ""),
                                            state=state)
            err = float(np.max(np.abs(q - goal)))
            # A controller that reports execution is waited for ("succeeded" above: at rest on the
            # goal); for one without that topic, joint_states near the goal (or settled close) decide.
            if our_id is None and (err < self.goal_tolerance
                                   or (time.monotonic() > end_time + 0.5 and err < 5 * self.goal_tolerance)):
                return
            if time.monotonic() > deadline:
                raise MotionFailedError(f"joints did not reach the goal within {allowed:.1f} s (max error {err:.3f} "
                                        f"rad)", error=err)
            time.sleep(0.005)

    def home(self) -> None:
        self.move_joints(self.kin.home, speed_scale=1.0)

    # --- gripper --------------------------------------------------------------------------------
    def _gripper(self, close: bool, timeout: float = 10.0) -> bool:
        from codebot.ros.robot.gripper import command_gripper

        return command_gripper(self, close, timeout)

    def open_gripper(self) -> None:
        self._gripper(False)

    def close_gripper(self) -> bool:
        return self._gripper(True)

    def cancel(self) -> None:
        """Stop the running trajectory and hold (an empty JointTrajectory, as for ros2_control's
        joint_trajectory_controller). Unlike stop(), nothing latches: the next motion just runs."""
        from trajectory_msgs.msg import JointTrajectory

        if self._actions is not None:
            self._actions.cancel()
            return
        self._traj_pub.publish(JointTrajectory(joint_names=list(self._names)))

    def stop(self) -> None:
        """E-stop: publish on the shared estop topic (the robot halts, every client latches)."""
        from std_msgs.msg import Bool

        self._estop.set()
        self._estop_pub.publish(Bool(data=True))

    def release_estop(self) -> None:
        from std_msgs.msg import Bool

        self._estop_pub.publish(Bool(data=False))
        self._estop.clear()

    def close(self) -> None:
        runner = getattr(self, "_runner", None)
        if runner is not None:
            runner.close()
            self._runner = None
        kin = getattr(self, "kin", None)
        if kin is not None:
            kin.close()

    def __enter__(self) -> "RosRobot":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
