"""codebot_node: natural-language commands -> a program verified in the sim twin -> the robot.

Topics (relative, so a namespace applies)
  command  std_msgs/String in    an instruction, e.g. "put the red block in the blue bowl"
  code     std_msgs/String out   the generated program (latched)
  status   std_msgs/String out   JSON phase updates: received, syncing, verifying, gate, dispatching...
  verdict  std_msgs/String out   JSON: sim verdict, gate decision, dispatch outcome, rosbag, trace (latched)
  estop    std_msgs/Bool   in    True: the running dispatch is abandoned (the robot halts on the same topic)
Service
  wait_verdict  std_srvs/Trigger   blocks until the current (or next) command finishes; message = verdict JSON
The robot is reached under `robot_namespace` (joint_states, objects, <controller>/joint_trajectory...).

The gate: a program is dispatched only after it succeeded in the twin without safety violations;
`force:=true` dispatches anyway and the verdict and trace say so. Every dispatch is recorded to a
rosbag2 (mcap) whose path is in the verdict and in the dispatch trace record.

    python -m codebot.ros.codebot_node --ros-args -p llm:=replay -p llm_path:=demo.jsonl -p robot_namespace:=/robot
"""
from __future__ import annotations

import json
import queue
import sys
import threading
import time
from typing import Any

from codebot.ros import convert, topics
from codebot.ros.env import declare_params, rclpy, spin_node_until_shutdown

rclpy()
from rclpy.callback_groups import ReentrantCallbackGroup  # noqa: E402
from rclpy.node import Node  # noqa: E402
from sensor_msgs.msg import JointState  # noqa: E402
from std_msgs.msg import Bool, String  # noqa: E402
from std_srvs.srv import Trigger  # noqa: E402
from trajectory_msgs.msg import JointTrajectory  # noqa: E402

PARAMS: dict[str, Any] = {
    "robot": "ur5e", "llm": "local", "llm_path": "", "attempts": 3, "seed": 0,
    "controller": topics.DEFAULT_CONTROLLER, "robot_namespace": "", "force": False,
    "dispatch_timeout": 120.0, "bag_dir": "runs/rosbags", "trace_dir": "runs/traces",
    # a dispatch waits for this many subscribers on the trajectory topic before its first motion (the
    # robot's controller and codebot's recorder; more when monitors must see every trajectory)
    "min_trajectory_subscribers": 2,
}


class CodebotNode(Node):
    def __init__(self, context, pipeline=None):
        super().__init__("codebot", context=context)
        self.p = declare_params(self, PARAMS)
        ns = self.p["robot_namespace"].rstrip("/")
        self.robot_topic = (lambda name: f"{ns}/{name}") if ns else (lambda name: f"/{name}")
        group = ReentrantCallbackGroup()
        self.pub_code = self.create_publisher(String, topics.CODE, topics.qos_latched())
        self.pub_status = self.create_publisher(String, topics.STATUS, topics.qos_reliable(50))
        self.pub_verdict = self.create_publisher(String, topics.VERDICT, topics.qos_latched())
        self.create_subscription(String, topics.COMMAND, self._on_command, topics.qos_reliable(10),
                                 callback_group=group)
        self.create_subscription(Bool, topics.ESTOP, self._on_estop, topics.qos_reliable(10), callback_group=group)
        # Without a remap codebot's e-stop is its own topic: forward it to the robot's.
        own, robot_estop = self.resolve_topic_name(topics.ESTOP), self.robot_topic(topics.ESTOP)
        self.pub_robot_estop = (self.create_publisher(Bool, robot_estop, topics.qos_reliable(10))
                                if own != robot_estop else None)
        self.create_subscription(JointState, self.robot_topic(topics.JOINT_STATES), self._on_joints,
                                 topics.qos_reliable(20), callback_group=group)
        self.create_subscription(String, self.robot_topic(topics.OBJECTS), self._on_objects,
                                 topics.qos_latched(), callback_group=group)
        self.create_service(Trigger, "wait_verdict", self._on_wait_verdict, callback_group=group)
        self._joints: JointState | None = None
        self._objects_json: str | None = None
        self._estop = threading.Event()
        self._commands: "queue.Queue[str | None]" = queue.Queue()
        self._done = threading.Condition()
        self._finished = 0
        self._started = 0
        self._last_verdict: dict | None = None
        from codebot.ros.pipeline import Pipeline

        self.pipeline = pipeline or Pipeline(self.p, log=self.get_logger())
        self._worker = threading.Thread(target=self._work, name="codebot-commands", daemon=True)
        self._worker.start()
        self.get_logger().info(f"codebot ready: commands on {self.resolve_topic_name(topics.COMMAND)}, "
                               f"robot under '{ns or '/'}', llm={self.p['llm']}, force={self.p['force']}")

    # --- inputs -----------------------------------------------------------------------------------
    def _on_command(self, msg: String) -> None:
        text = msg.data.strip()
        if not text:
            self.status("rejected", error="empty command")
            return
        self._commands.put(text)

    def _on_joints(self, msg: JointState) -> None:
        self._joints = msg

    def _on_objects(self, msg: String) -> None:
        self._objects_json = msg.data

    def _on_estop(self, msg: Bool) -> None:
        if self.pub_robot_estop is not None:
            self.pub_robot_estop.publish(Bool(data=bool(msg.data)))
        if msg.data:
            self._estop.set()
            self.status("estop", message="e-stop received: dispatch abandoned, robot halted")
            self.pipeline.abort_dispatch()
        else:
            self._estop.clear()

    def _on_wait_verdict(self, req, resp):  # noqa: ARG002
        with self._done:
            target = max(self._started, self._finished + (0 if self._started > self._finished else 1))
            ok = self._done.wait_for(lambda: self._finished >= target, timeout=600.0)
            verdict = self._last_verdict if ok else None
        resp.success = bool(verdict and verdict.get("dispatched") and not verdict.get("error"))
        resp.message = json.dumps(verdict) if verdict else '{"error": "no verdict within 600 s"}'
        return resp

    # --- outputs ----------------------------------------------------------------------------------
    def status(self, phase: str, **extra) -> None:
        self.get_logger().info(f"{phase} {json.dumps(extra, default=str)[:300]}")
        self.pub_status.publish(String(data=json.dumps({"phase": phase, "t": time.time(), **extra},
                                                       default=str)))

    def robot_state(self) -> tuple[list[str], list[float], list] | None:
        js, objs = self._joints, self._objects_json
        if js is None or objs is None:
            return None
        _, objects = convert.objects_from_json(objs)
        return list(js.name), list(js.position), objects

    # --- the command loop -------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            text = self._commands.get()
            if text is None:
                return
            with self._done:
                self._started += 1
            try:
                verdict = self.pipeline.handle(text, self)
            except Exception as exc:  # the node stays up; the verdict says what broke
                self.get_logger().error(f"command failed: {type(exc).__name__}: {exc}")
                verdict = {"instruction": text, "dispatched": False, "error": f"{type(exc).__name__}: {exc}"}
            self.pub_verdict.publish(String(data=json.dumps(verdict, default=str)))
            with self._done:
                self._last_verdict = verdict
                self._finished += 1
                self._done.notify_all()

    def on_close(self) -> None:
        self._commands.put(None)
        self.pipeline.abort_dispatch()
        self._worker.join(timeout=5.0)
        self.pipeline.close()

    def recorded_topics(self) -> dict[str, Any]:
        c = self.p["controller"]
        return {self.robot_topic(topics.JOINT_STATES): JointState,
                self.robot_topic(topics.trajectory_topic(c)): JointTrajectory,
                self.robot_topic(topics.controller_state_topic(c)): String,
                self.robot_topic(topics.GRIPPER_COMMAND): Bool,
                self.robot_topic(topics.GRIPPER_GRASPING): Bool,
                self.robot_topic(topics.OBJECTS): String,
                self.resolve_topic_name(topics.ESTOP): Bool,
                self.resolve_topic_name(topics.STATUS): String}


def main(argv: list[str] | None = None) -> int:
    return spin_node_until_shutdown(lambda ctx: CodebotNode(ctx), list(sys.argv if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
