"""Perception algorithms on synthetic RGB-D frames (no simulator): back-projection, boxes from
segmentation, HSV colour regions, and detections lifted to the world."""
import math

import numpy as np
import pytest

pytest.importorskip("cv2")

from codebot.primitives.colors import COLORS
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.perception import hsv, model, pointcloud, rgbd_seg
from codebot.primitives.protocols import Frame

W, H, F = 320, 240, 300.0
CAM_Z = 0.8


def top_down_frame(objects):
    """A camera 0.8 m above (0, -0.5) looking straight down; `objects` are (name, centre xy, side,
    height, yaw) boxes standing on the table. Renders depth, colour and seg by ray casting."""
    K = np.array([[F, 0, W / 2], [0, F, H / 2], [0, 0, 1]])
    # OpenCV camera: x right, y down, z forward (= world -z); image x = world x, image y = world -y.
    T = np.eye(4)
    T[:3, :3] = np.array([[1, 0, 0], [0, -1, 0], [0, 0, -1]])
    T[:3, 3] = [0.0, -0.5, CAM_Z]
    u, v = np.meshgrid(np.arange(W) + 0.0, np.arange(H) + 0.0)
    depth = np.full((H, W), CAM_Z, np.float32)
    rgb = np.full((H, W, 3), 235, np.uint8)
    seg = np.full((H, W), -1, np.int32)
    labels = {}
    for i, (name, (cx, cy), side, height, yaw) in enumerate(objects):
        d = CAM_Z - height
        x = (u - W / 2) * d / F + 0.0
        y = -(v - H / 2) * d / F - 0.5
        c, s = math.cos(-yaw), math.sin(-yaw)
        lx, ly = c * (x - cx) - s * (y - cy), s * (x - cx) + c * (y - cy)
        inside = (np.abs(lx) <= side / 2) & (np.abs(ly) <= side / 2) & (d < depth)
        depth[inside] = d
        rgb[inside] = COLORS[name.split()[0]]
        seg[inside] = i
        labels[i] = name
    return Frame(rgb=rgb, depth=depth, intrinsics=K, camera_to_world=T, seg=seg, seg_labels=labels)


def test_backproject_recovers_the_table_plane():
    frame = top_down_frame([])
    pts = pointcloud.backproject(frame)
    assert np.allclose(pts[..., 2], 0.0, atol=1e-6)
    assert np.allclose(pts[H // 2, W // 2], [0.0, -0.5, 0.0], atol=2e-3)


SCENE = [("red block", (-0.1, -0.45), 0.04, 0.04, 0.3), ("blue block", (0.12, -0.6), 0.04, 0.04, -0.2),
         ("green block", (0.05, -0.4), 0.04, 0.04, 0.0)]


@pytest.mark.parametrize("module", [rgbd_seg, hsv], ids=["rgbd_seg", "hsv"])
def test_block_boxes_from_a_frame(module):
    found = {o.name: o for o in module.objects_from_frame(top_down_frame(SCENE))}
    assert set(found) == {name for name, *_ in SCENE}
    for name, (cx, cy), side, height, yaw in SCENE:
        o = found[name]
        assert np.linalg.norm(np.subtract(o.position, (cx, cy, height / 2))) < 0.005
        assert abs(((o.yaw - yaw) + math.pi / 4) % (math.pi / 2) - math.pi / 4) < 0.05
        assert o.kind == "block" and o.color == name.split()[0]


def test_hsv_tells_bowls_from_blocks_by_size():
    frame = top_down_frame([("orange block", (0.0, -0.45), 0.04, 0.04, 0.0),
                            ("purple block", (-0.15, -0.6), 0.12, 0.045, 0.0)])  # bowl-sized footprint
    kinds = {o.color: o.kind for o in hsv.objects_from_frame(frame)}
    assert kinds == {"orange": "block", "purple": "bowl"}


def test_frames_that_disagree_are_rejected():
    frame = top_down_frame(SCENE)
    frame.seg = None
    with pytest.raises(InvalidArgumentError, match="no segmentation"):
        rgbd_seg.objects_from_frame(frame)
    frame = top_down_frame(SCENE)
    frame.rgb = frame.rgb[:10]
    with pytest.raises(InvalidArgumentError, match="does not match"):
        hsv.objects_from_frame(frame)


class BoxesFromSegmentation:
    """A Detector for the test: answers each query with the box (or mask) of that label's pixels."""

    def __init__(self, frame, masks: bool):
        self.frame, self.masks = frame, masks

    def detect(self, rgb, queries):
        out = []
        for obj_id, name in self.frame.seg_labels.items():
            if name in queries:
                ys, xs = np.nonzero(self.frame.seg == obj_id)
                mask = self.frame.seg == obj_id if self.masks else None
                out.append(model.Detection(name, (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1), 0.9, mask))
        out.append(model.Detection("red block", (0, 0, 5, 5), 0.1))  # below threshold: ignored
        return out


@pytest.mark.parametrize("masks", [True, False])
def test_detections_are_lifted_to_world_boxes(masks):
    frame = top_down_frame(SCENE)
    detector = BoxesFromSegmentation(frame, masks)
    assert isinstance(detector, model.Detector)
    detections = detector.detect(frame.rgb, model.default_queries())
    found = {o.name: o for o in model.objects_from_detections(frame, detections)}
    for name, (cx, cy), side, height, yaw in SCENE:
        assert np.linalg.norm(np.subtract(found[name].position[:2], (cx, cy))) < 0.006
        assert found[name].score == pytest.approx(0.9)
