"""sim_robot_node: the PyBullet tabletop exposed over ROS 2 the way real hardware is.

Publishes  joint_states (sensor_msgs/JointState), objects (std_msgs/String JSON) + object_poses
           (geometry_msgs/PoseArray), camera/<name>/{image_raw, depth/image_raw, camera_info},
           <controller>/execution_state (std_msgs/String JSON), gripper_controller/grasping (Bool)
Accepts    <controller>/joint_trajectory (trajectory_msgs/JointTrajectory, ros2_control semantics:
           replaces the running one, starts now), gripper_controller/command (Bool),
           gripper_controller/set_closed (std_srvs/SetBool), estop (Bool), reset (std_srvs/Trigger),
           commander/heartbeat (String JSON), commander/reset (std_srvs/Trigger)
Dead-man's switch: once a commander's heartbeat was seen, a lapse longer than `commander_lease`
(<= 0.5 s) halts the arm and latches `commander_lost` (on commander/state and execution_state);
trajectories and gripper commands are refused until commander/reset is called.
Parameters robot, seed, blocks, bowls, rate, real_time_factor, controller, camera_rate,
           camera_width, camera_height, commander_lease (see launch/config/sim_robot.yaml)

    python -m codebot.ros.nodes.sim_robot_node --ros-args -p robot:=ur5e -p real_time_factor:=2.0
"""
from __future__ import annotations

import json
import queue
import sys
import threading
import time
from typing import Any, Callable

import numpy as np

from codebot.ros.plumbing import convert, perceived, topics
from codebot.ros.plumbing.env import declare_params, rclpy, spin_node_until_shutdown
from codebot.ros.plumbing.own_participant import heartbeat_receiver
from codebot.ros.plumbing.commander_watchdog import CommanderStateTopic, CommanderWatchdog, HeartbeatLog
from codebot.ros.plumbing.liveliness import COMMANDER_RESET
from codebot.ros.robot.goals import Goal, TrajectoryGoals
from codebot.ros.robot.trajectory import sample
from codebot.primitives.errors import PrimitiveError

rclpy()  # MissingExtraError naming the `ros` extra when rclpy is absent
from rclpy.callback_groups import ReentrantCallbackGroup  # noqa: E402
from rclpy.node import Node  # noqa: E402
from geometry_msgs.msg import PoseArray, PoseStamped  # noqa: E402
from sensor_msgs.msg import CameraInfo, Image, JointState  # noqa: E402
from std_msgs.msg import Bool, String  # noqa: E402
from std_srvs.srv import SetBool, Trigger  # noqa: E402
from trajectory_msgs.msg import JointTrajectory  # noqa: E402

CONTROL_DT = 1.0 / 120.0  # physics time per control tick (two 240 Hz PyBullet steps)
GOAL_TOLERANCE = 0.002  # rad: reached
PATH_TOLERANCE = 0.01  # rad: accepted once the arm had SETTLE_S to settle
SETTLE_S = 0.3
STILL_RAD_S = 0.02  # joints slower than this count as at rest
ABORT_AFTER_S = 2.0
PARAMS: dict[str, Any] = {
    "robot": "ur5e", "seed": 0, "blocks": ["red", "green"], "bowls": ["blue", "yellow"],
    "rate": 100.0, "real_time_factor": 1.0, "controller": topics.DEFAULT_CONTROLLER,
    "camera_rate": 2.0, "camera_width": 160, "camera_height": 120, "commander_lease": 0.5,
    "commander_watchdog": True,  # false: the robot ignores heartbeats (as hardware behind commander_guard)
    # true: also serve control_msgs FollowJointTrajectory and GripperCommand (needs `make setup`)
    "action_interfaces": False,
    "gripper_allow_stalling": True,  # a GripperCommand stopped by an object succeeds (grasps); false aborts
    "heartbeat_log": "",  # a path: every heartbeat's send and receipt time is written there at shutdown
}


class SimRobotNode(TrajectoryGoals, Node):
    def __init__(self, context, driver_factory: Callable[..., Any] | None = None):
        super().__init__("sim_robot", context=context)
        self.p = declare_params(self, PARAMS)
        if driver_factory is None:
            from codebot.ros.robot.sim_driver import SimDriver as driver_factory
        self.driver = driver_factory(robot=self.p["robot"], seed=self.p["seed"],
                                     blocks=self.p["blocks"], bowls=self.p["bowls"],
                                     render_size=(self.p["camera_width"], self.p["camera_height"]))
        self.names = self.driver.names
        self.goal_listeners: list[Callable[[str, int | None, dict], None]] = []  # (state, goal id, extra)
        group = ReentrantCallbackGroup()
        ctrl = self.p["controller"]
        self.pub_js = self.create_publisher(JointState, topics.JOINT_STATES, topics.qos_reliable(20))
        self.pub_state = self.create_publisher(String, topics.controller_state_topic(ctrl), topics.qos_reliable(20))
        self.pub_grasp = self.create_publisher(Bool, topics.GRIPPER_GRASPING, topics.qos_reliable(5))
        self.pub_objects = self.create_publisher(String, topics.OBJECTS, topics.qos_latched())
        self.pub_poses = self.create_publisher(PoseArray, topics.OBJECT_POSES, topics.qos_latched())
        self.pub_perceived = (self.create_publisher(perceived.message_types()[1], topics.PERCEIVED_OBJECTS,
                                                    topics.qos_latched()) if perceived.available() else None)
        self.cam_pubs: dict[str, tuple] = {}
        self._pose_pubs: list = []
        if self.p["camera_rate"] > 0:
            for cam in self.driver.camera_names():
                t = topics.camera_topics(cam)
                self.cam_pubs[cam] = (self.create_publisher(Image, t["rgb"], topics.qos_sensor(2)),
                                      self.create_publisher(Image, t["depth"], topics.qos_sensor(2)),
                                      self.create_publisher(CameraInfo, t["info"], topics.qos_sensor(2)))
                pose_pub = self.create_publisher(PoseStamped, t["pose"], topics.qos_latched())
                pose_pub.publish(convert.pose_stamped_msg(self.driver.camera_pose(cam), stamp=time.time()))
                self._pose_pubs.append(pose_pub)
        self.create_subscription(JointTrajectory, topics.trajectory_topic(ctrl), self._on_trajectory,
                                 topics.qos_reliable(10), callback_group=group)
        self.create_subscription(Bool, topics.GRIPPER_COMMAND, self._on_gripper_topic,
                                 topics.qos_reliable(10), callback_group=group)
        self.create_subscription(Bool, topics.ESTOP, self._on_estop, topics.qos_reliable(10),
                                 callback_group=group)
        self.create_service(SetBool, topics.GRIPPER_SET, self._on_gripper_srv, callback_group=group)
        self.create_service(Trigger, topics.RESET, self._on_reset, callback_group=group)
        lease = float(self.p["commander_lease"])
        if not 0.0 < lease <= 0.5:
            raise ValueError(f"commander_lease must be in (0, 0.5] s, got {lease}")
        self.watchdog = CommanderWatchdog(lease_s=lease)
        self.heartbeat_log = HeartbeatLog() if self.p["heartbeat_log"] else None
        self._beats = None
        if self.p["commander_watchdog"]:
            # Off (hardware behind commander_guard), the guard owns commander/state and commander/reset:
            # a second server of either would answer for it at random.
            self.commander_state = CommanderStateTopic(self, topics.qos_latched())
            # heartbeats on a node of their own DDS participant at the heartbeat priority (own_participant.py):
            # neither a burst of this node's callbacks nor its DDS traffic may delay them into a false commander_lost
            self._beats = heartbeat_receiver(context, f"{self.get_name()}_heartbeats", self.get_namespace(),
                                             self._on_heartbeat, lambda: self.watchdog.receiver_tick())
            self.create_service(Trigger, COMMANDER_RESET, self._on_commander_reset, callback_group=group)

        self._lock = threading.Lock()
        self._goal: Goal | None = None
        self._goal_count = 0
        self._estop = threading.Event()
        self._requests: "queue.Queue[tuple[str, Any, dict]]" = queue.Queue()
        self._q = self.driver.positions()
        self._hold_q: np.ndarray | None = None
        self._running = True
        self._thread = threading.Thread(target=self._physics_loop, name="physics", daemon=True)
        self._thread.start()
        if self.p["action_interfaces"]:
            from codebot.ros.robot.controller_actions import FollowJointTrajectoryServer, GripperCommandServer

            self._actions = (FollowJointTrajectoryServer(self, group), GripperCommandServer(self, group))
        self.get_logger().info(f"sim robot {self.p['robot']} up: joints {self.names}, "
                               f"trajectories on {self.resolve_topic_name(topics.trajectory_topic(ctrl))}")

    # --- callbacks (executor threads): validate, hand over to the physics thread -----------------
    def _state(self, state: str, goal: int | None, **extra) -> None:
        self.pub_state.publish(String(data=json.dumps({"state": state, "goal": goal, **extra})))
        for listener in self.goal_listeners:
            listener(state, goal, extra)

    def _on_trajectory(self, msg: JointTrajectory) -> None:
        gid = self.next_goal_id()
        if not msg.points:  # ros2_control convention: an empty trajectory cancels the running one
            self.stop_goal(None, "canceled")
            return
        self.submit_trajectory(msg, gid)

    def _on_estop(self, msg: Bool) -> None:
        if msg.data:
            self._estop.set()
            with self._lock:
                goal, self._goal = self._goal, None
            self._hold_q = None  # the physics thread holds the arm where it is on its next tick
            self._state("estopped", goal.id if goal else None, stamp=time.time())
            self.get_logger().warn("E-STOP: motion halted")
        else:
            self._estop.clear()
            self._state("estop_released", None)

    # --- dead-man's switch ------------------------------------------------------------------------
    def _on_heartbeat(self, msg: String) -> None:
        beat = self.watchdog.on_heartbeat_message(msg.data, self.get_logger().warn)
        if beat is not None and self.heartbeat_log is not None:
            self.heartbeat_log.record(beat)

    def _on_commander_reset(self, req, resp):
        resp.success, resp.message = True, self.watchdog.reset_reply()
        self.get_logger().info(resp.message)
        self._publish_commander_state(force=True)
        return resp

    def _publish_commander_state(self, force: bool = False) -> None:
        self.commander_state.publish(self.watchdog, force)

    def _check_commander(self, moving: bool) -> None:
        """Called every control tick: halt and latch when a commander's lease ran out."""
        if self._beats is None:  # no switch of its own
            return
        lapse = self.watchdog.poll(moving)
        if lapse is not None:
            with self._lock:
                goal, self._goal = self._goal, None
            self._hold_q = None  # hold where the arm is from this tick on
            self._state("commander_lost", goal.id if goal else None, stamp=time.time(),
                        error={"kind": "commander_lost", "message": lapse["message"]})
            self.get_logger().error(lapse["message"])
            self._publish_commander_state(force=True)
        else:
            self._publish_commander_state()

    def _request(self, kind: str, arg: Any, timeout: float = 15.0) -> dict:
        done: dict = {"event": threading.Event()}
        self._requests.put((kind, arg, done))
        if not done["event"].wait(timeout):
            return {"ok": False, "message": f"{kind} timed out after {timeout} s"}
        return done

    def _on_gripper_topic(self, msg: Bool) -> None:
        self._requests.put(("gripper", bool(msg.data), {"event": threading.Event()}))

    def _on_gripper_srv(self, req, resp):
        if self._estop.is_set() or self.watchdog.lost is not None:
            resp.success = False
            resp.message = "e-stop is latched" if self._estop.is_set() else self.watchdog.lost["message"]
            return resp
        out = self._request("gripper", bool(req.data))
        resp.success = bool(out.get("ok"))
        resp.message = json.dumps({k: v for k, v in out.items() if k != "event"})
        return resp

    def _on_reset(self, req, resp):
        out = self._request("reset", None, timeout=60.0)
        resp.success, resp.message = bool(out.get("ok")), str(out.get("message", ""))
        return resp

    # --- physics thread ---------------------------------------------------------------------------
    def _serve_request(self, kind: str, arg: Any, done: dict) -> None:
        try:
            if kind == "gripper":
                if arg:
                    held = self.driver.close_gripper()
                    done.update(ok=True, closed=True, grasping=held, message="closed")
                else:
                    self.driver.open_gripper()
                    done.update(ok=True, closed=False, grasping=False, message="opened")
            elif kind == "gripper_position":
                done.update(ok=True, **self.driver.move_gripper(arg))
            elif kind == "reset":
                with self._lock:
                    self._goal = None
                self._hold_q = None
                self.driver.reset(seed=self.p["seed"], blocks=self.p["blocks"], bowls=self.p["bowls"])
                done.update(ok=True, message="scene reset")
        except Exception as exc:  # report, keep the node alive
            done.update(ok=False, message=f"{type(exc).__name__}: {exc}")
        done["event"].set()

    def _finish(self, goal: Goal, state: str, **extra) -> None:
        with self._lock:
            if self._goal is goal:
                self._goal = None
        # a finished goal keeps commanding its end point (no sag under load); a failed one holds here
        self._hold_q = goal.positions[-1].copy() if state == "succeeded" else None
        self._state(state, goal.id, **extra)

    def _physics_loop(self) -> None:
        rtf = float(self.p["real_time_factor"])
        js_every = max(1, round(1.0 / (self.p["rate"] * CONTROL_DT))) if self.p["rate"] > 0 else 1
        obj_every = max(1, round(0.1 / CONTROL_DT))
        # camera_rate is per camera; cameras take turns
        cam_every = (max(1, round(1.0 / (self.p["camera_rate"] * CONTROL_DT * len(self.cam_pubs))))
                     if self.cam_pubs else 0)
        self._cam_every = cam_every
        tick, wall_ref, sim_ref = 0, time.monotonic(), self.driver.time
        prev_q = self._q
        while self._running:
            try:
                while True:
                    kind, arg, done = self._requests.get_nowait()
                    self._serve_request(kind, arg, done)
                    if kind == "reset":  # sim time restarts at 0
                        wall_ref, sim_ref = time.monotonic(), self.driver.time
            except queue.Empty:
                pass
            with self._lock:
                moving = self._goal is not None
            self._check_commander(moving)
            with self._lock:
                goal = self._goal
            if goal is not None and not self._estop.is_set():
                if goal.t0 is None:
                    goal.t0 = self.driver.time
                t = self.driver.time - goal.t0 + CONTROL_DT
                target, vel = sample(goal.times, goal.positions, t)
                try:
                    self.driver.track(target, vel, CONTROL_DT)
                except PrimitiveError as exc:  # collision: abort and hold, like a controller fault
                    self._finish(goal, "aborted", error=exc.to_dict())
                    continue
                if t >= goal.times[-1]:
                    # settled on the goal; a loaded arm (holding a block) keeps a small steady error
                    late = t - goal.times[-1]
                    err = float(np.max(np.abs(self.driver.positions() - goal.positions[-1])))
                    still = float(np.max(np.abs(self.driver.velocities()))) < STILL_RAD_S
                    if (err < GOAL_TOLERANCE and still) or (late > SETTLE_S and err < PATH_TOLERANCE):
                        self._finish(goal, "succeeded", error_rad=err)
                    elif late > ABORT_AFTER_S:
                        self._finish(goal, "aborted", error_rad=err,
                                     error={"kind": "motion_failed",
                                            "message": f"goal not reached ({err:.3f} rad off)"})
            else:
                if self._hold_q is None:
                    self._hold_q = self.driver.positions()
                self.driver.track(self._hold_q, None, CONTROL_DT)
            q = self.driver.positions()
            self._q = q
            tick += 1
            if tick % js_every == 0:
                vel = (q - prev_q) / (CONTROL_DT * js_every)
                prev_q = q
                self.pub_js.publish(convert.joint_state_msg(self.names, q, vel, stamp=time.time()))
                self.pub_grasp.publish(Bool(data=self.driver.grasping()))
            if tick % obj_every == 1 or tick == 1:
                objs = self.driver.objects()
                now = time.time()
                self.pub_objects.publish(String(data=convert.objects_to_json(objs, now)))
                self.pub_poses.publish(convert.objects_pose_array(objs, stamp=now))
                if self.pub_perceived is not None:
                    self.pub_perceived.publish(perceived.objects_to_msg(objs, now))
            if cam_every and tick % cam_every == 0:
                self._publish_cameras(tick)
            pace = rtf if rtf > 0 else (1.0 if goal is None else 0.0)  # "as fast as possible" only while moving
            if pace > 0:
                lag = (self.driver.time - sim_ref) / pace - (time.monotonic() - wall_ref)
                if lag > 0:
                    time.sleep(lag)
                elif lag < -0.5:  # fell behind (slow machine): don't try to catch up in a burst
                    wall_ref, sim_ref = time.monotonic(), self.driver.time
            else:
                wall_ref, sim_ref = time.monotonic(), self.driver.time

    def _publish_cameras(self, tick: int) -> None:
        # one camera per call, in turn, so a render never stalls joint_states for long
        now = time.time()
        names = sorted(self.cam_pubs)
        for cam in names[(tick // max(1, self._cam_every)) % len(names):][:1]:
            pub_rgb, pub_depth, pub_info = self.cam_pubs[cam]
            frame = self.driver.capture(cam)
            frame_id = f"{cam}_optical_frame"
            rgb, depth, K = convert.resize_frame(frame.rgb, frame.depth, frame.intrinsics,
                                                 self.p["camera_width"], self.p["camera_height"])
            pub_rgb.publish(convert.image_to_msg(rgb, "rgb8", frame_id, now))
            pub_depth.publish(convert.image_to_msg(depth, "32FC1", frame_id, now))
            pub_info.publish(convert.camera_info_msg(K, rgb.shape[1], rgb.shape[0], frame_id, now))

    def on_close(self) -> None:
        if self._beats is not None:
            self._beats.close()
        if self.heartbeat_log is not None:
            self.heartbeat_log.write(self.p["heartbeat_log"])
        self._running = False
        self._thread.join(timeout=5.0)
        try:
            self.driver.close()
        except Exception:
            pass


def main(argv: list[str] | None = None) -> int:
    return spin_node_until_shutdown(lambda ctx: SimRobotNode(ctx), list(sys.argv if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
