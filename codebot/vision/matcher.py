"""Image-text matching with CLIP: which of a few texts fits an image (or a crop) best."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from codebot.vision.images import as_rgb_list, chunks, clean_queries
from codebot.vision.models import LoadedModel, to_device, torch
from codebot.primitives.errors import InvalidArgumentError


def _features(out):
    """transformers < 5 returns the projected tensor; 5.x a model output whose pooler_output holds it."""
    return out if isinstance(out, torch().Tensor) else out.pooler_output


class ImageTextMatcher:
    """Zero-shot scoring of images against texts. Texts are encoded once per call; images in batches
    of `batch_size`."""

    def __init__(self, loaded: LoadedModel, batch_size: int = 8):
        if loaded.role != "matcher":
            raise InvalidArgumentError(f"a {loaded.role} model cannot match images to text", role=loaded.role)
        self.loaded = loaded
        self.batch_size = int(batch_size)

    def text_features(self, texts: list[str]):
        proc, model = self.loaded.processor, self.loaded.model
        batch = to_device(proc(text=texts, return_tensors="pt", padding=True, truncation=True), self.loaded)
        with torch().inference_mode():
            feats = _features(model.get_text_features(**batch))
        return feats / feats.norm(dim=-1, keepdim=True)

    def image_features(self, images: list[np.ndarray]):
        proc, model = self.loaded.processor, self.loaded.model
        batch = to_device(proc(images=images, return_tensors="pt"), self.loaded)
        with torch().inference_mode():
            feats = _features(model.get_image_features(pixel_values=batch["pixel_values"]))
        return feats / feats.norm(dim=-1, keepdim=True)

    def probabilities(self, images, texts: Sequence[str]) -> np.ndarray:
        """(n_images, n_texts) softmax over texts of CLIP's scaled cosine similarities."""
        frames = as_rgb_list(images)
        texts = clean_queries(list(texts), "texts")
        text = self.text_features(texts)
        scale = self.loaded.model.logit_scale.detach().exp().float()
        rows = []
        for start, stop in chunks(len(frames), self.batch_size):
            image = self.image_features(frames[start:stop])
            logits = scale * (image.float() @ text.float().T)
            rows.append(logits.softmax(dim=-1).cpu().numpy())
        return np.concatenate(rows, axis=0)

    def best(self, image, texts: Sequence[str]) -> tuple[str, float]:
        """The text that fits `image` best and its probability."""
        texts = clean_queries(list(texts), "texts")
        probs = self.probabilities([image], texts)[0]
        i = int(np.argmax(probs))
        return texts[i], float(probs[i])
