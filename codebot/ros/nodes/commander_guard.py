"""commander_guard: the dead-man's switch for a real arm whose controller knows nothing of codebot
(ros2_control's joint_trajectory_controller, a vendor driver).

It runs beside the controller, in the robot's namespace, and watches the commanders' heartbeats on
`commander/heartbeat`. When one lapses (lease <= 0.5 s) it
  - cancels the running motion: an empty trajectory_msgs/JointTrajectory on
    `<controller>/joint_trajectory` (joint_trajectory_controller then holds the current position),
  - latches `commander_lost` on `commander/state` until `commander/reset` (std_srvs/Trigger) is called.
With `input_controller` set (e.g. "guarded_arm_controller") it is also the only way in: codebot_node
runs with `controller:=<input_controller>`, the guard forwards `<input_controller>/joint_trajectory` to
the controller while no commander_lost is latched, and drops (and counts) every trajectory after it.

    python -m codebot.ros.nodes.commander_guard --ros-args -r __ns:=/robot -p controller:=arm_controller \\
        -p input_controller:=guarded_arm_controller -p joints:="[shoulder_pan_joint, ...]"
"""
from __future__ import annotations

import sys
import threading
import time
from typing import Any

from codebot.ros.plumbing import topics
from codebot.ros.plumbing.env import declare_params, rclpy, spin_node_until_shutdown
from codebot.ros.plumbing.own_participant import heartbeat_receiver
from codebot.ros.plumbing.commander_watchdog import CommanderStateTopic, CommanderWatchdog
from codebot.ros.plumbing.liveliness import COMMANDER_RESET, HEARTBEAT

rclpy()
from rclpy.callback_groups import ReentrantCallbackGroup  # noqa: E402
from rclpy.node import Node  # noqa: E402
from std_msgs.msg import String  # noqa: E402
from std_srvs.srv import Trigger  # noqa: E402
from trajectory_msgs.msg import JointTrajectory  # noqa: E402

PARAMS: dict[str, Any] = {
    "controller": topics.DEFAULT_CONTROLLER,  # the real controller: <controller>/joint_trajectory
    "input_controller": "",   # non-empty: relay <input_controller>/joint_trajectory while no latch
    "joints": [""],           # joint names for the cancel message (empty: none named, as JTC accepts)
    "commander_lease": 0.5,
    "check_rate": 50.0,       # Hz: how often the leases are checked
}


class CommanderGuard(Node):
    def __init__(self, context):
        super().__init__("commander_guard", context=context)
        self.p = declare_params(self, PARAMS)
        lease = float(self.p["commander_lease"])
        if not 0.0 < lease <= 0.5:
            raise ValueError(f"commander_lease must be in (0, 0.5] s, got {lease}")
        self.watchdog = CommanderWatchdog(lease_s=lease)
        self.joints = [j for j in self.p["joints"] if j]
        group = ReentrantCallbackGroup()
        self.pub_traj = self.create_publisher(JointTrajectory, topics.trajectory_topic(self.p["controller"]),
                                              topics.qos_reliable(10))
        self.state_topic = CommanderStateTopic(self, topics.qos_latched())
        # heartbeats on a node of their own DDS participant at the heartbeat priority (own_participant.py):
        # neither a burst of this node's callbacks nor its DDS traffic may delay them into a false commander_lost
        self._beats = heartbeat_receiver(context, f"{self.get_name()}_heartbeats", self.get_namespace(),
                                         self._on_heartbeat, lambda: self.watchdog.receiver_tick())
        self.create_service(Trigger, COMMANDER_RESET, self._on_reset, callback_group=group)
        self.relayed = self.dropped = 0
        self._moving_until = 0.0  # end of the last relayed trajectory (monotonic)
        if self.p["input_controller"]:
            self.create_subscription(JointTrajectory, topics.trajectory_topic(self.p["input_controller"]),
                                     self._on_input, topics.qos_reliable(10), callback_group=group)
        self._stop = threading.Event()
        # its own thread, not an executor timer: callbacks piling up must not delay the halt
        self._thread = threading.Thread(target=self._watch, name="commander-guard", daemon=True)
        self._thread.start()
        self.get_logger().info(f"commander guard on {self.resolve_topic_name(HEARTBEAT)}: lease {lease} s, cancels "
                               f"{self.pub_traj.topic_name}"
                               + (f", relays {self.p['input_controller']}" if self.p["input_controller"] else ""))

    def _on_heartbeat(self, msg: String) -> None:
        self.watchdog.on_heartbeat_message(msg.data, self.get_logger().warn)

    def _on_input(self, msg: JointTrajectory) -> None:
        if self.watchdog.lost is not None:
            self.dropped += 1
            self.get_logger().warn(f"trajectory dropped: {self.watchdog.lost['message']}")
            return
        if msg.points:
            last = msg.points[-1].time_from_start
            self._moving_until = time.monotonic() + last.sec + last.nanosec * 1e-9 + 0.5
        self.relayed += 1
        self.pub_traj.publish(msg)

    def _on_reset(self, req, resp):
        resp.success, resp.message = True, self.watchdog.reset_reply()
        self._publish_state(force=True)
        return resp

    def _publish_state(self, force: bool = False) -> None:
        self.state_topic.publish(self.watchdog, force, relayed=self.relayed, dropped=self.dropped)

    def _watch(self) -> None:
        period = 1.0 / max(1.0, float(self.p["check_rate"]))
        while not self._stop.wait(period):
            try:
                # without a relay the guard cannot know whether the arm moves: any lapse halts it
                moving = time.monotonic() < self._moving_until or not self.p["input_controller"]
                lapse = self.watchdog.poll(moving)
                if lapse is not None:
                    for _ in range(3):  # an empty trajectory: joint_trajectory_controller holds position
                        self.pub_traj.publish(JointTrajectory(joint_names=self.joints))
                    self.get_logger().error(lapse["message"])
                    self._publish_state(force=True)
                else:
                    self._publish_state()
            except Exception:  # context shutting down
                return

    def on_close(self) -> None:
        self._beats.close()
        self._stop.set()
        self._thread.join(timeout=2.0)


def main(argv: list[str] | None = None) -> int:
    return spin_node_until_shutdown(lambda ctx: CommanderGuard(ctx), list(sys.argv if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
