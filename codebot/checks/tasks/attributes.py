"""Attribute vocabularies of the Code-as-Policies tabletop templates, their seen/unseen splits, and the
named places on the table (corners and sides) in workspace coordinates.

Splits follow the issue (and the paper): the seen split is what prompts and examples may mention; the
unseen split holds attributes a policy never saw. Attributes with no split in the paper (distance words,
'a little'/'a lot') are shared by both.
"""
from __future__ import annotations

import re

import numpy as np

from codebot.primitives.colors import COLORS, SEEN_COLORS, UNSEEN_COLORS
from codebot.primitives.workspace import Workspace

SPLITS = ("seen", "unseen")

# Unit vectors in the table plane; left/right are -x/+x, top/bottom are +y/-y (Code as Policies).
DIRECTIONS: dict[str, tuple[float, float]] = {
    "left": (-1.0, 0.0), "right": (1.0, 0.0), "top": (0.0, 1.0), "bottom": (0.0, -1.0),
}
# Where each named place sits, as signs of (x, y) from the workspace centre.
PLACES: dict[str, tuple[int, int]] = {
    "top left corner": (-1, 1), "top right corner": (1, 1),
    "bottom left corner": (-1, -1), "bottom right corner": (1, -1),
    "top side": (0, 1), "bottom side": (0, -1), "left side": (-1, 0), "right side": (1, 0),
}
CORNERS = ("top left corner", "top right corner", "bottom left corner", "bottom right corner")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}

_SPLIT_ATTRIBUTES: dict[str, dict[str, tuple[str, ...]]] = {
    "seen": {
        "colors": SEEN_COLORS,
        "directions": ("top", "left"),
        "ordinals": ("first", "second"),
        "lines": ("horizontal", "vertical"),
        "places": ("left side", "top left corner", "top side", "top right corner"),
    },
    "unseen": {
        "colors": UNSEEN_COLORS,
        "directions": ("bottom", "right"),
        "ordinals": ("third", "fourth"),
        "lines": ("diagonal",),
        "places": ("bottom right corner", "bottom side", "bottom left corner"),
    },
}
DISTANCES = ("closest", "farthest")  # no split in the paper: both splits use both
AMOUNTS = ("a little", "a lot")  # likewise


def attributes(split: str) -> dict[str, tuple[str, ...]]:
    """The attribute values a sampler may draw from for `split` ('seen' or 'unseen')."""
    if split not in _SPLIT_ATTRIBUTES:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return _SPLIT_ATTRIBUTES[split]


def place_point(place: str, workspace: Workspace) -> np.ndarray:
    """The (x, y) a named place refers to: a workspace corner, or the middle of a workspace edge."""
    sx, sy = PLACES[place]
    cx, cy = (sum(workspace.x) / 2, sum(workspace.y) / 2)
    hx, hy = (workspace.x[1] - workspace.x[0]) / 2, (workspace.y[1] - workspace.y[0]) / 2
    return np.array([cx + sx * hx, cy + sy * hy])


# ---- instruction text -------------------------------------------------------------------------
COLOR_RE = "(" + "|".join(COLORS) + ")"
PLACE_RE = "(" + "|".join(sorted(PLACES, key=len, reverse=True)) + ")"
DIRECTION_RE = "(" + "|".join(DIRECTIONS) + ")"


def normalize(instruction: str) -> str:
    """Lower case, hyphens and repeated blanks folded, trailing punctuation and 'please' dropped, so
    'Put all the blocks on the top-left corner.' reads like the template."""
    text = instruction.lower().replace("-", " ").replace("grey", "gray").replace("colour", "color")
    text = re.sub(r"[.!?;,]+\s*$", "", text.strip())
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(please )|( please)$", "", text)
    text = re.sub(r"\bthe (\w+) (corner|side)\b", lambda m: f"the {m.group(1)} {m.group(2)}", text)
    # "top left corner" written as "left top corner" is the same place
    text = re.sub(r"\b(left|right) (top|bottom) corner\b", r"\2 \1 corner", text)
    return text


def fill_colors(rng: np.random.Generator | None, pool: tuple[str, ...], taken: list[str],
                count: int) -> list[str]:
    """`count` more colours from `pool` not in `taken` (random with an rng, in pool order without)."""
    free = [c for c in pool if c not in taken]
    if rng is not None:
        free = [free[i] for i in rng.permutation(len(free))]
    return free[:max(0, count)]
