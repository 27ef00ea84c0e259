"""ROS 2 image input for the vision target: a small rclpy subscriber that keeps the latest colour image
(and optional depth image and CameraInfo). Image <-> numpy conversion (one encoding table) and the
rclpy teardown are the ROS plumbing's (`codebot.ros.plumbing.convert`, `codebot.ros.plumbing.env`).

rclpy loads only when a subscriber is built (MissingExtraError naming `ros` otherwise). The node spins
in a MultiThreadedExecutor thread.
"""
from __future__ import annotations

import threading
import time

import numpy as np

from codebot.ros.plumbing.convert import msg_to_image, to_depth_m, to_rgb
from codebot.ros.plumbing.env import rclpy as _rclpy, teardown
from codebot.vision.errors import ImageSourceError
from codebot.primitives.errors import InvalidArgumentError


class ImageTopicSubscriber:
    """Latest rgb (and depth, K) from ROS 2 topics. `wait(timeout)` returns (rgb, depth|None, K|None, seq)."""

    def __init__(self, topic: str, depth_topic: str | None = None, info_topic: str | None = None,
                 domain_id: int | None = None, node_name: str = "codebot_vision_input"):
        rclpy = _rclpy()
        from rclpy.executors import MultiThreadedExecutor
        from rclpy.qos import qos_profile_sensor_data
        from sensor_msgs.msg import CameraInfo, Image

        self._lock = threading.Lock()
        self._new = threading.Condition(self._lock)
        self._rgb = self._depth = self._K = None
        self._seq = 0  # images received; stamps may be zero when a publisher leaves them unset
        self._error: str | None = None
        self.context = rclpy.context.Context()
        # Discovery range and domain follow the environment (ROS_DOMAIN_ID, ROS_AUTOMATIC_DISCOVERY_RANGE)
        # unless `domain_id` is given: a camera elsewhere on the network must stay reachable.
        rclpy.init(context=self.context, domain_id=None if domain_id is None else int(domain_id))
        try:
            self.node = rclpy.create_node(node_name, context=self.context)
            # Sensor-data QoS (best effort) matches both best-effort and reliable publishers.
            self.node.create_subscription(Image, topic, self._on_rgb, qos_profile_sensor_data)
            if depth_topic:
                self.node.create_subscription(Image, depth_topic, self._on_depth, qos_profile_sensor_data)
            if info_topic:
                self.node.create_subscription(CameraInfo, info_topic, self._on_info, qos_profile_sensor_data)
        except BaseException:
            rclpy.shutdown(context=self.context)
            raise
        self.topic = topic
        self.executor = MultiThreadedExecutor(num_threads=2, context=self.context)
        self.executor.add_node(self.node)
        self._thread = threading.Thread(target=self._spin, name="vision-image-topic", daemon=True)
        self._thread.start()
        self._closed = False

    def _spin(self) -> None:
        try:
            self.executor.spin()
        except Exception:  # shutdown races end the spin; the owner is closing
            pass

    def _on_rgb(self, msg) -> None:
        try:
            rgb = to_rgb(msg_to_image(msg), msg.encoding)
        except InvalidArgumentError as exc:
            with self._lock:
                self._error = exc.message
            return
        with self._new:
            self._rgb = rgb
            self._seq += 1
            self._new.notify_all()

    def _on_depth(self, msg) -> None:
        try:
            depth = to_depth_m(msg_to_image(msg), msg.encoding)
        except InvalidArgumentError:
            return
        with self._lock:
            self._depth = depth

    def _on_info(self, msg) -> None:
        K = np.asarray(msg.k, dtype=float).reshape(3, 3)
        if K[0, 0] > 0 and K[1, 1] > 0:
            with self._lock:
                self._K = K

    def wait(self, timeout: float = 5.0, after: int = 0):
        """(rgb, depth | None, K | None, seq) of the latest image, once more than `after` images arrived,
        waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._new:
            while self._rgb is None or self._seq <= after:
                left = deadline - time.monotonic()
                if left <= 0:
                    why = f" (last message rejected: {self._error})" if self._error else ""
                    raise ImageSourceError(f"no image on ROS 2 topic {self.topic!r} within {timeout:.1f} s{why}; "
                                           "is the camera publishing, on the same ROS_DOMAIN_ID?",
                                           topic=self.topic, timeout_s=timeout)
                self._new.wait(min(left, 0.1))
            depth = self._depth if self._depth is not None and self._depth.shape == self._rgb.shape[:2] else None
            return self._rgb, depth, self._K, self._seq

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        teardown(self.executor, self.node, self.context, self._thread)
