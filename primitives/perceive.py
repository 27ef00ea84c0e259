"""Perception primitives: what is on the table, where, and what rests on what. They read only the
bound backend's `Perception` (sim ground truth, RGB-D + segmentation, HSV or a model detector)."""
from __future__ import annotations

import numpy as np

from codebot.primitives import lookup
from codebot.primitives.registry import primitive


@primitive(examples=["names = get_obj_names()"])
def get_obj_names() -> list[str]:
    """Names of all visible objects, e.g. ['red block', 'blue bowl']."""
    return [o.name for o in lookup.objects()]


@primitive(examples=["blocks = get_blocks()"])
def get_blocks() -> list[str]:
    """Names of all visible blocks."""
    return [o.name for o in lookup.objects() if o.kind == "block"]


@primitive(examples=["bowls = get_bowls()"])
def get_bowls() -> list[str]:
    """Names of all visible bowls."""
    return [o.name for o in lookup.objects() if o.kind == "bowl"]


@primitive(examples=["x, y, z = get_obj_pos('red block')"])
def get_obj_pos(name: str) -> np.ndarray:
    """Centre (x, y, z) in metres of an object's bounding box."""
    return np.array(lookup.find(name).position, dtype=float)


@primitive(examples=["lo, hi = get_bbox('blue bowl')\nwidth = hi[0] - lo[0]"])
def get_bbox(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned bounding box of an object as (min xyz, max xyz) in metres."""
    info = lookup.find(name)
    return np.array(info.bbox_min, dtype=float), np.array(info.bbox_max, dtype=float)


@primitive(examples=["get_color('red block')  # -> 'red'"])
def get_color(name: str) -> str:
    """Colour name of an object, e.g. 'red'."""
    return lookup.find(name).color


@primitive(examples=["get_kind('blue bowl')  # -> 'bowl'"])
def get_kind(name: str) -> str:
    """Kind of an object: 'block' or 'bowl'."""
    return lookup.find(name).kind


@primitive(examples=["if is_obj_visible('red block'):\n    pick('red block')"])
def is_obj_visible(name: str) -> bool:
    """True when an object with this name is currently seen (never raises for unknown names)."""
    if not isinstance(name, str):
        return False
    key = lookup.normalize_name(name)
    return any(lookup.normalize_name(o.name) == key and o.visible for o in lookup.objects(include_hidden=True))


@primitive(examples=["get_objects_on('green block')  # blocks stacked directly on it"])
def get_objects_on(name: str) -> list[str]:
    """Objects resting directly on a block or inside a bowl."""
    infos = lookup.objects()
    base = lookup.find(name, infos)
    on_base = [o for o in infos if lookup.resting_on(o, base)]
    # Keep direct contact only: a block on a block that is itself in the bowl is not "in" the bowl.
    direct = [o for o in on_base if not any(lookup.resting_on(o, other) for other in on_base)]
    return [o.name for o in direct]


@primitive(examples=["what_is_in('blue bowl')  # e.g. ['red block']"])
def what_is_in(bowl: str) -> list[str]:
    """Objects inside a bowl (or stacked on a block), lowest first."""
    infos = lookup.objects()
    base = lookup.find(bowl, infos)
    inside = []
    frontier = [base]
    # Follow the stack upwards so a tower standing in a bowl counts as in it.
    while frontier:
        support = frontier.pop()
        for o in infos:
            if o not in inside and o is not base and lookup.resting_on(o, support):
                inside.append(o)
                frontier.append(o)
    inside.sort(key=lambda o: o.bbox_min[2])
    return [o.name for o in inside]
