"""The seam for model detectors (open-vocabulary detectors, segmenters): a `Detector` turns an RGB
image and text queries into pixel boxes (and optionally masks); `DetectorPerception` lifts them into
world boxes through the depth image, like the other sources. The vision extra registers detectors."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np

from codebot.primitives.colors import COLORS, OBJECT_KINDS
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.perception import pointcloud
from codebot.primitives.perception.rgbd_seg import split_name
from codebot.primitives.protocols import Camera, ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.registry import Registry


@dataclass(frozen=True)
class Detection:
    """One detected object in image coordinates."""

    label: str  # the query it answers, e.g. "red block"
    box: tuple[float, float, float, float]  # pixels: x0, y0, x1, y1
    score: float
    mask: np.ndarray | None = None  # (H, W) bool, when the model segments


@runtime_checkable
class Detector(Protocol):
    def detect(self, rgb: np.ndarray, queries: Sequence[str]) -> list[Detection]: ...


# name -> "package.module:Class" (the vision extra adds "owl"; plugins use the group "codebot.detectors").
DETECTORS = Registry("detector", "codebot.detectors", error=InvalidArgumentError)


def register_detector(name: str, entry_point: str, replace: bool = False) -> None:
    DETECTORS.register(name, entry_point, replace=replace)


def default_queries() -> list[str]:
    return [f"{color} {kind}" for kind in OBJECT_KINDS for color in COLORS]


class DetectorPerception:
    """Objects from a detector's boxes/masks on a camera's RGB, placed in the world with its depth."""

    def __init__(self, camera: Camera, detector: Detector, workspace: Workspace = DEFAULT_WORKSPACE,
                 queries: Sequence[str] | None = None, score_threshold: float = 0.3, min_pixels: int = 15):
        if not isinstance(detector, Detector):
            raise InvalidArgumentError(f"{type(detector).__name__} does not implement Detector.detect(rgb, queries)")
        self.camera, self.detector, self.workspace = camera, detector, workspace
        self.queries = list(queries) if queries else default_queries()
        self.score_threshold = float(score_threshold)
        self.min_pixels = int(min_pixels)

    @classmethod
    def from_backend(cls, backend: Any, detector: Detector | str | None = None, camera: str = "top",
                     **options: Any) -> "DetectorPerception":
        if detector is None:
            detector = backend.services.get("detector")
        if isinstance(detector, str):
            if detector not in DETECTORS and not len(DETECTORS):
                raise InvalidArgumentError(f"unknown detector {detector!r}; none registered: install codebot[vision]")
            detector = DETECTORS.get(detector)()
        if detector is None:
            raise InvalidArgumentError("the 'model' perception source needs a detector: pass detector=... or put "
                                       "one in Backend.services['detector'] (codebot[vision] provides them)")
        if camera not in backend.cameras:
            raise InvalidArgumentError(f"no camera {camera!r}; cameras: {', '.join(backend.cameras) or '(none)'}")
        return cls(backend.cameras[camera], detector, backend.workspace, **options)

    def objects(self) -> list[ObjectInfo]:
        frame = self.camera.capture()
        detections = self.detector.detect(np.asarray(frame.rgb), self.queries)
        return objects_from_detections(frame, detections, self.workspace, self.score_threshold, self.min_pixels)


def objects_from_detections(frame, detections: Sequence[Detection], workspace: Workspace = DEFAULT_WORKSPACE,
                            score_threshold: float = 0.3, min_pixels: int = 15) -> list[ObjectInfo]:
    """World boxes of detections: the masked (or boxed, above-table) pixels back-projected by depth."""
    pointcloud.check_frame(frame)
    points = pointcloud.backproject(frame)
    depth = np.asarray(frame.depth, dtype=np.float64)
    h, w = depth.shape
    above = np.isfinite(points[..., 2]) & (points[..., 2] > workspace.table_z + 0.004)
    best: dict[str, ObjectInfo] = {}
    for det in sorted(detections, key=lambda d: -d.score):
        if det.score < score_threshold or det.label in best:
            continue
        if det.mask is not None:
            pix = np.asarray(det.mask, dtype=bool) & above
        else:
            x0, y0, x1, y1 = (int(round(v)) for v in det.box)
            pix = np.zeros((h, w), dtype=bool)
            pix[max(0, y0):min(h, y1), max(0, x0):min(w, x1)] = True
            pix &= above
        if int(pix.sum()) < min_pixels:
            continue
        color, kind = split_name(det.label)
        pixel = pointcloud.pixel_size(frame, float(np.median(depth[pix])))
        best[det.label] = pointcloud.object_info(det.label, kind, color, points[pix], pixel, workspace.table_z,
                                                 score=float(det.score))
    return pointcloud.complete_stacks(list(best.values()), workspace.table_z)
