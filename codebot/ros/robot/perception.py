"""RosPerception: the primitives' `Perception` protocol from the robot's `perceived_objects` topic
(codebot_interfaces/PerceivedObjectArray) or its JSON predecessor `objects` (published by sim_robot_node from
ground truth, or by any perception node that publishes either)."""
from __future__ import annotations

import threading
import time

from codebot.ros.plumbing import convert, perceived, topics
from codebot.ros.plumbing.env import wait_until
from codebot.primitives.errors import RobotConnectionError
from codebot.primitives.protocols import ObjectInfo


class RosPerception:
    def __init__(self, node, namespace: str = "", wait: float = 5.0, stale_after: float = 2.0):
        from std_msgs.msg import String

        self.topic = f"{namespace.rstrip('/')}/{topics.OBJECTS}" if namespace else f"/{topics.OBJECTS}"
        self.stale_after = stale_after
        self._lock = threading.Lock()
        self._objects: list[ObjectInfo] | None = None
        self._received = 0.0
        self._subs = [node.create_subscription(String, self.topic, self._on_objects, topics.qos_latched())]
        if perceived.available():  # the typed topic; whichever of the two arrives last is the robot's view
            self.typed_topic = f"{namespace.rstrip('/')}/{topics.PERCEIVED_OBJECTS}"
            self._subs.append(node.create_subscription(perceived.message_types()[1], self.typed_topic,
                                                       self._on_perceived, topics.qos_latched()))
        self.wait_ready(wait)

    def wait_ready(self, timeout: float) -> bool:
        """Until a first object list arrived (False after `timeout`; objects() then says what is missing)."""
        return wait_until(lambda: self._objects is not None, timeout)

    def _on_objects(self, msg) -> None:
        try:
            _, objs = convert.objects_from_json(msg.data)
        except Exception:  # a malformed message is skipped, the previous list stays
            return
        with self._lock:
            self._objects, self._received = objs, time.monotonic()

    def _on_perceived(self, msg) -> None:
        objs = perceived.objects_from_msg(msg)[1]
        with self._lock:
            self._objects, self._received = objs, time.monotonic()

    def objects(self) -> list[ObjectInfo]:
        with self._lock:
            objs, age = self._objects, time.monotonic() - self._received
        if objs is None:
            raise RobotConnectionError(f"no objects received on {self.topic}", topic=self.topic)
        if age > self.stale_after:
            raise RobotConnectionError(f"objects on {self.topic} are {age:.1f} s old: perception stopped",
                                       topic=self.topic, seconds=round(age, 2))
        return list(objs)
