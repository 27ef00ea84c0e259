"""A model-backed `Perception` source: an open-vocabulary detector over a camera frame, boxes lifted to
world coordinates (depth + K, optionally through SAM masks), objects named '<colour> <kind>'."""
from __future__ import annotations

from typing import Callable, Protocol, Sequence, runtime_checkable

import numpy as np

from codebot.vision.geometry import lift_box
from primitives.colors import COLORS, OBJECT_KINDS
from primitives.protocols import Camera, Frame, ObjectInfo


@runtime_checkable
class Detector(Protocol):
    """What a model perception source needs from a detector: per image, labelled pixel boxes."""

    def detect(self, images, queries, threshold: float = 0.1) -> list[list]: ...


def default_vocabulary(colors: Sequence[str] = tuple(COLORS), kinds: Sequence[str] = OBJECT_KINDS) -> list[str]:
    """'<colour> <kind>' for every colour and kind, the names sim and ground truth use."""
    return [f"{c} {k}" for k in kinds for c in colors]


def split_name(label: str) -> tuple[str, str]:
    """(colour, kind) of a label like 'red block'; colour '' when the first word is not a known colour."""
    words = label.split()
    color = words[0] if len(words) > 1 and words[0] in COLORS else ""
    return color, (words[-1] if words else "")


class ModelPerception:
    """Perception from a detector on frames of `camera` (or any zero-argument frame supplier).

    `unique_names`: keep only the best detection per name, as the core primitives look objects up by
    name; `segmenter` (optional BoxSegmenter) refines each box to a mask before lifting it to 3-D.
    """

    def __init__(self, camera: Camera | Callable[[], Frame], detector: Detector,
                 vocabulary: Sequence[str] | None = None, threshold: float = 0.1, table_z: float = 0.0,
                 segmenter=None, unique_names: bool = True):
        self._capture = camera.capture if hasattr(camera, "capture") else camera
        self.detector = detector
        self.vocabulary = list(vocabulary) if vocabulary else default_vocabulary()
        self.threshold = float(threshold)
        self.table_z = float(table_z)
        self.segmenter = segmenter
        self.unique_names = unique_names
        self.last_detections: list = []  # pixel detections behind the last objects returned (annotation)

    def objects(self) -> list[ObjectInfo]:
        return self.objects_in(self._capture())

    def objects_in(self, frame: Frame) -> list[ObjectInfo]:
        return self.objects_batch([frame])[0]

    def objects_batch(self, frames: Sequence[Frame]) -> list[list[ObjectInfo]]:
        """One detector pass over many frames (batched), then per-frame lifting to the world."""
        found = self.detector.detect([f.rgb for f in frames], self.vocabulary, threshold=self.threshold)
        return [self._lift(frame, dets) for frame, dets in zip(frames, found)]

    def _lift(self, frame: Frame, detections) -> list[ObjectInfo]:
        if self.unique_names:
            best: dict[str, object] = {}
            for d in detections:  # detections arrive best first
                best.setdefault(d.label, d)
            detections = list(best.values())
        self.last_detections = list(detections)
        masks = [None] * len(detections)
        if self.segmenter is not None and detections:
            masks = list(self.segmenter.segment(frame.rgb, [d.box for d in detections])[0])
        out = []
        for d, mask in zip(detections, masks):
            if mask is not None and not np.any(mask):
                mask = None
            wb = lift_box(frame, d.box, mask=mask, table_z=self.table_z)
            color, kind = split_name(d.label)
            out.append(ObjectInfo(name=d.label, kind=kind, color=color, position=wb.position,
                                  bbox_min=wb.bbox_min, bbox_max=wb.bbox_max, score=float(d.score)))
        return out
