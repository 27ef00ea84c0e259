"""The `vision` dispatch target: a perception program runs on an image file, a directory of images or
a ROS 2 image topic, with the vision primitives and a model-backed Perception bound.

Config (JSON-able; every key optional except one input):
  image: file or directory | topic: "/camera/image_raw" (+ depth_topic, camera_info_topic, domain_id,
  timeout_s); index: which image of a directory; depth: .npy (m) / 16-bit PNG (mm) file or directory;
  intrinsics (3x3) | fov_deg; camera_to_world (4x4, OpenCV axes); table_z;
  models: {"detector": dir | hub id, "matcher": ..., "segmenter": ...}; device ("auto"); half (True);
  allow_download (False); cache_dir (Hugging Face cache); batch_size (8); threshold (0.1);
  vocabulary (names observe() looks for);
  segment_objects (False: refine observe() boxes with SAM); annotated_path | output_dir.

The program's `result` variable is the structured answer (the sandbox returns it); the annotated image
is rewritten after every vision primitive call and every observe(); `artifacts()` names it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import codebot.vision.primitives  # noqa: F401  (registers the "vision" primitive group)
from codebot.vision import annotate
from codebot.vision.no_robot import NoRobot
from codebot.vision.perception import ModelDetector, ModelPerception
from codebot.vision.service import SERVICE_NAME, VisionModels, VisionService
from codebot.vision.sources import FileSource, open_source
from codebot.primitives.context import Backend
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace

DEFAULT_OUTPUT_DIR = "codebot_vision"
_MODEL_KEYS = ("models", "device", "half", "allow_download", "batch_size", "cache_dir")
_SOURCE_KEYS = ("image", "topic", "depth", "depth_topic", "camera_info_topic", "domain_id", "intrinsics",
                "fov_deg", "camera_to_world", "timeout_s")


class _FramePerception:
    """Perception of the service's current frame, computed once per frame (observe() runs twice a run)."""

    def __init__(self, service: VisionService, model_perception: ModelPerception):
        self.service = service
        self.model_perception = model_perception
        self._frame_id: int | None = None
        self._objects: list[ObjectInfo] = []

    def objects(self) -> list[ObjectInfo]:
        frame = self.service.frame()
        if self._frame_id != id(frame):
            self._objects = self.model_perception.objects_in(frame)
            self._frame_id = id(frame)
        return list(self._objects)


class VisionTarget:
    groups = ("core", "vision")
    primitive_modules = ("codebot.vision.primitives",)

    def __init__(self, config: dict):
        self.config = dict(config)
        self.source = open_source(self.config)
        try:
            self._load_models()
        except BaseException:
            self.source.close()
            raise
        self._backend: Backend | None = None
        self.annotated_path: str | None = None

    # ----------------------------------------------------------------------------------- set-up
    def _load_models(self) -> None:
        c = self.config
        self.models = VisionModels.load(c.get("models"), device=c.get("device", "auto"), half=c.get("half", True),
                                        allow_download=c.get("allow_download"), batch_size=int(c.get("batch_size", 8)),
                                        cache_dir=c.get("cache_dir"))
        self.workspace = Workspace(table_z=float(c.get("table_z", DEFAULT_WORKSPACE.table_z)))
        threshold = float(c.get("threshold", 0.1))
        self.service = VisionService(self.models, self.source.capture, table_z=self.workspace.table_z,
                                     threshold=threshold, on_update=self._write_annotation)
        detector = ModelDetector(self.models.detector or _NoDetector(),
                                 segmenter=self.models.segmenter if c.get("segment_objects") else None,
                                 threshold=threshold)
        perception = ModelPerception(self.service.frame, detector, vocabulary=c.get("vocabulary"),
                                     threshold=threshold, workspace=self.workspace)
        self.perception = _FramePerception(self.service, perception)
        self._warm_up()

    def _warm_up(self) -> None:
        """One tiny inference now, so torch's thread pools and lazy kernels exist before the sandbox sets
        its process and memory limits."""
        import numpy as np

        blank = np.zeros((32, 32, 3), dtype=np.uint8)
        if self.models.detector is not None:
            self.models.detector.detect([blank], ["object"], threshold=0.99)
        if self.models.matcher is not None:
            self.models.matcher.probabilities([blank], ["a", "b"])

    # ------------------------------------------------------------------------------- the protocol
    def backend(self) -> Backend:
        """A fresh frame for this run and the backend bound while the program runs."""
        self.service.refresh()
        self._backend = Backend(robot=NoRobot(), perception=self.perception, workspace=self.workspace,
                                cameras={"input": self.source}, services={SERVICE_NAME: self.service})
        return self._backend

    def observe(self) -> list[ObjectInfo]:
        objects = self.perception.objects()
        self._write_annotation(self.service, objects)
        return objects

    def reset(self, config: dict) -> None:
        merged = {**self.config, **config}
        source_changed = any(merged.get(k) != self.config.get(k) for k in _SOURCE_KEYS)
        models_changed = any(merged.get(k) != self.config.get(k) for k in _MODEL_KEYS)
        self.config = merged
        if source_changed:
            self.source.close()
            self.source = open_source(merged)
        elif isinstance(self.source, FileSource) and "index" in config:
            self.source.select(int(merged["index"]))
        if source_changed or models_changed or any(k in config for k in ("threshold", "vocabulary", "table_z")):
            self._load_models()  # cached models make this cheap unless the models themselves changed
        self.service.refresh()

    def close(self) -> None:
        self.source.close()

    # --------------------------------------------------------------------------------- extras
    def image_count(self) -> int:
        """Images this target steps through with reset({"index": i}) (1 for a topic)."""
        return len(self.source.paths) if isinstance(self.source, FileSource) else 1

    def artifacts(self) -> dict[str, Any]:
        out: dict[str, Any] = {"annotated_image": self.annotated_path}
        if isinstance(self.source, FileSource):
            out["image"] = str(self.source.path)
        else:
            out["topic"] = self.source.name
        return out

    def _annotation_path(self) -> Path:
        if self.config.get("annotated_path") and self.image_count() == 1:
            return Path(self.config["annotated_path"])
        stem = self.source.path.stem if isinstance(self.source, FileSource) else "topic"
        if self.config.get("annotated_path"):  # one file per image of a directory, next to the given path
            p = Path(self.config["annotated_path"])
            return p.with_name(f"{p.stem}_{stem}{p.suffix or '.png'}")
        return Path(self.config.get("output_dir") or DEFAULT_OUTPUT_DIR) / f"{stem}_annotated.png"

    def _write_annotation(self, service: VisionService, objects: list[ObjectInfo] | None = None) -> None:
        marks = service.marks
        detections = list(marks.detections)
        if not detections and objects:  # the program drew nothing itself: show what observe() saw
            detections = [(d.label, d.box, d.score) for d in self.perception.model_perception.last_detections]
            masks = [(d.label, d.mask) for d in self.perception.model_perception.last_detections
                     if d.mask is not None] + list(marks.masks)
        else:
            masks = list(marks.masks)
        image = annotate.draw(service.frame().rgb, detections, masks, marks.answers)
        self.annotated_path = annotate.save(image, self._annotation_path())


class _NoDetector:
    """observe() without a detector configured: no objects (the program can still use the matcher)."""

    def detect(self, images, queries, threshold: float = 0.1) -> list[list]:
        return [[] for _ in images]
