"""The annotated image of a perception run: boxes with label and score, masks tinted, answers listed."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from codebot.extras import require
from codebot.primitives.colors import COLORS

_FALLBACK = [(230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180), (70, 240, 240)]


def _colour(label: str, i: int) -> tuple[int, int, int]:
    word = label.split()[0] if label.split() else ""
    return COLORS.get(word, _FALLBACK[i % len(_FALLBACK)])


def draw(rgb: np.ndarray, detections: Sequence = (), masks: Sequence[tuple[str, np.ndarray]] = (),
         notes: Sequence[str] = ()) -> np.ndarray:
    """A copy of `rgb` with masks tinted, boxes outlined and labelled '<name> <score>', notes at the top."""
    cv2 = require("cv2", "vision")
    out = np.ascontiguousarray(rgb[:, :, :3], dtype=np.uint8).copy()
    h, w = out.shape[:2]
    scale = max(0.35, min(w, h) / 900)
    thick = max(1, int(round(min(w, h) / 300)))
    for i, (label, mask) in enumerate(masks):
        m = np.asarray(mask, dtype=bool)
        if m.shape == (h, w) and m.any():
            tint = np.array(_colour(label, i), dtype=np.float32)
            out[m] = (0.5 * out[m] + 0.5 * tint).astype(np.uint8)
    for i, det in enumerate(detections):
        name, box, score = det[0], det[1], det[2]
        x0, y0, x1, y1 = (int(round(v)) for v in box)
        colour = _colour(name, i)
        cv2.rectangle(out, (x0, y0), (x1, y1), colour, thick)
        text = f"{name} {score:.2f}"
        (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
        ty = y0 - 3 if y0 - th - 4 >= 0 else min(h - 1, y1 + th + 3)
        cv2.rectangle(out, (x0, ty - th - 2), (x0 + tw + 2, ty + base - 1), colour, -1)
        cv2.putText(out, text, (x0 + 1, ty - 1), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1, cv2.LINE_AA)
    y = int(14 * scale / 0.35)
    for note in notes:
        cv2.putText(out, note, (4, y), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 3, cv2.LINE_AA)
        cv2.putText(out, note, (4, y), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1, cv2.LINE_AA)
        y += int(16 * scale / 0.35)
    return out


def save(rgb: np.ndarray, path: str | os.PathLike) -> str:
    """Write an RGB image atomically (temp file + rename) so a reader never sees half a PNG."""
    cv2 = require("cv2", "vision")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.stem}.tmp{p.suffix or '.png'}")
    if not cv2.imwrite(str(tmp), cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGR)):
        raise OSError(f"could not write the annotated image {str(p)!r}")
    os.replace(tmp, p)
    return str(p)
