"""Checking and normalising images before they reach a model or a drawing routine."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from codebot.primitives.errors import InvalidArgumentError


def as_rgb(image, what: str = "image") -> np.ndarray:
    """(H, W, 3) uint8 from an RGB, RGBA or grayscale array; anything else is an InvalidArgumentError."""
    arr = np.asarray(image)
    if arr.dtype == object or arr.size == 0:
        raise InvalidArgumentError(f"{what} is empty or not numeric", shape=list(arr.shape))
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise InvalidArgumentError(f"{what} must be (H, W, 3) RGB, got shape {arr.shape}", shape=list(arr.shape))
    if arr.shape[0] < 2 or arr.shape[1] < 2:
        raise InvalidArgumentError(f"{what} of {arr.shape[1]}x{arr.shape[0]} pixels is too small",
                                   shape=list(arr.shape))
    arr = arr[:, :, :3]
    if arr.dtype != np.uint8:
        if np.issubdtype(arr.dtype, np.floating):
            if not np.all(np.isfinite(arr)):
                raise InvalidArgumentError(f"{what} holds NaN or infinite values")
            scale = 255.0 if arr.max(initial=0.0) <= 1.0 else 1.0
            arr = np.clip(arr * scale, 0, 255).round().astype(np.uint8)
        elif np.issubdtype(arr.dtype, np.integer) or arr.dtype == bool:
            arr = np.clip(arr, 0, 255).astype(np.uint8)
        else:
            raise InvalidArgumentError(f"{what} has unsupported dtype {arr.dtype}")
    return np.ascontiguousarray(arr)


def as_rgb_list(images: Sequence, what: str = "images") -> list[np.ndarray]:
    if isinstance(images, np.ndarray) and images.ndim in (2, 3) and images.dtype != object:
        images = [images]
    out = [as_rgb(im, f"{what}[{i}]") for i, im in enumerate(images)]
    if not out:
        raise InvalidArgumentError(f"{what}: no images given")
    return out


def clean_queries(queries: Sequence[str] | str, what: str = "query") -> list[str]:
    """Non-empty, stripped, de-duplicated text queries; 'red cup, blue bowl' splits on commas."""
    if isinstance(queries, str):
        queries = queries.split(",")
    out: list[str] = []
    for q in queries:
        if not isinstance(q, str):
            raise InvalidArgumentError(f"{what} must be text, got {type(q).__name__}")
        q = " ".join(q.split())
        if q and q not in out:
            out.append(q)
    if not out:
        raise InvalidArgumentError(f"{what} is empty; say what to look for, e.g. 'red cup'")
    if any(len(q) > 200 for q in out):
        raise InvalidArgumentError(f"{what} longer than 200 characters")
    return out


def chunks(n: int, size: int):
    """(start, stop) pairs covering range(n) in steps of `size`."""
    if size < 1:
        raise InvalidArgumentError(f"batch size must be >= 1, got {size}")
    for start in range(0, n, size):
        yield start, min(n, start + size)
