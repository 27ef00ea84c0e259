"""Depth pixels -> world points, and world boxes of blocks and bowls from the points a camera sees.

A camera sees an object's upper surface only, so boxes are completed from what the objects are:
blocks are cubes (height = the side of the top face), bowls stand on the table. The top face of a block
also gives its yaw (minimum-area rectangle of the top-face points).
"""
from __future__ import annotations

import math

import numpy as np

from codebot.extras import require
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import Frame, ObjectInfo

TOP_FACE_BAND = 0.006  # points within this of the highest point belong to a block's top face (m)


def check_frame(frame: Frame, need_seg: bool = False) -> None:
    """Reject frames whose arrays disagree, so a bad capture gives a clear error instead of nonsense."""
    depth = np.asarray(frame.depth)
    if depth.ndim != 2:
        raise InvalidArgumentError(f"depth must be an (H, W) array, got shape {depth.shape}")
    rgb = np.asarray(frame.rgb)
    if rgb.shape[:2] != depth.shape or (rgb.ndim == 3 and rgb.shape[2] < 3):
        raise InvalidArgumentError(f"rgb shape {rgb.shape} does not match depth shape {depth.shape}")
    if np.asarray(frame.intrinsics).shape != (3, 3) or np.asarray(frame.camera_to_world).shape != (4, 4):
        raise InvalidArgumentError("intrinsics must be 3x3 and camera_to_world 4x4")
    if need_seg:
        if frame.seg is None:
            raise InvalidArgumentError(f"camera {frame.name!r} gave no segmentation; use the 'hsv' source")
        if np.asarray(frame.seg).shape != depth.shape:
            raise InvalidArgumentError(f"seg shape {np.asarray(frame.seg).shape} does not match depth {depth.shape}")


def backproject(frame: Frame) -> np.ndarray:
    """(H, W, 3) world coordinates of every pixel; NaN where the depth is missing or not positive."""
    depth = np.asarray(frame.depth, dtype=np.float64)
    h, w = depth.shape
    K = np.asarray(frame.intrinsics, dtype=np.float64)
    u, v = np.meshgrid(np.arange(w, dtype=np.float64), np.arange(h, dtype=np.float64))
    z = np.where(np.isfinite(depth) & (depth > 0), depth, np.nan)
    x = (u - K[0, 2]) * z / K[0, 0]
    y = (v - K[1, 2]) * z / K[1, 1]
    cam = np.stack([x, y, z], axis=-1)
    T = np.asarray(frame.camera_to_world, dtype=np.float64)
    return cam @ T[:3, :3].T + T[:3, 3]


def pixel_size(frame: Frame, points_cam_depth: float) -> float:
    """Approximate footprint (m) of one pixel at a depth: used to undo the half-pixel shrink of extents."""
    K = np.asarray(frame.intrinsics, dtype=np.float64)
    return float(points_cam_depth) / float(K[0, 0])


def block_box(points: np.ndarray, pixel: float) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """(bbox_min, bbox_max, yaw, whole_top) of a cube from its visible points (N, 3) in world
    coordinates; whole_top is False when the visible top is not a square (the block is covered)."""
    cv2 = require("cv2", "sim")
    top = _top_face(points)
    rect = cv2.minAreaRect((top[:, :2] * 1000.0).astype(np.float32))  # millimetres: cv2 wants pixels-ish units
    (cx, cy), (w, h), angle = rect
    w, h = w / 1000.0 + pixel, h / 1000.0 + pixel
    side = 0.5 * (w + h)
    corners = cv2.boxPoints(((cx, cy), (w * 1000.0, h * 1000.0), angle)) / 1000.0
    z_top = float(np.median(top[:, 2]))
    lo = np.array([corners[:, 0].min(), corners[:, 1].min(), z_top - side])
    hi = np.array([corners[:, 0].max(), corners[:, 1].max(), z_top])
    yaw = math.radians(angle)
    yaw = (yaw + math.pi / 4) % (math.pi / 2) - math.pi / 4
    whole_top = min(w, h) >= 0.75 * max(w, h) and max(w, h) >= 0.025
    return lo, hi, float(yaw), bool(whole_top)


def bowl_box(points: np.ndarray, pixel: float, table_z: float) -> tuple[np.ndarray, np.ndarray]:
    """(bbox_min, bbox_max) of a bowl standing on the table from its visible points (rim and inside)."""
    xy = points[:, :2]
    lo_xy = np.percentile(xy, 0.2, axis=0) - pixel / 2
    hi_xy = np.percentile(xy, 99.8, axis=0) + pixel / 2
    z_top = float(np.percentile(points[:, 2], 99.5))
    return np.array([lo_xy[0], lo_xy[1], table_z]), np.array([hi_xy[0], hi_xy[1], z_top])


def _top_face(points: np.ndarray) -> np.ndarray:
    z_max = float(np.percentile(points[:, 2], 99.0))
    top = points[points[:, 2] >= z_max - TOP_FACE_BAND]
    return top if len(top) >= 3 else points


def object_info(name: str, kind: str, color: str, points: np.ndarray, pixel: float, table_z: float,
                score: float = 1.0) -> ObjectInfo:
    """An ObjectInfo from the world points one object's pixels back-project to."""
    whole = True
    if kind == "bowl":
        lo, hi = bowl_box(points, pixel, table_z)
        yaw = 0.0
    else:
        lo, hi, yaw, whole = block_box(points, pixel)
    # A covered block is scored lower so `complete_stacks` knows to rebuild it from the block above.
    return _info(name, kind, color, lo, hi, yaw, score if whole else min(score, COVERED_SCORE))


COVERED_SCORE = 0.5


def _info(name, kind, color, lo, hi, yaw, score) -> ObjectInfo:
    centre = (np.asarray(lo) + np.asarray(hi)) / 2
    return ObjectInfo(name=name, kind=kind, color=color, position=tuple(float(v) for v in centre),
                      bbox_min=tuple(float(v) for v in lo), bbox_max=tuple(float(v) for v in hi),
                      yaw=float(yaw), visible=True, score=float(score))


def complete_stacks(objects: list[ObjectInfo], table_z: float) -> list[ObjectInfo]:
    """Rebuild blocks hidden under other blocks: a camera above a stack sees only slivers of the lower
    blocks' sides, so a covered block is placed right under the block above it (stacks are built
    aligned), one block size lower, down to the table."""
    out = {o.name: o for o in objects}
    blocks = sorted((o for o in objects if o.kind == "block"), key=lambda o: -o.bbox_max[2])
    placed: list[ObjectInfo] = []  # blocks already final, highest first
    for o in blocks:
        if o.score > COVERED_SCORE:
            placed.append(o)
            continue
        above = [u for u in placed if u.bbox_min[2] > table_z + 0.01
                 and abs(u.position[0] - o.position[0]) < 0.04 and abs(u.position[1] - o.position[1]) < 0.04]
        if not above:
            placed.append(o)
            continue
        u = min(above, key=lambda b: b.bbox_min[2])  # the block resting directly on this one
        side = u.bbox_max[2] - u.bbox_min[2]
        top = u.bbox_min[2]
        bottom = max(table_z, top - side)
        half = np.subtract(u.bbox_max[:2], u.bbox_min[:2]) / 2
        lo = [u.position[0] - half[0], u.position[1] - half[1], bottom]
        hi = [u.position[0] + half[0], u.position[1] + half[1], top]
        out[o.name] = _info(o.name, o.kind, o.color, lo, hi, u.yaw, COVERED_SCORE)
        placed.append(out[o.name])
    return [out[o.name] for o in objects]
