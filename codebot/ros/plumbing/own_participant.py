"""A node in a DDS participant of its own, created and spun on one thread at a chosen nice value.

The robot side's heartbeat receiver runs here. On a node of the robot's main context it shared that
context's DDS participant: one shared-memory port and one set of reception threads, at the default priority,
for every message the robot takes (trajectories, services, discovery of each new process). In flake hunts
beside two CPU hogs, runs of 7 consecutive beats then went missing and the next one arrived 0.22 s late,
while the commander logged every beat sent on time and the robot's executor was running: the beats were
held up below rclpy. Here the heartbeat has a participant of its own, and every thread Fast DDS starts for it
(reception, events) is created by a thread that already runs at `nice`, so it inherits that priority.
"""
from __future__ import annotations

import os
import sys
import threading
from typing import Callable

from codebot.ros.plumbing.env import SideNode, _spin_until_closed, rclpy, teardown, topic_remaps
from codebot.ros.plumbing.priority import raise_priority

START_TIMEOUT_S = 30.0


class OwnParticipantNode:
    """`setup(node)` runs on the node's own thread before it spins (create subscriptions and timers there).
    Construction waits until the node exists and re-raises what went wrong starting it; close() stops it."""

    def __init__(self, name: str, namespace: str = "", nice: int = 0, setup: Callable | None = None):
        self.node = self.context = self.executor = None
        self.raised_priority = False
        self._closed = False
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(name, namespace, nice, setup), name=f"ros-{name}",
                                        daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT_S):
            self._closed = True
            raise RuntimeError(f"node {name}: its own DDS participant did not start within {START_TIMEOUT_S:.0f} s")
        if self._error is not None:
            raise self._error

    def _run(self, name: str, namespace: str, nice: int, setup: Callable | None) -> None:
        try:
            # first: the DDS threads the participant starts inherit this thread's priority
            self.raised_priority = raise_priority(nice, thread=True)
            rp = rclpy()
            from rclpy.executors import SingleThreadedExecutor
            from rclpy.node import Node
            from rclpy.signals import SignalHandlerOptions

            self.context = rp.context.Context()
            # no signal handlers: the process's main context owns SIGINT/SIGTERM
            rp.init(args=[], context=self.context, signal_handler_options=SignalHandlerOptions.NO)
            self.node = Node(name, namespace=namespace or None, context=self.context, use_global_arguments=False,
                             cli_args=topic_remaps(sys.argv), start_parameter_services=False)
            self.executor = SingleThreadedExecutor(context=self.context)
            self.executor.add_node(self.node)
            if setup is not None:
                setup(self.node)
        except BaseException as exc:  # surfaced by __init__
            self._error = exc
            self._ready.set()
            self._shutdown()
            return
        self._ready.set()
        _spin_until_closed(self, lambda: self.executor.spin_once(timeout_sec=0.1))

    def _shutdown(self) -> None:
        if self.executor is not None and self.node is not None:
            teardown(self.executor, self.node, self.context, None)
        elif self.context is not None and self.context.ok():
            rclpy().shutdown(context=self.context)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._thread.join(timeout=5.0)  # the spin loop sees _closed within one spin_once timeout
        self._shutdown()


def heartbeat_receiver(context, name: str, namespace: str, on_heartbeat: Callable, on_tick: Callable):
    """The robot side's heartbeat subscription (and the receiver tick timer on the same executor, see
    liveliness.ReceiverClock) on a node of its own participant at the heartbeat priority; with
    CODEBOT_HEARTBEAT_PARTICIPANT=shared, on a side node of `context` (the robot's main participant), the way
    it was before, for benchmarks/heartbeat.py's baseline. Either has close()."""
    from std_msgs.msg import String

    from codebot.ros.plumbing.liveliness import HEARTBEAT, RECEIVER_TICK_S, heartbeat_qos
    from codebot.ros.plumbing.priority import heartbeat_nice

    def setup(node) -> None:
        node.create_subscription(String, HEARTBEAT, on_heartbeat, heartbeat_qos())
        node.create_timer(RECEIVER_TICK_S, on_tick)

    if os.environ.get("CODEBOT_HEARTBEAT_PARTICIPANT", "own") == "shared":
        side = SideNode(context, name, namespace, nice=heartbeat_nice())
        setup(side.node)
        return side
    return OwnParticipantNode(name, namespace, nice=heartbeat_nice(), setup=setup)
