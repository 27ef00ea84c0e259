"""RosCamera: the primitives' `Camera` protocol from a robot's RGB-D topics, so camera-based
perception (HSV colour, RGB-D, model detectors) runs on ROS images. Extrinsics come from the latched
`camera/<name>/pose` (no tf2 on PyPI); a real rig publishes the same from its calibration."""
from __future__ import annotations

import threading
import time

import numpy as np

from codebot.ros.plumbing import convert, topics
from codebot.ros.plumbing.env import wait_until
from codebot.primitives.errors import RobotConnectionError
from codebot.primitives.protocols import Frame


class RosCamera:
    def __init__(self, node, name: str, namespace: str = "", wait: float = 10.0, max_age: float = 2.0):
        from geometry_msgs.msg import PoseStamped
        from sensor_msgs.msg import CameraInfo, Image

        self.name = name
        self.max_age = max_age
        prefix = namespace.rstrip("/")
        t = {k: f"{prefix}/{v}" for k, v in topics.camera_topics(name).items()}
        self._lock = threading.Lock()
        self._latest: dict[str, tuple[float, object]] = {}
        for key, typ, qos in (("rgb", Image, topics.qos_sensor()), ("depth", Image, topics.qos_sensor()),
                              ("info", CameraInfo, topics.qos_sensor()), ("pose", PoseStamped, topics.qos_latched())):
            node.create_subscription(typ, t[key], lambda m, k=key: self._store(k, m), qos)
        self.topics = t
        self.width = self.height = 0
        self.wait_ready(wait)

    def wait_ready(self, timeout: float) -> bool:
        """Until every stream has sent once (False after `timeout`); the image size is the camera info's."""
        ready = wait_until(lambda: len(self._latest) == 4, timeout)
        info = self._latest.get("info")
        self.width = int(info[1].width) if info else 0
        self.height = int(info[1].height) if info else 0
        return ready

    def _store(self, key: str, msg) -> None:
        with self._lock:
            self._latest[key] = (time.monotonic(), msg)

    def capture(self) -> Frame:
        """The newest RGB-D frame (raises RobotConnectionError when the stream is missing or stale)."""
        with self._lock:
            latest = dict(self._latest)
        missing = [k for k in ("rgb", "depth", "info", "pose") if k not in latest]
        if missing:
            raise RobotConnectionError(f"camera {self.name!r}: nothing received on "
                                       f"{[self.topics[k] for k in missing]}", camera=self.name)
        age = time.monotonic() - latest["rgb"][0]
        if age > self.max_age:
            raise RobotConnectionError(f"camera {self.name!r}: newest image is {age:.1f} s old", camera=self.name)
        rgb = convert.msg_to_image(latest["rgb"][1])
        depth = convert.msg_to_image(latest["depth"][1]).astype(np.float32)
        info = latest["info"][1]
        return Frame(rgb=rgb[:, :, :3], depth=depth, intrinsics=convert.camera_info_to_K(info),
                     camera_to_world=convert.pose_msg_to_matrix(latest["pose"][1]), name=self.name,
                     stamp=convert.stamp_to_sec(latest["rgb"][1].header.stamp))
