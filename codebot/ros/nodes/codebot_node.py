"""codebot_node: natural-language commands -> a program verified in the sim twin -> the robot.

Topics (relative, so a namespace applies)
  command  std_msgs/String in    an instruction, or JSON {"id": "my-id", "instruction": "..."} plus any of the
                                 ExecuteInstruction goal's robot, attempts, force, dry_run: an adapter over the
                                 action (codebot.ros.dispatch.string_adapter), which is served here too
  ack      std_msgs/String out   JSON, at once for every command: {id, state: accepted|queued|rejected,
                                 position (commands ahead), reason} (latched, last 100)
  code     std_msgs/String out   the generated program (latched)
  status   std_msgs/String out   JSON phase updates: started, verifying, gate, dispatching, done...
  verdict  std_msgs/String out   JSON: id, outcome, sim verdict, gate, dispatch outcome + call log, rosbag
                                 (latched, last 100); published after the command's trace record is written
  estop    std_msgs/Bool   in    True: the running dispatch is abandoned (the robot halts on the same topic)
Services
  wait_verdict_by_id  rcl_interfaces/srv/GetParameters  names=[command id] -> values[0].string_value =
                      the verdict JSON, or {"state": queued|running, "pending": true} after verdict_wait s
  wait_verdict        std_srvs/Trigger  the next verdict of any command (one client only; prefer the above)
The robot is reached under `robot_namespace` (joint_states, objects, <controller>/joint_trajectory...);
codebot_node publishes its heartbeat on <robot_namespace>/commander/heartbeat (the robot's dead-man's
switch) and reads the robot's commander/state.

The gate: a program is dispatched only after it succeeded in the twin without safety violations;
`force:=true` dispatches anyway and the verdict and trace say so. Every dispatch is recorded to a
rosbag2 (mcap) whose path is in the verdict and in the dispatch trace record.

    python -m codebot.ros.nodes.codebot_node --ros-args -p llm:=replay -p llm_path:=demo.jsonl \\
        -p robot_namespace:=/robot
"""
from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
import uuid
from typing import Any

from codebot.ros.plumbing import convert, perceived, topics
from codebot.ros.dispatch.command_log import CommandLog
from codebot.ros.dispatch.commands import Command, CommandQueue, VerdictBook
from codebot.ros.plumbing.env import SideNode, declare_params, rclpy, spin_node_until_shutdown
from codebot.ros.plumbing.liveliness import COMMANDER_STATE, HEARTBEAT, HeartbeatPublisher

rclpy()
from rcl_interfaces.msg import ParameterType, ParameterValue  # noqa: E402
from rcl_interfaces.srv import GetParameters  # noqa: E402
from rclpy.callback_groups import ReentrantCallbackGroup  # noqa: E402
from rclpy.node import Node  # noqa: E402
from sensor_msgs.msg import JointState  # noqa: E402
from std_msgs.msg import Bool, Float64, String  # noqa: E402
from std_srvs.srv import Trigger  # noqa: E402
from trajectory_msgs.msg import JointTrajectory  # noqa: E402

PARAMS: dict[str, Any] = {
    "robot": "ur5e", "llm": "local", "llm_path": "", "attempts": 3, "seed": 0,
    "controller": topics.DEFAULT_CONTROLLER, "robot_namespace": "", "force": False,
    # how a dispatched program drives the robot: "topic" (JointTrajectory topic + SetBool gripper service) or
    # "action" (ros2_control's FollowJointTrajectory and GripperCommand actions)
    "control": "topic",
    "dispatch_timeout": 120.0, "bag_dir": "runs/rosbags", "trace_dir": "runs/traces",
    # a dispatch waits for this many subscribers on the trajectory topic before its first motion (the
    # robot's controller and codebot's recorder; more when monitors must see every trajectory)
    "min_trajectory_subscribers": 2,
    "queue_depth": 8,            # commands waiting behind the running one; more are rejected
    "max_command_bytes": 2000,   # longer commands are rejected
    "robot_wait": 5.0,           # s to wait for the robot's joint_states/objects when a command starts
    "verdict_wait": 10.0,        # s one wait_verdict_by_id call blocks before answering "pending"
    "command_timeout": 900.0,    # s a command may take in all (LLM, twin, dispatch) before it is answered "timeout"
}
EXECUTOR_THREADS = 8
MAX_BLOCKED_WAITS = EXECUTOR_THREADS - 3  # blocking service calls never starve command callbacks


class CodebotNode(Node):
    def __init__(self, context, pipeline=None):
        super().__init__("codebot", context=context)
        self.p = declare_params(self, PARAMS)
        if self.p["control"] not in ("topic", "action"):
            raise ValueError(f"parameter control must be 'topic' or 'action', got {self.p['control']!r}")
        ns = self.p["robot_namespace"].rstrip("/")
        self.robot_topic = (lambda name: f"{ns}/{name}") if ns else (lambda name: f"/{name}")
        self.commander_id = f"{self.get_fully_qualified_name()}#{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.command_log = CommandLog(self.p["trace_dir"], self.get_fully_qualified_name())
        self._recover()
        group = ReentrantCallbackGroup()
        self.pub_code = self.create_publisher(String, topics.CODE, topics.qos_latched())
        self.pub_status = self.create_publisher(String, topics.STATUS, topics.qos_reliable(200))
        self.pub_verdict = self.create_publisher(String, topics.VERDICT, topics.qos_latched(100))
        # commands are taken and acknowledged by a side node with its own executor thread: an ack
        # never waits behind verdict waits, status or robot callbacks of this node
        self.intake = SideNode(context, "codebot_intake", self.get_namespace())
        self.pub_ack = self.intake.node.create_publisher(String, topics.ACK, topics.qos_latched(100))
        self.queue = CommandQueue(int(self.p["queue_depth"]))
        self.book = VerdictBook()
        self.create_subscription(Bool, topics.ESTOP, self._on_estop, topics.qos_reliable(10), callback_group=group)
        # Without a remap codebot's e-stop is its own topic: forward it to the robot's.
        own, robot_estop = self.resolve_topic_name(topics.ESTOP), self.robot_topic(topics.ESTOP)
        self.pub_robot_estop = (self.create_publisher(Bool, robot_estop, topics.qos_reliable(10))
                                if own != robot_estop else None)
        self.create_subscription(JointState, self.robot_topic(topics.JOINT_STATES), self._on_joints,
                                 topics.qos_reliable(20), callback_group=group)
        self.create_subscription(String, self.robot_topic(topics.OBJECTS), self._on_objects,
                                 topics.qos_latched(), callback_group=group)
        if perceived.available():  # the typed objects topic; the JSON one stays for robots without it
            self.create_subscription(perceived.message_types()[1], self.robot_topic(topics.PERCEIVED_OBJECTS),
                                     self._on_perceived, topics.qos_latched(), callback_group=group)
        self.create_subscription(String, self.robot_topic(COMMANDER_STATE), self._on_commander_state,
                                 topics.qos_latched(), callback_group=group)
        self.create_service(Trigger, "wait_verdict", self._on_wait_verdict, callback_group=group)
        self.create_service(GetParameters, "wait_verdict_by_id", self._on_wait_by_id, callback_group=group)
        self._waits = threading.BoundedSemaphore(MAX_BLOCKED_WAITS)
        self._joints: JointState | None = None
        self._objects: str | list | None = None  # the latest objects: JSON text, or typed (a list of ObjectInfo)
        self._commander_state: dict | None = None
        self._estop = threading.Event()
        self._done = threading.Condition()
        self._finished = 0
        self._last_verdict: dict | None = None
        self._rejections: "queue.Queue[dict | None]" = queue.Queue()
        self.status_listeners: list = []
        from codebot.ros.dispatch.pipeline import Pipeline

        self.pipeline = pipeline or Pipeline(self.p, log=self.get_logger())
        self.heartbeat = HeartbeatPublisher(self, self.robot_topic(HEARTBEAT), self.commander_id)
        self._running: dict | None = None
        self._timeout_lock = threading.Lock()
        self._closing = threading.Event()
        self._worker = threading.Thread(target=self._work, name="codebot-commands", daemon=True)
        self._worker.start()
        threading.Thread(target=self._watch_timeouts, name="codebot-timeouts", daemon=True).start()
        self._finisher = threading.Thread(target=self._finish_rejections, name="codebot-rejections", daemon=True)
        self._finisher.start()
        from codebot.ros.dispatch.action_server import ExecuteInstructionServer
        from codebot.ros.dispatch.string_adapter import StringCommandAdapter

        self.actions = ExecuteInstructionServer(self)
        # last, once everything a command needs exists: the String commands, an adapter over the action
        self.string_commands = StringCommandAdapter(self, self.actions)
        self.get_logger().info(f"codebot ready: commands on {self.resolve_topic_name(topics.COMMAND)}, "
                               f"robot under '{ns or '/'}', llm={self.p['llm']}, force={self.p['force']}, "
                               f"queue_depth={self.p['queue_depth']}, commander {self.commander_id}")

    def _recover(self) -> None:
        """What an earlier run of this node left behind: bags to finish, commands to record."""
        from codebot.ros.recording.bag_journal import recover_bags

        for bag in recover_bags(self.p["bag_dir"]):
            self.get_logger().warn(f"recovered the rosbag of an interrupted dispatch: {bag}")
        for rec in self.command_log.recover():
            self.get_logger().warn(f"command {rec['id']} was interrupted by a stop of codebot_node; recorded")

    # --- inputs -----------------------------------------------------------------------------------
    def _answer(self, cmd: Command, state: str, position: int, reason: str, t_recv: float) -> None:
        ack = {"id": cmd.id, "state": state, "instruction": cmd.instruction[:200], "t": t_recv}
        if state == "rejected":
            ack["reason"] = reason
        else:
            ack["position"] = position
        self.book.set_ack(cmd.id, ack)
        self.pub_ack.publish(String(data=json.dumps(ack)))
        if state == "rejected":  # its record and verdict come from another thread: acks stay fast
            self._rejections.put({"id": cmd.id, "instruction": cmd.instruction, "outcome": "rejected",
                                  "dispatched": False, "error": reason, "received": cmd.received})
        else:
            self.command_log.accepted(cmd.id, cmd.instruction, ack)

    def _on_joints(self, msg: JointState) -> None:
        self._joints = msg

    def _on_objects(self, msg: String) -> None:
        self._objects = msg.data

    def _on_perceived(self, msg) -> None:
        self._objects = perceived.objects_from_msg(msg)[1]

    def _on_commander_state(self, msg: String) -> None:
        try:
            self._commander_state = json.loads(msg.data)
        except ValueError:
            pass

    def _on_estop(self, msg: Bool) -> None:
        if self.pub_robot_estop is not None:
            self.pub_robot_estop.publish(Bool(data=bool(msg.data)))
        if msg.data:
            self._estop.set()
            self.status("estop", message="e-stop received: dispatch abandoned, robot halted")
            self.pipeline.abort_dispatch()
        else:
            self._estop.clear()

    def _on_wait_verdict(self, req, resp):
        if not self._waits.acquire(blocking=False):  # every blocking slot taken: commands come first
            resp.success, resp.message = False, '{"error": "too many waiting clients; use wait_verdict_by_id"}'
            return resp
        try:
            with self._done:
                target = self._finished + 1
                # "next" counts from here, not from when the client sent the call: a command sent after the
                # call can overtake it under load; this line lets a client see when the wait began
                self.get_logger().info(f"wait_verdict: waiting for verdict #{target}")
                ok = self._done.wait_for(lambda: self._finished >= target, timeout=600.0)
                verdict = self._last_verdict if ok else None
        finally:
            self._waits.release()
        resp.success = bool(verdict and verdict.get("dispatched") and not verdict.get("error"))
        resp.message = json.dumps(verdict, default=str) if verdict else '{"error": "no verdict within 600 s"}'
        return resp

    def _on_wait_by_id(self, req, resp):
        answers = []
        for command_id in list(req.names)[:8]:
            if self._waits.acquire(blocking=False):
                try:
                    answer = self.book.wait(command_id, float(self.p["verdict_wait"]))
                finally:
                    self._waits.release()
            else:
                answer = self.book.wait(command_id, 0.0)  # too many waiters: answer now
            answers.append(ParameterValue(type=ParameterType.PARAMETER_STRING,
                                          string_value=json.dumps(answer, default=str)))
        resp.values = answers
        return resp

    # --- outputs ----------------------------------------------------------------------------------
    def status(self, phase: str, **extra) -> None:
        self.get_logger().info(f"{phase} {json.dumps(extra, default=str)[:300]}")
        self.pub_status.publish(String(data=json.dumps({"phase": phase, "t": time.time(), **extra},
                                                       default=str)))
        for listener in list(self.status_listeners):  # the action server's feedback
            listener(phase, extra)

    def robot_state(self) -> tuple[list[str], list[float], list] | None:
        js, objs = self._joints, self._objects
        if js is None or objs is None:
            return None
        objects = convert.objects_from_json(objs)[1] if isinstance(objs, str) else objs
        return list(js.name), list(js.position), objects

    def robot_commander_lost(self) -> dict | None:
        state = self._commander_state
        return state if state and state.get("state") == "commander_lost" else None

    def finish(self, *verdicts: dict) -> None:
        """The one trace record of each command, then its verdict: in that order, whatever happened."""
        error = self.command_log.record_many(list(verdicts))
        for verdict in verdicts:
            if error:
                self.get_logger().error(f"trace record of command {verdict.get('id')} failed: {error}")
                verdict = {**verdict, "trace_error": error}
            self.pub_verdict.publish(String(data=json.dumps(verdict, default=str)))
            self.book.finish(verdict.get("id", ""), verdict)
            with self._done:
                self._last_verdict = verdict
                self._finished += 1
                self._done.notify_all()

    # --- the command loop -------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            cmd = self.queue.take()
            if cmd is None:
                return
            self.book.set_state(cmd.id, "running")
            running = {"cmd": cmd, "deadline": time.monotonic() + float(self.p["command_timeout"]), "answered": False}
            self._running = running
            try:
                verdict = self.pipeline.handle(cmd.instruction, self, cmd.id, **cmd.options)
            except Exception as exc:  # the node stays up; the verdict says what broke
                self.get_logger().error(f"command {cmd.id} failed: {type(exc).__name__}: {exc}")
                verdict = {"instruction": cmd.instruction, "dispatched": False, "outcome": "error",
                           "error": f"{type(exc).__name__}: {exc}"}
            finally:
                with self._timeout_lock:
                    self._running = None
                    late = running["answered"]
                self.queue.done()
            if late:  # a command has one verdict: the timeout one went out already
                self.get_logger().warn(f"command {cmd.id} returned after its timeout verdict: {str(verdict)[:300]}")
            else:
                self.finish({"id": cmd.id, "received": cmd.received, **verdict})

    def _watch_timeouts(self) -> None:
        """A command running past command_timeout is answered (and recorded) as a timeout now. The
        pipeline stays on the long-lived worker thread (sandbox processes die with the thread that
        started them); the next command waits until the stuck one returns."""
        while not self._closing.wait(0.5):
            with self._timeout_lock:
                running = self._running
                if running is None or running["answered"] or time.monotonic() < running["deadline"]:
                    continue
                running["answered"] = True
            cmd = running["cmd"]
            self.pipeline.abort_dispatch()
            self.finish({"id": cmd.id, "received": cmd.received, "instruction": cmd.instruction, "dispatched": False,
                         "outcome": "timeout",
                         "error": f"no result within command_timeout={self.p['command_timeout']} s"})

    def _finish_rejections(self) -> None:
        """Rejected commands' records and verdicts, in batches: a flood costs one fsync per batch,
        and the acks (published by the command callback) never wait for any of it."""
        while True:
            batch = [self._rejections.get()]
            time.sleep(0.05)
            while len(batch) < 200:
                try:
                    batch.append(self._rejections.get_nowait())
                except queue.Empty:
                    break
            items = [v for v in batch if v is not None]
            if items:
                self.finish(*items)
            if None in batch:
                return

    def on_close(self) -> None:
        self._closing.set()
        self.intake.close()  # no new commands from here on
        self.heartbeat.close()
        for cmd in self.queue.close():  # answered, recorded: nothing waiting is dropped silently
            self.finish({"id": cmd.id, "instruction": cmd.instruction, "outcome": "rejected", "dispatched": False,
                         "error": "codebot_node shut down before this command started", "received": cmd.received})
        self.pipeline.abort_dispatch()
        self._worker.join(timeout=5.0)
        self._rejections.put(None)
        self._finisher.join(timeout=5.0)
        self.actions.close()  # after every goal's command has its verdict
        self.pipeline.close()
        self.command_log.close()

    def recorded_topics(self) -> dict[str, Any]:
        c = self.p["controller"]
        return {self.robot_topic(topics.JOINT_STATES): JointState,
                self.robot_topic(topics.trajectory_topic(c)): JointTrajectory,
                self.robot_topic(topics.commanded_trajectory_topic(c)): JointTrajectory,  # control "action"
                self.robot_topic(topics.GRIPPER_COMMANDED): Float64,
                self.robot_topic(topics.controller_state_topic(c)): String,
                self.robot_topic(topics.GRIPPER_COMMAND): Bool,
                self.robot_topic(topics.GRIPPER_GRASPING): Bool,
                self.robot_topic(topics.OBJECTS): String,
                self.robot_topic(COMMANDER_STATE): String,
                self.resolve_topic_name(topics.ESTOP): Bool,
                self.resolve_topic_name(topics.STATUS): String}


def main(argv: list[str] | None = None) -> int:
    return spin_node_until_shutdown(lambda ctx: CodebotNode(ctx), list(sys.argv if argv is None else argv),
                                    threads=EXECUTOR_THREADS)


if __name__ == "__main__":
    sys.exit(main())
