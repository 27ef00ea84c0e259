"""The vision service: the shared model bundle plus the frame it looks at, as primitives reach it
through `codebot.primitives.context.current().services["vision"]`.

It keeps what a program detected and segmented, so the target can draw an annotated image of the run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import numpy as np

from codebot.vision.errors import VisionUnavailableError
from codebot.vision.geometry import lift_box
from codebot.vision.images import clean_queries
from codebot.primitives.errors import InvalidArgumentError, ObjectNotFoundError
from codebot.primitives.protocols import Frame

SERVICE_NAME = "vision"


class Detection(NamedTuple):
    """What `detect()` returns per object: name, pixel box (x0, y0, x1, y1), score, world position (m)."""

    name: str
    box: tuple[float, float, float, float]
    score: float
    position: tuple[float, float, float]


@dataclass
class VisionModels:
    """Loaded models by role; any may be None when the run did not configure it."""

    detector: Any = None  # OpenVocabDetector
    matcher: Any = None  # ImageTextMatcher
    segmenter: Any = None  # BoxSegmenter

    @classmethod
    def load(cls, models: dict[str, str | None] | None = None, device: str = "auto", half: bool = True,
             allow_download: bool | None = None, batch_size: int = 8, cache_dir: str | None = None) -> "VisionModels":
        """Load the roles named in `models` ({"detector": dir | hub id, "matcher": ..., "segmenter": ...};
        a role set to None/False is skipped). `models=None` means: the detector from
        CODEBOT_VISION_DETECTOR or its default id (required), and the matcher and segmenter from their
        env vars or defaults when their weights are present (skipped otherwise)."""
        from codebot.vision.errors import WeightsNotFoundError
        from codebot.vision.models import configured_sources, load_model

        sources, optional = configured_sources(models)
        out = cls()
        for role, source in sources.items():
            try:
                loaded = load_model(role, source, device=device, half=half, allow_download=allow_download,
                                    cache_dir=cache_dir)
            except WeightsNotFoundError:
                if role in optional:  # a default the user never asked for: its primitives explain later
                    continue
                raise
            if role == "detector":
                from codebot.vision.detector import OpenVocabDetector
                out.detector = OpenVocabDetector(loaded, batch_size=batch_size)
            elif role == "matcher":
                from codebot.vision.matcher import ImageTextMatcher
                out.matcher = ImageTextMatcher(loaded, batch_size=batch_size)
            else:
                from codebot.vision.segmenter import BoxSegmenter
                out.segmenter = BoxSegmenter(loaded, batch_size=max(batch_size, 16))
        return out


@dataclass
class Marks:
    """What a run found, for the annotated image."""

    detections: list[Detection] = field(default_factory=list)
    masks: list[tuple[str, np.ndarray]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)


class VisionService:
    """Models + the current frame. `refresh()` grabs a new frame (the target calls it per run)."""

    def __init__(self, models: VisionModels, frames: Callable[[], Frame], table_z: float = 0.0,
                 threshold: float = 0.1, on_update: Callable[["VisionService"], None] | None = None):
        self.models = models
        self._frames = frames
        self.table_z = float(table_z)
        self.threshold = float(threshold)
        self.on_update = on_update
        self._frame: Frame | None = None
        self.marks = Marks()

    # ------------------------------------------------------------------------------------- frames
    def frame(self) -> Frame:
        if self._frame is None:
            self._frame = self._frames()
        return self._frame

    def refresh(self) -> Frame:
        self._frame = None
        self.marks = Marks()
        return self.frame()

    # -------------------------------------------------------------------------------------- model
    def _need(self, role: str):
        model = getattr(self.models, role)
        if model is None:
            flag = {"detector": "--vision-model", "matcher": "--vision-matcher",
                    "segmenter": "--vision-segmenter"}[role]
            raise VisionUnavailableError(f"no {role} model is loaded for this run; configure models.{role} "
                                         f"(CLI: {flag} PATH)", role=role)
        return model

    def detect(self, query: str | list[str], threshold: float | None = None) -> list[Detection]:
        """Detections of the comma-separated `query` labels on the current frame, best first."""
        queries = clean_queries(query)
        thr = self.threshold if threshold is None else float(threshold)
        frame = self.frame()
        found = self._need("detector").detect([frame.rgb], queries, threshold=thr)[0]
        out = [Detection(d.label, tuple(round(v, 1) for v in d.box), round(d.score, 4),
                         tuple(round(v, 4) for v in lift_box(frame, d.box, table_z=self.table_z).position))
               for d in found]
        self.marks.detections.extend(out)
        self._updated()
        return out

    def best(self, name: str) -> Detection:
        found = self.detect(name)
        if not found:
            raise ObjectNotFoundError(f"the detector found no {name!r} in the image (threshold "
                                      f"{self.threshold}); try another wording or a lower threshold", name=name)
        return found[0]

    def segment(self, name: str) -> np.ndarray:
        """Boolean (H, W) mask of the best detection of `name`."""
        target = self.best(name)
        masks, _ = self._need("segmenter").segment(self.frame().rgb, [target.box])
        self.marks.masks.append((target.name, masks[0]))
        self._updated()
        return masks[0]

    def probabilities(self, texts: list[str], about: str | None = None) -> dict[str, float]:
        """CLIP probabilities of `texts` for the whole image, or for the crop of the best `about` detection."""
        texts = clean_queries(list(texts), "choices")
        image = self.frame().rgb
        if about:
            x0, y0, x1, y1 = (int(round(v)) for v in self.best(about).box)
            image = image[y0:max(y1, y0 + 2), x0:max(x1, x0 + 2)]
        probs = self._need("matcher").probabilities([image], texts)[0]
        return {t: round(float(p), 4) for t, p in zip(texts, probs)}

    def ask(self, question: str, choices: list[str], about: str | None = None) -> str:
        if not isinstance(question, str) or not question.strip():
            raise InvalidArgumentError("ask_image needs a question")
        choices = clean_queries(list(choices), "choices")
        if len(choices) < 2:
            raise InvalidArgumentError("ask_image needs at least two choices to pick from", choices=choices)
        # CLIP matches descriptions, not questions: score "a photo of <choice> [<about>]" per choice.
        subject = f" {about}" if about else ""
        prompts = [f"a photo of {c}{subject}" for c in choices]
        probs = self.probabilities(prompts, about=about)
        best = max(range(len(choices)), key=lambda i: probs[prompts[i]])
        self.marks.answers.append(f"{question.strip()} -> {choices[best]}")
        self._updated()
        return choices[best]

    def _updated(self) -> None:
        if self.on_update is not None:
            self.on_update(self)


def service() -> VisionService:
    """The bound backend's vision service, or a clear error when this backend has none."""
    from codebot.primitives.context import current

    svc = current().services.get(SERVICE_NAME)
    if svc is None:
        raise VisionUnavailableError("vision primitives need the vision target (codebot run --target vision) "
                                     "or a backend with services['vision']")
    return svc
