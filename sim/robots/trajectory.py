"""Small numeric helpers for motions: argument checks, piecewise-linear interpolation, slerp."""
from __future__ import annotations

import numpy as np

from codebot.primitives.errors import InvalidArgumentError


def check_vector(value, size: int, what: str) -> np.ndarray:
    """`value` as a finite float vector of length `size`, or InvalidArgumentError."""
    try:
        arr = np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{what} must be {size} numbers, got {value!r}", value=repr(value)) from None
    if arr.size != size:
        raise InvalidArgumentError(f"{what} must be {size} numbers, got {arr.size}", value=arr.tolist())
    if not np.all(np.isfinite(arr)):
        raise InvalidArgumentError(f"{what} contains NaN or infinite values: {arr.tolist()}",
                                   value=[str(v) for v in arr])
    return arr


def interpolate(t: np.ndarray, q: np.ndarray, now: float) -> tuple[np.ndarray, np.ndarray]:
    """Position and velocity at `now` on the piecewise-linear path through knots (t, q)."""
    i = int(np.searchsorted(t, now, side="right")) - 1
    i = min(max(i, 0), len(t) - 2)
    span = t[i + 1] - t[i]
    s = min(max((now - t[i]) / span, 0.0), 1.0)
    vel = (q[i + 1] - q[i]) / span
    if now >= t[-1]:
        return q[-1], np.zeros_like(q[-1])
    return q[i] + s * (q[i + 1] - q[i]), vel


def slerp(a, b, s: float) -> np.ndarray:
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = float(np.dot(a, b))
    if d < 0:
        b, d = -b, -d
    if d > 0.9995:
        out = a + s * (b - a)
        return out / np.linalg.norm(out)
    theta = np.arccos(d)
    return (np.sin((1 - s) * theta) * a + np.sin(s * theta) * b) / np.sin(theta)
