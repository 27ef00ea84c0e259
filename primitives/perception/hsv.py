"""Colour segmentation for cameras without segmentation ids (real cameras): table pixels are removed by
depth, the rest are labelled with the nearest palette colour in HSV, and each connected colour region
becomes a block or a bowl by its size on the table (blocks 4 cm, bowls 12 cm). A same-coloured block
standing in a bowl is found as a raised plateau in the bowl's middle."""
from __future__ import annotations


import numpy as np

from codebot.extras import require
from codebot.primitives.colors import COLORS
from codebot.primitives.perception import pointcloud, views
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace

ABOVE_TABLE = 0.004  # pixels lower than this over the table are table
MAX_HEIGHT = 0.25  # pixels higher than this over the table are the robot, not objects
BLOCK_SIZE = (0.025, 0.075)  # footprint extent (m) that makes a region a block
BOWL_SIZE = (0.075, 0.2)  # ... a bowl
MAX_COLOR_DISTANCE = 0.3  # farther than this from every palette colour: not an object
VALUE_WEIGHT = 0.25  # brightness matters less than hue/saturation (shading changes it)


def hsv_features(rgb: np.ndarray) -> np.ndarray:
    """(..., 4) features: saturation-weighted hue on the unit circle, saturation, weighted value."""
    rgb = np.asarray(rgb, dtype=np.float32) / 255.0
    mx, mn = rgb.max(axis=-1), rgb.min(axis=-1)
    delta = mx - mn
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    safe = np.where(delta > 1e-6, delta, 1.0)
    hue = np.where(mx == r, ((g - b) / safe) % 6, np.where(mx == g, (b - r) / safe + 2, (r - g) / safe + 4))
    hue = np.where(delta > 1e-6, hue * (np.pi / 3), 0.0)
    sat = np.where(mx > 1e-6, delta / np.where(mx > 1e-6, mx, 1.0), 0.0)
    return np.stack([sat * np.cos(hue), sat * np.sin(hue), sat, VALUE_WEIGHT * mx], axis=-1)


PALETTE_NAMES = list(COLORS)
PALETTE = hsv_features(np.array([COLORS[c] for c in PALETTE_NAMES], dtype=np.uint8))


def label_colors(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(H, W) palette index per masked pixel; -1 for unmasked pixels or colours far from the palette."""
    feats = hsv_features(rgb[..., :3])
    labels = np.full(mask.shape, -1, dtype=np.int32)
    f = feats[mask]
    d = np.linalg.norm(f[:, None, :] - PALETTE[None, :, :], axis=-1)
    best = np.argmin(d, axis=1)
    best[d[np.arange(len(best)), best] > MAX_COLOR_DISTANCE] = -1
    labels[mask] = best
    return labels


class HsvPerception(views.CameraPerception):
    """Objects from a camera's RGB + depth only (no segmentation ids)."""

    default_min_pixels = 20

    def objects_in_frame(self, frame) -> list[ObjectInfo]:
        return objects_from_frame(frame, self.workspace, self.min_pixels)


def objects_from_frame(frame, workspace: Workspace = DEFAULT_WORKSPACE, min_pixels: int = 20) -> list[ObjectInfo]:
    """Blocks and bowls found by colour in one RGB-D frame."""
    cv2 = require("cv2", "sim")
    pointcloud.check_frame(frame)
    points = pointcloud.backproject(frame)
    depth = np.asarray(frame.depth, dtype=np.float64)
    z = points[..., 2] - workspace.table_z
    margin = 0.07  # a bowl at the workspace edge sticks out by its radius (6 cm)
    mask = (np.isfinite(z) & (z > ABOVE_TABLE) & (z < MAX_HEIGHT)
            & (points[..., 0] > workspace.x[0] - margin) & (points[..., 0] < workspace.x[1] + margin)
            & (points[..., 1] > workspace.y[0] - margin) & (points[..., 1] < workspace.y[1] + margin))
    labels = label_colors(np.asarray(frame.rgb), mask)
    found: dict[tuple[str, str], ObjectInfo] = {}
    sizes: dict[tuple[str, str], int] = {}
    kernel = np.ones((3, 3), np.uint8)
    for index, color in enumerate(PALETTE_NAMES):
        region = (labels == index).astype(np.uint8)
        if int(region.sum()) < min_pixels:
            continue
        region = cv2.morphologyEx(region, cv2.MORPH_OPEN, kernel)  # drop anti-aliased edge speckle
        count, comp = cv2.connectedComponents(region, connectivity=8)
        for c in range(1, count):
            pix = comp == c
            n = int(pix.sum())
            if n < min_pixels:
                continue
            pts = points[pix]
            extent = float(np.max(np.percentile(pts[:, :2], 99, axis=0) - np.percentile(pts[:, :2], 1, axis=0)))
            pixel = pointcloud.pixel_size(frame, float(np.median(depth[pix])))
            if BOWL_SIZE[0] <= extent <= BOWL_SIZE[1]:
                if not _round_enough(pts):
                    continue  # an arm link or a shadowed strip, not a bowl
                candidates = [("bowl", pts)]
                inner = _block_in_bowl(pts, workspace.table_z)
                if inner is not None:
                    candidates.append(("block", inner))
            elif BLOCK_SIZE[0] <= extent < BLOCK_SIZE[1]:
                if not _block_like(pts):
                    continue
                candidates = [("block", pts)]
            else:
                continue
            for kind, obj_pts in candidates:
                key = (color, kind)
                # Colours are unique per kind in a scene: keep the largest region of each.
                if sizes.get(key, 0) >= len(obj_pts):
                    continue
                sizes[key] = len(obj_pts)
                found[key] = pointcloud.object_info(f"{color} {kind}", kind, color, obj_pts, pixel,
                                                    workspace.table_z)
    objects = pointcloud.complete_stacks([found[k] for k in sorted(found, key=lambda k: (k[1], k[0]))],
                                         workspace.table_z)
    # Objects stand inside the workspace; a match outside it is a robot part or clutter.
    return [o for o in objects if workspace.contains((o.position[0], o.position[1], workspace.table_z), margin=0.02)]


def _round_enough(pts: np.ndarray) -> bool:
    """A bowl seen from any of our cameras has a near-square footprint box."""
    ext = np.percentile(pts[:, :2], 99, axis=0) - np.percentile(pts[:, :2], 1, axis=0)
    return float(ext.min()) >= 0.75 * float(ext.max())


def _block_like(pts: np.ndarray) -> bool:
    """A block region is compact (not a long thin arm link) and holds some flat top surface
    (or is a sliver of a covered block, which `complete_stacks` rebuilds)."""
    ext = np.percentile(pts[:, :2], 99, axis=0) - np.percentile(pts[:, :2], 1, axis=0)
    return float(ext.max()) <= 0.075 and float(pts[:, 2].max()) - float(pts[:, 2].min()) <= 0.2


def _block_in_bowl(pts: np.ndarray, table_z: float) -> np.ndarray | None:
    """Points of a same-coloured block standing in a bowl: a plateau in the bowl's middle that rises
    far above the bowl floor (an empty bowl's middle is its floor, ~6 mm up)."""
    lo, hi = np.percentile(pts[:, :2], 1, axis=0), np.percentile(pts[:, :2], 99, axis=0)
    centre = (lo + hi) / 2
    r = np.linalg.norm(pts[:, :2] - centre, axis=1)
    middle = pts[r < 0.02]
    if len(middle) < 10 or float(np.median(middle[:, 2])) < table_z + 0.025:
        return None
    plateau = pts[(r < 0.045) & (pts[:, 2] > table_z + 0.025)]
    return plateau if len(plateau) >= 10 else None
