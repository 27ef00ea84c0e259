"""Helpers shared by the vision tests (a module name no other test directory uses)."""
from __future__ import annotations

import numpy as np


def random_images(rng, n: int, shapes=((120, 160), (90, 90), (64, 200))) -> list[np.ndarray]:
    return [rng.integers(0, 255, (*shapes[i % len(shapes)], 3), dtype=np.uint8) for i in range(n)]
