"""ROS 2 image input for the vision target: sensor_msgs/Image <-> numpy (no cv_bridge) and a small
rclpy subscriber that keeps the latest colour image (and optional depth image and CameraInfo).

rclpy loads only when a subscriber is built (MissingExtraError naming `ros` otherwise). The node spins
in a MultiThreadedExecutor thread; teardown is executor.shutdown -> destroy_node -> rclpy.shutdown ->
join, the order the Kilted wheels need.
"""
from __future__ import annotations

import sys
import threading
import time

import numpy as np

from codebot.extras import require
from codebot.vision.errors import ImageSourceError
from codebot.primitives.errors import InvalidArgumentError

# encoding -> (dtype, channels)
ENCODINGS = {"rgb8": (np.uint8, 3), "bgr8": (np.uint8, 3), "rgba8": (np.uint8, 4), "bgra8": (np.uint8, 4),
             "mono8": (np.uint8, 1), "mono16": (np.uint16, 1), "16UC1": (np.uint16, 1), "32FC1": (np.float32, 1)}


def image_msg_to_array(msg) -> np.ndarray:
    """(H, W[, C]) array of a sensor_msgs/Image; row padding (step) and byte order handled."""
    if msg.encoding not in ENCODINGS:
        raise InvalidArgumentError(f"unsupported image encoding {msg.encoding!r}; one of {sorted(ENCODINGS)}")
    dtype, channels = ENCODINGS[msg.encoding]
    item = np.dtype(dtype).itemsize
    row = int(msg.width) * channels * item
    if msg.height == 0 or msg.width == 0 or msg.step < row or len(msg.data) < msg.step * msg.height:
        raise InvalidArgumentError("image message is empty or shorter than height * step",
                                   height=msg.height, width=msg.width, step=msg.step, size=len(msg.data))
    raw = np.frombuffer(bytes(msg.data), dtype=np.uint8, count=msg.step * msg.height)
    rows = raw.reshape(msg.height, msg.step)[:, :row]
    arr = np.ascontiguousarray(rows).view(np.dtype(dtype).newbyteorder(">" if msg.is_bigendian else "<"))
    arr = arr.astype(dtype, copy=False)
    return arr.reshape((msg.height, msg.width) if channels == 1 else (msg.height, msg.width, channels))


def array_to_image_msg(array: np.ndarray, encoding: str = "rgb8", frame_id: str = "camera"):
    """sensor_msgs/Image of an (H, W, 3) uint8 (rgb8/bgr8) or (H, W) float32 metres (32FC1) array."""
    from sensor_msgs.msg import Image

    if encoding not in ENCODINGS:
        raise InvalidArgumentError(f"unsupported image encoding {encoding!r}")
    dtype, channels = ENCODINGS[encoding]
    arr = np.ascontiguousarray(array, dtype=dtype)
    if (channels == 1 and arr.ndim != 2) or (channels > 1 and (arr.ndim != 3 or arr.shape[2] != channels)):
        raise InvalidArgumentError(f"array of shape {arr.shape} does not fit encoding {encoding}")
    msg = Image()
    msg.header.frame_id = frame_id
    msg.height, msg.width = int(arr.shape[0]), int(arr.shape[1])
    msg.encoding = encoding
    msg.is_bigendian = int(sys.byteorder == "big")
    msg.step = msg.width * channels * arr.itemsize
    msg.data = arr.tobytes()
    return msg


def to_rgb(arr: np.ndarray, encoding: str) -> np.ndarray:
    if encoding in ("bgr8", "bgra8"):
        return np.ascontiguousarray(arr[:, :, 2::-1])
    if encoding == "rgba8":
        return np.ascontiguousarray(arr[:, :, :3])
    if arr.ndim == 2:
        scale = 255.0 / max(float(arr.max(initial=1)), 1.0) if arr.dtype != np.uint8 else 1.0
        return np.repeat((arr * scale).astype(np.uint8)[:, :, None], 3, axis=2)
    return arr


def to_depth_m(arr: np.ndarray, encoding: str) -> np.ndarray:
    """Depth in metres: 32FC1 is metres already, 16UC1/mono16 is millimetres (REP 118); 0 means unknown."""
    if encoding == "32FC1":
        return arr.astype(np.float32)
    if encoding in ("16UC1", "mono16"):
        depth = arr.astype(np.float32) / 1000.0
        depth[arr == 0] = np.nan
        return depth
    raise InvalidArgumentError(f"depth images must be 32FC1 or 16UC1, got {encoding!r}")


class ImageTopicSubscriber:
    """Latest rgb (and depth, K) from ROS 2 topics. `wait(timeout)` returns (rgb, depth|None, K|None, seq)."""

    def __init__(self, topic: str, depth_topic: str | None = None, info_topic: str | None = None,
                 domain_id: int | None = None, node_name: str = "codebot_vision_input"):
        rclpy = require("rclpy", "ros")
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
            rgb = to_rgb(image_msg_to_array(msg), msg.encoding)
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
            depth = to_depth_m(image_msg_to_array(msg), msg.encoding)
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
        rclpy = require("rclpy", "ros")
        try:
            self.executor.shutdown(timeout_sec=2.0)
        except Exception:
            pass
        try:
            self.node.destroy_node()
        except Exception:
            pass
        try:
            if self.context.ok():
                rclpy.shutdown(context=self.context)
        except Exception:
            pass
        self._thread.join(timeout=5.0)
