"""Pinhole RGB-D cameras rendered with PyBullet's CPU renderer (no display needed)."""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import Frame


class SimCamera:
    """Implements `codebot.primitives.protocols.Camera`: capture() -> Frame with RGB, depth in metres along the
    optical axis, segmentation by object id and the intrinsics/extrinsics in the OpenCV convention."""

    def __init__(self, world, name: str, eye, target, up, fov_deg: float, size=(640, 480),
                 near: float = 0.05, far: float = 3.0, labels: Callable[[], dict[int, str]] = dict):
        width, height = _check_size(size)
        self.world, self.name, self.width, self.height = world, name, width, height
        self.eye, self.target, self.up = (np.asarray(v, dtype=float) for v in (eye, target, up))
        self.fov_deg, self.near, self.far = float(fov_deg), float(near), float(far)
        self._labels = labels
        p = world.p
        self._view = p.computeViewMatrix(self.eye.tolist(), self.target.tolist(), self.up.tolist())
        self._proj = p.computeProjectionMatrixFOV(self.fov_deg, width / height, self.near, self.far)

    @property
    def intrinsics(self) -> np.ndarray:
        fy = self.height / 2.0 / math.tan(math.radians(self.fov_deg) / 2.0)
        return np.array([[fy, 0.0, (self.width - 1) / 2.0], [0.0, fy, (self.height - 1) / 2.0], [0.0, 0.0, 1.0]])

    @property
    def camera_to_world(self) -> np.ndarray:
        z = self.target - self.eye
        z /= np.linalg.norm(z)
        x = np.cross(z, self.up)
        x /= np.linalg.norm(x)
        y = np.cross(z, x)
        pose = np.eye(4)
        pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = x, y, z, self.eye
        return pose

    def render(self, segmentation: bool = True):
        p = self.world.p
        flags = 0 if segmentation else p.ER_NO_SEGMENTATION_MASK
        _, _, rgba, depth_buf, seg = p.getCameraImage(
            self.width, self.height, self._view, self._proj, renderer=p.ER_TINY_RENDERER, flags=flags,
            physicsClientId=self.world.client)
        rgb = np.asarray(rgba, dtype=np.uint8).reshape(self.height, self.width, 4)[:, :, :3].copy()
        return rgb, depth_buf, seg

    def capture(self) -> Frame:
        rgb, depth_buf, seg_buf = self.render(segmentation=True)
        d = np.asarray(depth_buf, dtype=np.float64).reshape(self.height, self.width)
        depth = (self.far * self.near / (self.far - (self.far - self.near) * d)).astype(np.float32)
        labels = self._labels()
        seg = np.asarray(seg_buf, dtype=np.int64).reshape(self.height, self.width)
        seg = np.where(np.isin(seg, list(labels)), seg, -1).astype(np.int32)
        return Frame(rgb=rgb, depth=depth, intrinsics=self.intrinsics, camera_to_world=self.camera_to_world,
                     seg=seg, seg_labels=dict(labels), name=self.name, stamp=self.world.time)

    def rgb(self) -> np.ndarray:
        return self.render(segmentation=False)[0]


def _check_size(size) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
        ok = all(float(v) == int(v) for v in size)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"render_size must be (width, height) integers, got {size!r}") from None
    if not ok or not (16 <= width <= 4096 and 16 <= height <= 4096):
        raise InvalidArgumentError(f"render_size must be two integers in [16, 4096], got {size!r}",
                                   size=repr(size))
    return width, height


def tabletop_cameras(world, size, labels, workspace) -> dict[str, SimCamera]:
    """A top-down camera above the workspace centre and a front camera facing the robot."""
    cx, cy = (workspace.x[0] + workspace.x[1]) / 2, (workspace.y[0] + workspace.y[1]) / 2
    top = SimCamera(world, "top", eye=(cx, cy, 1.0), target=(cx, cy, 0.0), up=(0.0, 1.0, 0.0),
                    fov_deg=45.0, size=size, labels=labels)
    front = SimCamera(world, "front", eye=(cx, cy - 0.85, 0.65), target=(cx, cy + 0.05, 0.05),
                      up=(0.0, 0.0, 1.0), fov_deg=50.0, size=size, labels=labels)
    return {"top": top, "front": front}
