"""Model-backed perception: the transformers detector behind primitives' `Detector` seam, and a
`Perception` source over any frame supplier (a camera, an image file, a ROS 2 topic).

With depth, boxes (or SAM masks) become world boxes through `codebot.primitives.perception.model`'s lifting,
the same as the other perception sources, so comparisons measure detection rather than geometry.
Without depth (plain image files), positions come from the box's rays meeting the table plane.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from codebot.vision.geometry import lift_box
from codebot.primitives.perception.model import Detection as SeamDetection
from codebot.primitives.perception.model import default_queries, objects_from_detections
from codebot.primitives.colors import COLORS
from codebot.primitives.protocols import Camera, Frame, ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace


def split_label(label: str) -> tuple[str, str]:
    """(colour, kind) of an open-vocabulary label: 'red cup' -> ('red', 'cup'); colour '' when unknown."""
    words = label.split()
    color = words[0] if len(words) > 1 and words[0] in COLORS else ""
    return color, (words[-1] if words else "")


def default_vocabulary() -> list[str]:
    """'<colour> <kind>' for every colour and kind: the names sim and ground truth use."""
    return default_queries()


class ModelDetector:
    """`codebot.primitives.perception.model.Detector` backed by the OWL detector (and SAM masks when a segmenter
    is given). Registered as detector "owl"; built with no arguments it loads the configured models
    (CODEBOT_VISION_DETECTOR / CODEBOT_VISION_SEGMENTER or the default hub ids, offline)."""

    def __init__(self, detector=None, segmenter=None, threshold: float = 0.05, device: str = "auto"):
        if detector is None or isinstance(detector, str):
            from codebot.vision.service import VisionModels

            models = VisionModels.load({"detector": detector} if detector else None, device=device)
            detector, segmenter = models.detector, segmenter or models.segmenter
        self.detector = detector
        self.segmenter = segmenter
        self.threshold = float(threshold)

    def detect(self, rgb: np.ndarray, queries: Sequence[str]) -> list[SeamDetection]:
        return self.detect_batch([rgb], queries)[0]

    def detect_batch(self, images: Sequence[np.ndarray], queries: Sequence[str]) -> list[list[SeamDetection]]:
        """One batched detector pass over `images`; masks per image when a segmenter is set."""
        found = self.detector.detect(list(images), list(queries), threshold=self.threshold)
        out = []
        for rgb, dets in zip(images, found):
            masks = [None] * len(dets)
            if self.segmenter is not None and dets:
                masks = list(self.segmenter.segment(rgb, [d.box for d in dets])[0])
            out.append([SeamDetection(d.label, d.box, d.score, m) for d, m in zip(dets, masks)])
        return out


class ModelPerception:
    """Perception from a `ModelDetector` on frames from `camera` (a Camera or a zero-argument callable).

    Keeps the best detection per name (core primitives look objects up by name)."""

    def __init__(self, camera: Camera | Callable[[], Frame], detector: ModelDetector,
                 vocabulary: Sequence[str] | None = None, threshold: float = 0.1,
                 workspace: Workspace = DEFAULT_WORKSPACE, min_pixels: int = 15):
        self._capture = camera.capture if hasattr(camera, "capture") else camera
        self.detector = detector
        self.vocabulary = list(vocabulary) if vocabulary else default_vocabulary()
        self.threshold = float(threshold)
        self.workspace = workspace
        self.min_pixels = int(min_pixels)
        self.last_detections: list[SeamDetection] = []  # behind the last objects returned (annotation)

    def objects(self) -> list[ObjectInfo]:
        return self.objects_in(self._capture())

    def objects_in(self, frame: Frame) -> list[ObjectInfo]:
        return self.objects_batch([frame])[0]

    def objects_batch(self, frames: Sequence[Frame]) -> list[list[ObjectInfo]]:
        """One batched detector pass over many frames, then per-frame lifting to the world."""
        found = self.detector.detect_batch([f.rgb for f in frames], self.vocabulary)
        return [self._lift(frame, dets) for frame, dets in zip(frames, found)]

    def _lift(self, frame: Frame, detections: list[SeamDetection]) -> list[ObjectInfo]:
        best: dict[str, SeamDetection] = {}
        for d in sorted(detections, key=lambda d: -d.score):
            if d.score >= self.threshold:
                best.setdefault(d.label, d)
        self.last_detections = list(best.values())
        if _has_depth(frame):
            return objects_from_detections(frame, self.last_detections, self.workspace,
                                           score_threshold=self.threshold, min_pixels=self.min_pixels)
        out = []
        for d in self.last_detections:
            wb = lift_box(frame, d.box, mask=d.mask, table_z=self.workspace.table_z)
            color, kind = split_label(d.label)
            out.append(ObjectInfo(name=d.label, kind=kind, color=color, position=wb.position,
                                  bbox_min=wb.bbox_min, bbox_max=wb.bbox_max, score=float(d.score)))
        return out


def _has_depth(frame: Frame) -> bool:
    depth = np.asarray(frame.depth) if frame.depth is not None else None
    return depth is not None and depth.ndim == 2 and bool(np.isfinite(depth).mean() > 0.5)
