"""Perception from one RGB-D camera with a segmentation image: each labelled object's pixels are
back-projected through the depth and the intrinsics into world points, and a box is fitted to them."""
from __future__ import annotations


import numpy as np

from codebot.primitives.perception import pointcloud, views
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace


def split_name(name: str) -> tuple[str, str]:
    """'red block' -> ('red', 'block'); a name without a known kind is a block of that colour word."""
    words = name.split()
    if len(words) >= 2 and words[-1] in ("block", "bowl"):
        return " ".join(words[:-1]), words[-1]
    return (words[0] if words else ""), "block"


class SegmentationPerception(views.CameraPerception):
    """Objects from a camera's seg ids + depth. Objects with fewer than `min_pixels` visible pixels are
    left out (occluded or out of view)."""

    default_min_pixels = 15

    def objects_in_frame(self, frame) -> list[ObjectInfo]:
        return objects_from_frame(frame, self.workspace, self.min_pixels)


def objects_from_frame(frame, workspace: Workspace = DEFAULT_WORKSPACE, min_pixels: int = 15) -> list[ObjectInfo]:
    """Objects of one frame with segmentation (exposed for tests and offline frames)."""
    pointcloud.check_frame(frame, need_seg=True)
    points = pointcloud.backproject(frame)
    seg = np.asarray(frame.seg)
    depth = np.asarray(frame.depth, dtype=np.float64)
    out = []
    for obj_id, name in sorted(frame.seg_labels.items(), key=lambda kv: kv[1]):
        mask = (seg == obj_id) & np.isfinite(points[..., 2])
        if int(mask.sum()) < min_pixels:
            continue
        color, kind = split_name(name)
        pixel = pointcloud.pixel_size(frame, float(np.median(depth[mask])))
        out.append(pointcloud.object_info(name, kind, color, points[mask], pixel, workspace.table_z))
    return pointcloud.complete_stacks(out, workspace.table_z)
