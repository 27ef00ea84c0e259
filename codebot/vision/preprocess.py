"""Image preprocessing for OWL detectors as batched torch ops on the model's device.

transformers' processors resize one image at a time on the CPU (OWLv2's with scipy), which costs more
than a small model's forward pass. This does the same steps with torch: rescale to [0, 1], OWLv2's
zero padding to a square at the bottom/right, gaussian anti-aliasing + linear zoom (OWLv2, as scipy
does it) or PIL-style anti-aliased bicubic (OWL-ViT), CLIP normalisation. Tests bound the difference to
the checkpoint's processor. Settings come from the checkpoint's own image-processor config.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from codebot.vision.models import torch


def _size(size) -> tuple[int, int] | None:
    """(height, width) of a processor size dict / SizeDict; None for shortest-edge style sizes."""
    get = size.get if isinstance(size, dict) else (lambda k, d=None: getattr(size, k, d))
    h, w = get("height", None), get("width", None)
    return (int(h), int(w)) if h and w else None


class TensorPreprocessor:
    """pixel_values for a list of RGB uint8 images, computed with torch on `device` in `dtype`."""

    def __init__(self, size: tuple[int, int], mean: Sequence[float], std: Sequence[float], pad_square: bool,
                 rescale: float = 1 / 255, mode: str = "bilinear"):
        self.size = size
        self.mean = [float(m) for m in mean]
        self.std = [float(s) for s in std]
        self.pad_square = pad_square
        self.rescale = float(rescale)
        self.mode = mode

    @classmethod
    def for_model(cls, image_processor, model_type: str) -> "TensorPreprocessor | None":
        """The equivalent of `image_processor` for an OWLv2 / OWL-ViT checkpoint; None for others or
        for settings this fast path does not reproduce (the caller then uses the processor)."""
        size = _size(getattr(image_processor, "size", None) or {})
        mean, std = getattr(image_processor, "image_mean", None), getattr(image_processor, "image_std", None)
        if size is None or mean is None or std is None:
            return None
        if not getattr(image_processor, "do_normalize", True) or not getattr(image_processor, "do_rescale", True):
            return None
        rescale = getattr(image_processor, "rescale_factor", 1 / 255)
        if model_type == "owlv2":
            return cls(size, mean, std, pad_square=bool(getattr(image_processor, "do_pad", True)), rescale=rescale)
        if model_type == "owlvit":
            crop = _size(getattr(image_processor, "crop_size", None) or {})
            if getattr(image_processor, "do_center_crop", False) and crop not in (None, size):
                return None
            return cls(size, mean, std, pad_square=False, rescale=rescale, mode="bicubic")
        return None

    def __call__(self, images: Sequence[np.ndarray], device: str, dtype):
        t = torch()
        F = t.nn.functional
        mean = t.tensor(self.mean, device=device, dtype=t.float32).view(1, 3, 1, 1)
        std = t.tensor(self.std, device=device, dtype=t.float32).view(1, 3, 1, 1)
        out = []
        for im in images:
            x = t.from_numpy(np.require(im, np.uint8, ("C", "W"))).to(device, non_blocking=True).permute(2, 0, 1)
            h, w = x.shape[-2:]
            if self.pad_square:  # OWLv2: zero padding to a square, gaussian anti-aliasing, linear zoom
                side = max(h, w)
                canvas = t.zeros((1, 3, side, side), dtype=t.float32, device=device)
                canvas[0, :, :h, :w] = x  # converts to float while it pads
                canvas.mul_(self.rescale)
                x = _gaussian_blur(canvas, max(0.0, (side / self.size[0] - 1) / 2),
                                   max(0.0, (side / self.size[1] - 1) / 2))
                x = F.interpolate(x, size=self.size, mode="bilinear", align_corners=False)
            else:  # OWL-ViT: PIL-style anti-aliased bicubic
                x = x.unsqueeze(0).to(t.float32).mul_(self.rescale)
                x = F.interpolate(x, size=self.size, mode=self.mode, antialias=True, align_corners=False)
                x = x.clamp(0.0, 1.0)
            out.append(x)
        batch = (t.cat(out, dim=0) - mean) / std
        return batch.to(dtype)


def _gaussian_blur(x, sigma_y: float, sigma_x: float):
    """Separable gaussian blur of (1, C, H, W) with mirrored borders, truncated at 4 sigma (scipy's
    ndimage.gaussian_filter defaults, which OWLv2's processor uses before downsampling). Written as a
    weighted sum of shifted slices: depthwise conv2d is far slower on the CPU."""
    t = torch()
    F = t.nn.functional
    for sigma, dim in ((sigma_y, 2), (sigma_x, 3)):
        if sigma <= 0:
            continue
        radius = min(int(4.0 * sigma + 0.5), x.shape[dim] - 1)  # reflect padding needs radius < side
        taps = np.arange(-radius, radius + 1, dtype=np.float64)
        weights = np.exp(-0.5 * (taps / sigma) ** 2)
        weights /= weights.sum()
        pad = (0, 0, radius, radius) if dim == 2 else (radius, radius, 0, 0)
        padded = F.pad(x, pad, mode="reflect")
        n = x.shape[dim]
        out = padded.narrow(dim, 0, n) * float(weights[0])
        for k in range(1, len(weights)):
            out.add_(padded.narrow(dim, k, n), alpha=float(weights[k]))
        x = out
    return x
