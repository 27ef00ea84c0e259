"""Box-prompted segmentation with SAM: one image encoding, many boxes decoded in batches."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from codebot.vision.images import as_rgb, chunks
from codebot.vision.models import LoadedModel, to_device, torch
from codebot.primitives.errors import InvalidArgumentError


class BoxSegmenter:
    """Masks for boxes on one image. The image embedding is computed once per call and reused for
    every chunk of `batch_size` box prompts."""

    def __init__(self, loaded: LoadedModel, batch_size: int = 16):
        if loaded.role != "segmenter":
            raise InvalidArgumentError(f"a {loaded.role} model cannot segment", role=loaded.role)
        self.loaded = loaded
        self.batch_size = int(batch_size)

    def segment(self, image, boxes: Sequence[Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
        """(masks (N, H, W) bool, scores (N,)) for xyxy pixel `boxes` on `image`."""
        rgb = as_rgb(image)
        h, w = rgb.shape[:2]
        arr = np.asarray(boxes, dtype=float).reshape(-1, 4) if len(boxes) else np.zeros((0, 4))
        if not np.all(np.isfinite(arr)):
            raise InvalidArgumentError("segment boxes hold NaN or infinite values")
        arr[:, [0, 2]] = arr[:, [0, 2]].clip(0, w)
        arr[:, [1, 3]] = arr[:, [1, 3]].clip(0, h)
        if len(arr) == 0:
            return np.zeros((0, h, w), dtype=bool), np.zeros(0, dtype=np.float32)
        if np.any(arr[:, 2] <= arr[:, 0]) or np.any(arr[:, 3] <= arr[:, 1]):
            raise InvalidArgumentError("every box needs x1 > x0 and y1 > y0 inside the image", boxes=arr)
        proc, model = self.loaded.processor, self.loaded.model
        t = torch()
        image_inputs = to_device(proc(images=[rgb], return_tensors="pt"), self.loaded)
        with t.inference_mode():
            embeddings = model.get_image_embeddings(image_inputs["pixel_values"])
        masks, scores = [], []
        for start, stop in chunks(len(arr), self.batch_size):
            prompt = proc(images=[rgb], input_boxes=[arr[start:stop].tolist()], return_tensors="pt")
            boxes_t = prompt["input_boxes"].to(self.loaded.device, dtype=self.loaded.dtype)
            with t.inference_mode():
                out = model(image_embeddings=embeddings, input_boxes=boxes_t, multimask_output=False)
            full = proc.post_process_masks(out.pred_masks.float().cpu(), image_inputs["original_sizes"].cpu(),
                                           image_inputs["reshaped_input_sizes"].cpu())[0]
            masks.append(full[:, 0].numpy().astype(bool))
            scores.append(out.iou_scores[0, :, 0].float().cpu().numpy())
        return np.concatenate(masks, axis=0), np.concatenate(scores, axis=0)
