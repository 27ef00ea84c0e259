"""Open-vocabulary detection with OWL-ViT / OWLv2: text queries in, pixel boxes out, in batches."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from codebot.vision.images import as_rgb_list, chunks, clean_queries
from codebot.vision.models import LoadedModel, to_device, torch
from codebot.vision.preprocess import TensorPreprocessor
from codebot.primitives.errors import InvalidArgumentError


@dataclass(frozen=True)
class Detection2D:
    """One detection in image pixels: box is (x0, y0, x1, y1) with x right, y down."""

    label: str
    box: tuple[float, float, float, float]
    score: float


class OpenVocabDetector:
    """Batched text-queried detection. One `detect` call takes many images and one query list (or one
    list per image) and runs `batch_size` images per forward pass."""

    def __init__(self, loaded: LoadedModel, batch_size: int = 8, fast_preprocess: bool = True):
        if loaded.role != "detector":
            raise InvalidArgumentError(f"a {loaded.role} model cannot detect", role=loaded.role)
        self.loaded = loaded
        self.batch_size = int(batch_size)
        # Batched torch preprocessing on the model's device; None falls back to the HF processor.
        self.images_to_tensor = (TensorPreprocessor.for_model(loaded.processor.image_processor, loaded.model_type)
                                 if fast_preprocess else None)
        self._text_cache: dict[tuple, dict] = {}

    def preprocess(self, images: list[np.ndarray], queries: list[list[str]]):
        """Model inputs on the model's device: token ids (cached per query list) and pixel values."""
        if self.images_to_tensor is None:
            return to_device(self.loaded.processor(text=queries, images=images, return_tensors="pt"), self.loaded)
        inputs = dict(self._tokens(queries))
        inputs["pixel_values"] = self.images_to_tensor(images, self.loaded.device, self.loaded.dtype)
        return inputs

    def _tokens(self, queries: list[list[str]]) -> dict:
        key = tuple(tuple(q) for q in queries)
        cached = self._text_cache.get(key)
        if cached is None:
            if len(self._text_cache) > 64:  # programs ask a handful of distinct queries; bound it anyway
                self._text_cache.clear()
            cached = to_device(self.loaded.processor(text=[list(q) for q in queries], return_tensors="pt"),
                               self.loaded)
            self._text_cache[key] = cached
        return cached

    def forward(self, inputs):
        with torch().inference_mode():
            return self.loaded.model(**inputs)

    def detect(self, images, queries: Sequence[str] | Sequence[Sequence[str]] | str, threshold: float = 0.1,
               nms_iou: float = 0.5, max_per_image: int = 50) -> list[list[Detection2D]]:
        """Per image, detections scoring above `threshold`, best first, after per-label NMS."""
        frames = as_rgb_list(images)
        per_image = _queries_per_image(queries, len(frames))
        if not 0.0 <= float(threshold) < 1.0:
            raise InvalidArgumentError(f"threshold must be in [0, 1), got {threshold}")
        results: list[list[Detection2D]] = []
        for start, stop in chunks(len(frames), self.batch_size):
            imgs, qs = frames[start:stop], per_image[start:stop]
            width = max(len(q) for q in qs)  # OWL needs the same query count per image: pad with " "
            padded = [q + [" "] * (width - len(q)) for q in qs]
            outputs = self.forward(self.preprocess(imgs, padded))
            sizes = [im.shape[:2] for im in imgs]
            post = self.loaded.processor.post_process_grounded_object_detection(
                outputs, threshold=float(threshold), target_sizes=sizes)
            for im, q, res in zip(imgs, qs, post):
                results.append(_to_detections(res, q, im.shape[:2], nms_iou, max_per_image))
        return results


def _queries_per_image(queries, n: int) -> list[list[str]]:
    if isinstance(queries, str) or (len(queries) and isinstance(queries[0], str)):
        q = clean_queries(queries)
        return [q] * n
    if len(queries) != n:
        raise InvalidArgumentError(f"{len(queries)} query lists for {n} images")
    return [clean_queries(q) for q in queries]


def _to_detections(res: dict, labels: list[str], hw: tuple[int, int], nms_iou: float,
                   max_per_image: int) -> list[Detection2D]:
    scores = res["scores"].float().cpu().numpy()
    label_ids = res["labels"].cpu().numpy()
    boxes = res["boxes"].float().cpu().numpy().reshape(-1, 4)
    keep = (label_ids < len(labels)) & np.all(np.isfinite(boxes), axis=1)  # drop padding queries
    scores, label_ids, boxes = scores[keep], label_ids[keep], boxes[keep]
    h, w = hw
    boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, w)
    boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, h)
    valid = (boxes[:, 2] - boxes[:, 0] >= 1) & (boxes[:, 3] - boxes[:, 1] >= 1)
    scores, label_ids, boxes = scores[valid], label_ids[valid], boxes[valid]
    order = nms(boxes, scores, label_ids, nms_iou, limit=max_per_image)
    return [Detection2D(labels[int(label_ids[i])], tuple(float(v) for v in boxes[i]), float(scores[i]))
            for i in order]


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU matrix of (N, 4) and (M, 4) xyxy boxes."""
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(rb - lt, 0, None), axis=2)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-9)


def nms(boxes: np.ndarray, scores: np.ndarray, labels: np.ndarray, iou: float, limit: int | None = None) -> list[int]:
    """Indices kept by greedy per-label non-maximum suppression, best score first (at most `limit`)."""
    order = np.argsort(-scores, kind="stable")
    if iou >= 1.0 or len(order) < 2:
        return [int(i) for i in order[:limit]]
    ious = box_iou(boxes, boxes)
    suppressed = np.zeros(len(order), dtype=bool)
    kept: list[int] = []
    for i in order:  # one vector op per kept box, not a Python loop over pairs
        if suppressed[i]:
            continue
        kept.append(int(i))
        if limit is not None and len(kept) >= limit:
            break
        suppressed |= (ious[i] > iou) & (labels == labels[i])
    return kept
