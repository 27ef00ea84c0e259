"""The ten object colours (Code as Policies' palette), RGB 0-255. Sim renders them; HSV perception
and the prompt name them."""
from __future__ import annotations

COLORS: dict[str, tuple[int, int, int]] = {
    "blue": (78, 121, 167),
    "red": (255, 87, 89),
    "green": (89, 169, 79),
    "orange": (242, 142, 43),
    "yellow": (237, 201, 72),
    "pink": (255, 157, 167),
    "cyan": (118, 183, 178),
    "brown": (156, 117, 95),
    "gray": (186, 176, 172),
    "purple": (176, 122, 161),
}
SEEN_COLORS = ("blue", "red", "green", "orange", "yellow")
UNSEEN_COLORS = ("pink", "cyan", "brown", "gray", "purple")
OBJECT_KINDS = ("block", "bowl")


def rgba(color: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    r, g, b = COLORS[color]
    return (r / 255.0, g / 255.0, b / 255.0, alpha)
