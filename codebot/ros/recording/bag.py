"""Record ROS 2 topics to a rosbag2 (mcap) with `rosbags`, from serialized rclpy messages.

The recorder subscribes with raw=True, so messages are written as the CDR bytes that crossed DDS,
untouched; `read_bag` gives them back (deserialized with rclpy) for tests and replay. While recording,
messages go to a crash-proof journal beside the bag (codebot.ros.recording.bag_journal); stop() turns it into the
bag, and a recording cut by a crash becomes a readable bag with `recover_bags(bag_dir)`.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from codebot.extras import require


def _type_name(msg_type) -> str:
    """'sensor_msgs/msg/JointState' for the rclpy class."""
    module = msg_type.__module__.split(".")  # sensor_msgs.msg._joint_state
    return f"{module[0]}/{module[1]}/{msg_type.__name__}"


class BagRecorder:
    """Subscribes `topics` {name: msg class} on `node` once; each start(path) .. stop() writes one
    bag (a new directory). Subscriptions stay for the recorder's life (close() drops them), so
    nothing is destroyed under a spinning executor and each bag's subscribers are already matched.
    Thread-safe: callbacks from a MultiThreadedExecutor serialize on a lock.
    """

    def __init__(self, node, path: str | Path | None, topics: dict[str, Any]):
        require("rosbags", "ros")
        from rclpy.qos import HistoryPolicy, QoSProfile, ReliabilityPolicy

        self.node = node
        self.path = Path(path) if path is not None else None
        self.topics = dict(topics)
        self.count = 0
        self._lock = threading.Lock()
        self._writer = None
        self._names: dict[str, str] = {}
        qos = QoSProfile(depth=200, reliability=ReliabilityPolicy.RELIABLE, history=HistoryPolicy.KEEP_LAST)
        self._subs = [node.create_subscription(msg_type, topic, lambda data, t=topic: self._write(t, data),
                                               qos, raw=True)
                      for topic, msg_type in self.topics.items()]

    def start(self, path: str | Path | None = None) -> "BagRecorder":
        from codebot.ros.recording.bag_journal import JournalWriter, journal_path

        if path is not None:
            self.path = Path(path)
        if self.path is None:
            raise ValueError("BagRecorder.start needs a bag path")
        topics = [(self.node.resolve_topic_name(topic), _type_name(msg_type))
                  for topic, msg_type in self.topics.items()]
        journal = JournalWriter(journal_path(self.path), topics)
        with self._lock:
            self._writer, self.count = journal, 0
            self._names = {topic: resolved for topic, (resolved, _) in zip(self.topics, topics)}
        return self

    def _write(self, topic: str, data: bytes) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.write(self._names[topic], time.time_ns(), data)
                self.count += 1

    def stop(self) -> Path:
        """Close the journal and convert it into the bag (mcap + metadata.yaml)."""
        from codebot.ros.recording.bag_journal import journal_to_bag

        with self._lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
            journal_to_bag(writer.path, self.path)
            writer.path.unlink()
        return self.path

    def close(self) -> None:
        self.stop()
        for s in self._subs:
            try:
                self.node.destroy_subscription(s)
            except Exception:
                pass
        self._subs.clear()


def message_class(type_name: str):
    """rclpy class for 'pkg/msg/Type'."""
    import importlib

    pkg, kind, name = type_name.split("/")
    return getattr(importlib.import_module(f"{pkg}.{kind}"), name)


def read_bag(path: str | Path) -> list[tuple[str, int, Any]]:
    """[(topic, timestamp_ns, message)] in time order, deserialized with rclpy's own types."""
    from rclpy.serialization import deserialize_message
    from rosbags.rosbag2 import Reader

    out = []
    with Reader(Path(path)) as reader:
        for conn, ts, raw in reader.messages():
            out.append((conn.topic, ts, deserialize_message(raw, message_class(conn.msgtype))))
    return out
