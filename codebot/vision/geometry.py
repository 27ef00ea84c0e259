"""From pixels to the world frame: depth back-projection through K (OpenCV convention: x right, y down,
z forward) and camera_to_world, or, without depth, the ray through a pixel meeting the table plane."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import Frame

# Points this far above the table count as object, not table (box-only lifting).
MIN_OBJECT_HEIGHT = 0.004
# Box-only lifting samples at most about this many pixels (stride) to stay cheap on big boxes.
MAX_SAMPLES = 4096


@dataclass(frozen=True)
class WorldBox:
    """Where a 2-D detection sits in the world: its 3-D box and how that was found."""

    position: tuple[float, float, float]  # centre of the box
    bbox_min: tuple[float, float, float]
    bbox_max: tuple[float, float, float]
    source: str  # "depth" | "table_plane"


def check_camera(K, camera_to_world) -> tuple[np.ndarray, np.ndarray]:
    K = np.asarray(K, dtype=float)
    T = np.asarray(camera_to_world, dtype=float)
    if K.shape != (3, 3) or not np.all(np.isfinite(K)) or K[0, 0] <= 0 or K[1, 1] <= 0:
        raise InvalidArgumentError("intrinsics must be a finite 3x3 K with positive focal lengths",
                                   shape=list(K.shape))
    if T.shape != (4, 4) or not np.all(np.isfinite(T)):
        raise InvalidArgumentError("camera_to_world must be a finite 4x4 matrix", shape=list(T.shape))
    return K, T


def pixels_to_camera(u: np.ndarray, v: np.ndarray, z: np.ndarray, K: np.ndarray) -> np.ndarray:
    """(N, 3) camera-frame points of pixel centres (u, v) at depths z (metres along the optical axis)."""
    x = (u - K[0, 2]) / K[0, 0] * z
    y = (v - K[1, 2]) / K[1, 1] * z
    return np.stack([x, y, z], axis=-1)


def camera_to_world_points(points: np.ndarray, T: np.ndarray) -> np.ndarray:
    return points @ T[:3, :3].T + T[:3, 3]


def pixel_ray(u: float, v: float, K: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """World-frame (origin, unit direction) of the ray through pixel (u, v)."""
    d_cam = np.array([(u - K[0, 2]) / K[0, 0], (v - K[1, 2]) / K[1, 1], 1.0])
    d = T[:3, :3] @ d_cam
    return T[:3, 3].copy(), d / np.linalg.norm(d)


def ray_hits_plane(origin: np.ndarray, direction: np.ndarray, z: float) -> np.ndarray | None:
    """Where the ray meets the horizontal plane at height z, or None when it points away or runs parallel."""
    if abs(direction[2]) < 1e-9:
        return None
    s = (z - origin[2]) / direction[2]
    return origin + s * direction if s > 0 else None


def world_points(frame: Frame, box=None, mask: np.ndarray | None = None, shrink: float = 0.0) -> np.ndarray:
    """(N, 3) world points with valid depth under `mask`, or inside `box` (x0, y0, x1, y1) shrunk by
    `shrink` (fraction of width/height taken off each side), sub-sampled to about MAX_SAMPLES."""
    K, T = check_camera(frame.intrinsics, frame.camera_to_world)
    depth = np.asarray(frame.depth, dtype=np.float32)
    h, w = depth.shape[:2]
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (h, w):
            raise InvalidArgumentError(f"mask of shape {mask.shape} does not match depth {depth.shape}")
        vs, us = np.nonzero(mask)
    else:
        x0, y0, x1, y1 = _pixel_box(box, w, h, shrink)
        step = max(1, int(np.sqrt((x1 - x0) * (y1 - y0) / MAX_SAMPLES)))
        vv, uu = np.mgrid[y0:y1:step, x0:x1:step]
        vs, us = vv.ravel(), uu.ravel()
    if len(vs) > MAX_SAMPLES * 2:
        pick = np.linspace(0, len(vs) - 1, MAX_SAMPLES * 2).astype(int)
        vs, us = vs[pick], us[pick]
    z = depth[vs, us].astype(float)
    ok = np.isfinite(z) & (z > 0)
    cam = pixels_to_camera(us[ok].astype(float), vs[ok].astype(float), z[ok], K)  # OpenCV: centres at integers
    return camera_to_world_points(cam, T)


def _pixel_box(box, w: int, h: int, shrink: float = 0.0) -> tuple[int, int, int, int]:
    b = np.asarray(box, dtype=float).reshape(-1)
    if b.shape != (4,) or not np.all(np.isfinite(b)):
        raise InvalidArgumentError("box must be 4 finite numbers (x0, y0, x1, y1)")
    x0, y0, x1, y1 = b
    if x0 >= w or y0 >= h or x1 <= 0 or y1 <= 0 or x1 <= x0 or y1 <= y0:
        raise InvalidArgumentError("box is empty inside the image", box=list(b), image_size=[w, h])
    dx, dy = (x1 - x0) * shrink, (y1 - y0) * shrink
    x0, x1 = int(np.clip(np.floor(x0 + dx), 0, w - 1)), int(np.clip(np.ceil(x1 - dx), 1, w))
    y0, y1 = int(np.clip(np.floor(y0 + dy), 0, h - 1)), int(np.clip(np.ceil(y1 - dy), 1, h))
    if x1 <= x0 or y1 <= y0:
        raise InvalidArgumentError("box is empty inside the image", box=list(b))
    return x0, y0, x1, y1


def lift_box(frame: Frame, box, mask: np.ndarray | None = None, table_z: float = 0.0) -> WorldBox:
    """The 3-D box of a detection. With depth: the robust extent (1st-99th percentile, widened by half a
    pixel) of the object's points (mask pixels, or box pixels standing above the table), extruded down
    to the table since objects rest on it. Without usable depth: rays through the box's corners and
    centre meet the table plane."""
    points = _object_points(frame, box, mask, table_z) if _has_depth(frame) else np.zeros((0, 3))
    if len(points) >= 3:
        lo = np.percentile(points, 1, axis=0)
        hi = np.percentile(points, 99, axis=0)
        # Pixel centres sit half a pixel inside the object's outline: widen x/y by that footprint.
        K, T = check_camera(frame.intrinsics, frame.camera_to_world)
        cam_depth = float(np.median((points - T[:3, 3]) @ T[:3, 2]))
        half_pixel = 0.5 * cam_depth / K[0, 0]
        lo[:2] -= half_pixel
        hi[:2] += half_pixel
        lo[2] = min(lo[2], table_z)
        centre = (lo + hi) / 2
        return WorldBox(_t(centre), _t(lo), _t(hi), "depth")
    return _on_table(frame, box, mask, table_z)


def _has_depth(frame: Frame) -> bool:
    depth = getattr(frame, "depth", None)
    return depth is not None and np.ndim(depth) == 2 and bool(np.any(np.isfinite(depth) & (depth > 0)))


def _object_points(frame: Frame, box, mask, table_z: float) -> np.ndarray:
    if mask is not None and np.any(mask):
        return world_points(frame, mask=mask)
    pts = world_points(frame, box=box)
    above = pts[pts[:, 2] > table_z + MIN_OBJECT_HEIGHT]
    # A flat object (or a box on the bare table) has nothing above the table: keep the inner half.
    return above if len(above) >= 3 else world_points(frame, box=box, shrink=0.25)


def _on_table(frame: Frame, box, mask, table_z: float) -> WorldBox:
    K, T = check_camera(frame.intrinsics, frame.camera_to_world)
    if box is None:
        vs, us = np.nonzero(np.asarray(mask, dtype=bool))
        if len(vs) == 0:
            raise InvalidArgumentError("empty mask: nothing to locate")
        box = (us.min(), vs.min(), us.max() + 1, vs.max() + 1)
    x0, y0, x1, y1 = (float(v) for v in np.asarray(box, dtype=float).reshape(4))
    # Detector boxes use edge coordinates (pixel i spans [i, i+1)); K uses centres at integers.
    x0, y0, x1, y1 = x0 - 0.5, y0 - 0.5, x1 - 0.5, y1 - 0.5
    hits = [ray_hits_plane(*pixel_ray(u, v, K, T), table_z)
            for u, v in ((x0, y0), (x1, y0), (x0, y1), (x1, y1), ((x0 + x1) / 2, (y0 + y1) / 2))]
    hits = [h for h in hits if h is not None]
    if not hits:
        raise InvalidArgumentError("the detection's pixels never meet the table plane: the camera pose "
                                   "(camera_to_world) cannot see the table", box=[x0, y0, x1, y1])
    pts = np.array(hits)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    return WorldBox(_t(pts[-1]), _t(lo), _t(hi), "table_plane")


def _t(v) -> tuple[float, float, float]:
    return tuple(float(x) for x in np.asarray(v, dtype=float)[:3])


def look_at(eye, target, up=(0.0, 1.0, 0.0)) -> np.ndarray:
    """camera_to_world (OpenCV axes: z forward, y down) of a camera at `eye` looking at `target`."""
    eye, target, up = (np.asarray(v, dtype=float) for v in (eye, target, up))
    z = target - eye
    z /= np.linalg.norm(z)
    x = np.cross(z, up)
    if np.linalg.norm(x) < 1e-9:  # looking along `up`: pick another
        x = np.cross(z, (1.0, 0.0, 0.0) if abs(z[0]) < 0.9 else (0.0, 1.0, 0.0))
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    T = np.eye(4)
    T[:3, 0], T[:3, 1], T[:3, 2], T[:3, 3] = x, y, z, eye
    return T


def intrinsics_from_fov(width: int, height: int, fov_y_deg: float = 45.0) -> np.ndarray:
    """Pinhole K with square pixels and the principal point at the image centre (OpenCV: pixel centres
    at integer coordinates)."""
    f = height / 2 / np.tan(np.radians(fov_y_deg) / 2)
    return np.array([[f, 0, (width - 1) / 2], [0, f, (height - 1) / 2], [0, 0, 1]], dtype=float)
