"""Vision primitives (group "vision"): what generated perception programs call. They run the models of
the bound backend's vision service on its current frame. Importing this module registers them and
imports no torch; the models load when the vision target is built."""
from __future__ import annotations

import numpy as np

from codebot.vision.service import Detection, service
from codebot.primitives.registry import primitive


@primitive(group="vision", section="vision", run_examples=False,
           examples=["cups = detect('red cup')\nresult = {'count': len(cups), 'where': [d.position for d in cups]}",
                     "for name, box, score, position in detect('blue bowl, green block'):\n    print(name, position)"])
def detect(query: str, threshold: float = 0.1) -> list[Detection]:
    """Find objects matching `query` ('red cup' or 'cup, bowl'): (name, box, score, position) tuples, best first.

    name: the query label that matched; box: (x0, y0, x1, y1) pixels; score: 0..1;
    position: (x, y, z) metres in the world frame, from depth or, without depth, on the table plane.
    """
    return service().detect(query, threshold=threshold)


@primitive(group="vision", section="vision", run_examples=False,
           examples=["mask = segment('blue bowl')\narea = int(mask.sum())"])
def segment(name: str) -> np.ndarray:
    """Boolean (H, W) pixel mask of the best detection of `name` (SAM, prompted with its box)."""
    return service().segment(name)


@primitive(group="vision", section="vision", run_examples=False,
           examples=["color = ask_image('what colour is the cup?', ['red', 'green', 'blue'], about='cup')"])
def ask_image(question: str, choices: list[str], about: str = "") -> str:
    """Answer a question about the image by picking the best of `choices` (CLIP); `about` crops to an object."""
    return service().ask(question, choices, about=about or None)


@primitive(group="vision", section="vision", run_examples=False,
           examples=["probs = match_image(['a cluttered table', 'an empty table'])"])
def match_image(texts: list[str], about: str = "") -> dict[str, float]:
    """Probability of each text describing the image (or the crop of object `about`); they sum to 1."""
    return service().probabilities(texts, about=about or None)


@primitive(group="vision", section="vision", run_examples=False,
           examples=["width, height = image_size()"])
def image_size() -> tuple[int, int]:
    """Width and height in pixels of the image the vision primitives look at."""
    h, w = service().frame().rgb.shape[:2]
    return int(w), int(h)
