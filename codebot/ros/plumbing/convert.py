"""Conversions between numpy / primitives types and ROS 2 messages (no cv_bridge on PyPI).

Images: the encodings of ENCODINGS (rgb8 (H, W, 3) uint8, 32FC1 (H, W) float32 metres, ...), row-major,
native byte order out, either byte order in.
Objects: the perception source is JSON in std_msgs/String (ObjectInfo has name/colour/bbox fields no
stock message carries); a geometry_msgs/PoseArray with the same order goes alongside for RViz.
"""
from __future__ import annotations

import json
import math
import sys
from typing import Any, Sequence

import numpy as np

from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import ObjectInfo

# The one sensor_msgs/Image encoding table (ROS side and the vision target's image topics):
# encoding -> (dtype, channels)
ENCODINGS = {"rgb8": (np.uint8, 3), "bgr8": (np.uint8, 3), "rgba8": (np.uint8, 4), "bgra8": (np.uint8, 4),
             "mono8": (np.uint8, 1), "mono16": (np.uint16, 1), "16UC1": (np.uint16, 1), "32FC1": (np.float32, 1)}


def stamp_to_sec(stamp) -> float:
    return float(stamp.sec) + float(stamp.nanosec) * 1e-9


def sec_to_stamp(t: float, stamp) -> Any:
    sec = math.floor(t)
    stamp.sec = int(sec)
    stamp.nanosec = int(round((t - sec) * 1e9)) % 1_000_000_000
    return stamp


def duration_msg(t: float):
    from builtin_interfaces.msg import Duration

    sec = math.floor(t)
    return Duration(sec=int(sec), nanosec=int(round((t - sec) * 1e9)) % 1_000_000_000)


def duration_to_sec(d) -> float:
    return float(d.sec) + float(d.nanosec) * 1e-9


# --- images -----------------------------------------------------------------------------------
def image_to_msg(array: np.ndarray, encoding: str = "rgb8", frame_id: str = "", stamp: float | None = None):
    """sensor_msgs/Image of an (H, W, C) or (H, W) array in one of ENCODINGS."""
    from sensor_msgs.msg import Image

    if encoding not in ENCODINGS:
        raise InvalidArgumentError(f"unsupported image encoding {encoding!r}; one of {sorted(ENCODINGS)}",
                                   encoding=encoding)
    dtype, channels = ENCODINGS[encoding]
    arr = np.ascontiguousarray(array, dtype=dtype)
    if arr.ndim == 2 and channels == 1:
        h, w = arr.shape
    elif arr.ndim == 3 and arr.shape[2] == channels:
        h, w = arr.shape[:2]
    else:
        raise InvalidArgumentError(f"image of shape {array.shape} does not fit encoding {encoding}",
                                   shape=list(array.shape), encoding=encoding)
    msg = Image()
    msg.header.frame_id = frame_id
    if stamp is not None:
        sec_to_stamp(stamp, msg.header.stamp)
    msg.height, msg.width, msg.encoding = h, w, encoding
    msg.is_bigendian = int(sys.byteorder == "big")
    msg.step = w * channels * arr.itemsize
    msg.data = arr.tobytes()
    return msg


def msg_to_image(msg) -> np.ndarray:
    """(H, W, C) or (H, W) array of a sensor_msgs/Image, row padding (step) and byte order handled;
    raises InvalidArgumentError on an empty or short image or an unknown encoding."""
    if msg.encoding not in ENCODINGS:
        raise InvalidArgumentError(f"unsupported image encoding {msg.encoding!r}; one of {sorted(ENCODINGS)}",
                                   encoding=msg.encoding)
    dtype, channels = ENCODINGS[msg.encoding]
    row = int(msg.width) * channels * np.dtype(dtype).itemsize
    if msg.height == 0 or msg.width == 0 or msg.step < row or len(msg.data) < msg.step * msg.height:
        raise InvalidArgumentError("image message is empty or its data is shorter than height*step",
                                   height=msg.height, width=msg.width, step=msg.step, size=len(msg.data))
    raw = np.frombuffer(bytes(msg.data), dtype=np.uint8, count=msg.step * msg.height)
    rows = raw.reshape(msg.height, msg.step)[:, :row]
    dt = np.dtype(dtype).newbyteorder(">" if msg.is_bigendian else "<")
    arr = np.ascontiguousarray(rows).view(dt).astype(dtype)
    shape = (msg.height, msg.width) if channels == 1 else (msg.height, msg.width, channels)
    return arr.reshape(shape)


def to_rgb(arr: np.ndarray, encoding: str) -> np.ndarray:
    """(H, W, 3) uint8 RGB of an image array in `encoding` (grey images scaled to 0..255 and repeated)."""
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


def camera_info_msg(K: np.ndarray, width: int, height: int, frame_id: str = "", stamp: float | None = None):
    from sensor_msgs.msg import CameraInfo

    msg = CameraInfo()
    msg.header.frame_id = frame_id
    if stamp is not None:
        sec_to_stamp(stamp, msg.header.stamp)
    msg.width, msg.height = int(width), int(height)
    msg.distortion_model = "plumb_bob"
    msg.d = [0.0] * 5
    K = np.asarray(K, dtype=float).reshape(3, 3)
    msg.k = K.ravel().tolist()
    msg.r = np.eye(3).ravel().tolist()
    P = np.zeros((3, 4))
    P[:, :3] = K
    msg.p = P.ravel().tolist()
    return msg


def resize_frame(rgb: np.ndarray, depth: np.ndarray, K: np.ndarray, width: int, height: int):
    """Scale an RGB-D frame to width x height (small images cross DDS without a shared-memory
    profile) and scale the intrinsics with it. Depth uses nearest-neighbour (no mixed edges)."""
    h, w = rgb.shape[:2]
    if (w, h) == (width, height) or width <= 0 or height <= 0:
        return rgb, depth.astype(np.float32), np.asarray(K, float)
    import cv2

    rgb2 = cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)
    depth2 = cv2.resize(depth.astype(np.float32), (width, height), interpolation=cv2.INTER_NEAREST)
    K2 = np.asarray(K, float).copy()
    K2[0, :] *= width / w
    K2[1, :] *= height / h
    return rgb2, depth2, K2


def camera_info_to_K(msg) -> np.ndarray:
    return np.asarray(msg.k, dtype=float).reshape(3, 3)


# --- joints -----------------------------------------------------------------------------------
def joint_state_msg(names: Sequence[str], positions, velocities=None, stamp: float | None = None,
                    efforts=None):
    from sensor_msgs.msg import JointState

    msg = JointState()
    if stamp is not None:
        sec_to_stamp(stamp, msg.header.stamp)
    msg.name = list(names)
    msg.position = [float(v) for v in positions]
    msg.velocity = [float(v) for v in velocities] if velocities is not None else []
    msg.effort = [float(v) for v in efforts] if efforts is not None else []
    return msg


def joint_state_positions(msg, names: Sequence[str]) -> np.ndarray | None:
    """Positions of `names` in that order, or None when the message lacks one of them."""
    index = {n: i for i, n in enumerate(msg.name)}
    if any(n not in index for n in names) or len(msg.position) < len(msg.name):
        return None
    return np.array([msg.position[index[n]] for n in names], dtype=float)


def trajectory_msg(joint_names: Sequence[str], times: Sequence[float], positions,
                   velocities=None, frame_id: str = ""):
    """A trajectory_msgs/JointTrajectory: header stamp zero means 'start now' (ros2_control convention)."""
    from trajectory_msgs.msg import JointTrajectory, JointTrajectoryPoint

    positions = np.asarray(positions, dtype=float)
    if positions.ndim != 2 or positions.shape[1] != len(joint_names) or len(times) != len(positions):
        raise InvalidArgumentError("trajectory shape does not match joint names and times",
                                   shape=list(positions.shape), joints=len(joint_names), times=len(times))
    msg = JointTrajectory()
    msg.header.frame_id = frame_id
    msg.joint_names = list(joint_names)
    for i, (t, q) in enumerate(zip(times, positions)):
        pt = JointTrajectoryPoint()
        pt.positions = q.tolist()
        if velocities is not None:
            pt.velocities = np.asarray(velocities[i], dtype=float).tolist()
        pt.time_from_start = duration_msg(float(t))
        msg.points.append(pt)
    return msg


def trajectory_arrays(msg, joint_order: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(times (N,), positions (N, J)) reordered to `joint_order`; validates what a controller would."""
    names = list(msg.joint_names)
    if not names or not msg.points:
        raise InvalidArgumentError("empty trajectory (no joints or no points)")
    if len(set(names)) != len(names):
        raise InvalidArgumentError("duplicate joint names in trajectory", joint_names=names)
    order = list(joint_order) if joint_order is not None else names
    missing = [n for n in order if n not in names]
    unknown = [n for n in names if n not in order]
    if missing or unknown:
        raise InvalidArgumentError("trajectory joints do not match the robot",
                                   missing=missing, unknown=unknown)
    perm = [names.index(n) for n in order]
    times, rows = [], []
    for i, pt in enumerate(msg.points):
        if len(pt.positions) != len(names):
            raise InvalidArgumentError(f"point {i} has {len(pt.positions)} positions for {len(names)} joints")
        q = np.asarray(pt.positions, dtype=float)[perm]
        t = duration_to_sec(pt.time_from_start)
        if not np.all(np.isfinite(q)) or not math.isfinite(t):
            raise InvalidArgumentError(f"point {i} holds a non-finite value")
        if times and t <= times[-1]:
            raise InvalidArgumentError(f"time_from_start must increase (point {i}: {t} <= {times[-1]})")
        times.append(t)
        rows.append(q)
    return np.asarray(times), np.vstack(rows)


# --- objects ----------------------------------------------------------------------------------
def objects_to_json(objects: Sequence[ObjectInfo], stamp: float = 0.0) -> str:
    return json.dumps({"stamp": stamp, "objects": [o.to_plain() for o in objects]})


def objects_from_json(text: str) -> tuple[float, list[ObjectInfo]]:
    try:
        data = json.loads(text)
        out = [ObjectInfo.from_plain(d) for d in data["objects"]]
        return float(data.get("stamp", 0.0)), out
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidArgumentError(f"malformed objects message: {exc}") from None


def objects_pose_array(objects: Sequence[ObjectInfo], frame_id: str = "world", stamp: float | None = None):
    from geometry_msgs.msg import Pose, PoseArray

    msg = PoseArray()
    msg.header.frame_id = frame_id
    if stamp is not None:
        sec_to_stamp(stamp, msg.header.stamp)
    for o in objects:
        p = Pose()
        p.position.x, p.position.y, p.position.z = (float(v) for v in o.position)
        p.orientation.z, p.orientation.w = math.sin(o.yaw / 2), math.cos(o.yaw / 2)
        msg.poses.append(p)
    return msg


# --- camera extrinsics (no tf2 on PyPI: the pose travels as a latched PoseStamped) ---------------
def matrix_to_quat(R: np.ndarray) -> tuple[float, float, float, float]:
    """Unit quaternion (x, y, z, w) of a 3x3 rotation matrix."""
    R = np.asarray(R, dtype=float)
    tr = np.trace(R)
    if tr > 0:
        s = 2.0 * math.sqrt(tr + 1.0)
        q = ((R[2, 1] - R[1, 2]) / s, (R[0, 2] - R[2, 0]) / s, (R[1, 0] - R[0, 1]) / s, 0.25 * s)
    else:
        i = int(np.argmax(np.diag(R)))
        j, k = (i + 1) % 3, (i + 2) % 3
        s = 2.0 * math.sqrt(1.0 + R[i, i] - R[j, j] - R[k, k])
        q = [0.0, 0.0, 0.0, (R[k, j] - R[j, k]) / s]
        q[i] = 0.25 * s
        q[j] = (R[j, i] + R[i, j]) / s
        q[k] = (R[k, i] + R[i, k]) / s
    n = math.sqrt(sum(v * v for v in q))
    return tuple(float(v / n) for v in q)


def quat_to_matrix(q) -> np.ndarray:
    x, y, z, w = (float(v) for v in q)
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def pose_stamped_msg(T: np.ndarray, frame_id: str = "world", stamp: float | None = None):
    from geometry_msgs.msg import PoseStamped

    T = np.asarray(T, dtype=float)
    msg = PoseStamped()
    msg.header.frame_id = frame_id
    if stamp is not None:
        sec_to_stamp(stamp, msg.header.stamp)
    msg.pose.position.x, msg.pose.position.y, msg.pose.position.z = (float(v) for v in T[:3, 3])
    (msg.pose.orientation.x, msg.pose.orientation.y, msg.pose.orientation.z,
     msg.pose.orientation.w) = matrix_to_quat(T[:3, :3])
    return msg


def pose_msg_to_matrix(msg) -> np.ndarray:
    """4x4 transform of a geometry_msgs/PoseStamped (or Pose)."""
    pose = getattr(msg, "pose", msg)
    T = np.eye(4)
    o = pose.orientation
    T[:3, :3] = quat_to_matrix((o.x, o.y, o.z, o.w))
    T[:3, 3] = (pose.position.x, pose.position.y, pose.position.z)
    return T
