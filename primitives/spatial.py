"""Spatial primitives: named table locations, normalised coordinates, direction and distance relations,
lines of points and colour matching. Pure numpy over perceived positions; no motion.

Anything that takes a "target" accepts an object name ('blue bowl'), a location name ('top left
corner') or a position (x, y) / (x, y, z).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from codebot.primitives import context, geometry, lookup
from codebot.primitives.errors import InvalidArgumentError, ObjectNotFoundError
from codebot.primitives.registry import primitive

@primitive(examples=["get_location('top left corner')", "get_location('middle')"])
def get_location(name: str) -> np.ndarray:
    """Table point (x, y, z) of a corner, side or the middle, e.g. 'top left corner', 'left side'."""
    try:
        return geometry.location_xyz(name, context.current().workspace)
    except InvalidArgumentError:
        # Programs ask where an object is this way too ("the location of the green block"): its centre, as
        # get_obj_pos gives it; a name that is neither still gets the list of known locations.
        if lookup.is_object_name(name):
            return np.array(lookup.find(name).position, dtype=float)
        raise


@primitive(examples=["get_corner_names()  # ['top left corner', ...]"])
def get_corner_names() -> list[str]:
    """Names of the four table corners."""
    return list(geometry.CORNERS)


@primitive(examples=["get_side_names()  # ['top side', ...]"])
def get_side_names() -> list[str]:
    """Names of the four table sides."""
    return list(geometry.SIDES)


@primitive(examples=["denormalize_xy([0.5, 0.5])  # the middle of the table"])
def denormalize_xy(xy: Sequence[float]) -> np.ndarray:
    """Table point (x, y, z) of normalised coordinates in [0, 1]^2, (0, 0) = bottom left corner."""
    return geometry.denormalize(xy, context.current().workspace)


@primitive(examples=["get_distance('red block', 'blue bowl')"])
def get_distance(a: str | np.ndarray, b: str | np.ndarray) -> float:
    """Distance in the table plane (metres) between two objects, locations or positions."""
    pa, pb = lookup.resolve_xyz(a), lookup.resolve_xyz(b)
    return float(np.linalg.norm(pa[:2] - pb[:2]))


@primitive(examples=["closest_to(get_blocks(), 'green bowl')", "closest_to(get_corner_names(), 'red block')"])
def closest_to(names: list[str], target: str | np.ndarray) -> str:
    """The name in `names` (objects or locations) nearest to a target."""
    return _ranked_by_distance(names, target)[0]


@primitive(examples=["farthest_from(get_blocks(), 'green bowl')"])
def farthest_from(names: list[str], target: str | np.ndarray) -> str:
    """The name in `names` (objects or locations) farthest from a target."""
    return _ranked_by_distance(names, target)[-1]


@primitive(examples=["sort_by_distance(get_blocks(), 'blue bowl')"])
def sort_by_distance(names: list[str], target: str | np.ndarray) -> list[str]:
    """Names (objects or locations) sorted from nearest to farthest from a target."""
    return _ranked_by_distance(names, target)


def _ranked_by_distance(names, target) -> list[str]:
    names = _non_empty(names)
    infos = lookup.objects()
    goal = lookup.resolve_xyz(target, infos)
    # Exclude the target itself so "closest block to the red block" is another block.
    pool = [n for n in names if not (isinstance(target, str)
                                      and lookup.normalize_name(n) == lookup.normalize_name(target))] or names
    dist = [float(np.linalg.norm(lookup.resolve_xyz(n, infos)[:2] - goal[:2])) for n in pool]
    return [pool[i] for i in np.argsort(dist, kind="stable")]


@primitive(examples=["sort_by_direction(get_blocks(), 'left')  # leftmost first"])
def sort_by_direction(names: list[str], direction: str) -> list[str]:
    """Names sorted from the most `direction`-ward ('left', 'right', 'top', 'bottom') to the least."""
    names = _non_empty(names)
    infos = lookup.objects()
    pts = np.array([lookup.resolve_xyz(n, infos) for n in names])
    return [names[i] for i in geometry.order_along(pts, direction)]


@primitive(examples=["nth_from(get_blocks(), 2, 'left')  # second block from the left"])
def nth_from(names: list[str], n: int, direction: str) -> str:
    """The n-th name (1 = first) counting from `direction`, e.g. the second block from the left."""
    ordered = sort_by_direction(names, direction)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 1 <= n <= len(ordered):
        raise InvalidArgumentError(f"n must be an integer from 1 to {len(ordered)} (counting from 1), got {n!r}",
                                   n=repr(n), count=len(ordered))
    return ordered[int(n) - 1]


@primitive(examples=["get_objects_in_direction(get_blocks(), 'blue bowl', 'left')"])
def get_objects_in_direction(names: list[str], target: str | np.ndarray, direction: str) -> list[str]:
    """Names lying to the `direction` of a target, nearest first ('left' means smaller x)."""
    names = lookup.resolve_names(names)
    infos = lookup.objects()
    goal = lookup.resolve_xyz(target, infos)
    vec = geometry.direction_vector(direction)
    found = []
    for n in names:
        if isinstance(target, str) and lookup.normalize_name(n) == lookup.normalize_name(target):
            continue
        d = lookup.resolve_xyz(n, infos)[:2] - goal[:2]
        if float(d @ vec) > 0:
            found.append((float(np.linalg.norm(d)), n))
    return [n for _, n in sorted(found, key=lambda t: t[0])]


@primitive(examples=["is_in_direction('red block', 'blue bowl', 'left')"])
def is_in_direction(a: str | np.ndarray, b: str | np.ndarray, direction: str) -> bool:
    """True when `a` lies to the `direction` of `b` ('left', 'right', 'top', 'bottom')."""
    pa, pb = lookup.resolve_xyz(a), lookup.resolve_xyz(b)
    return bool(float((pa[:2] - pb[:2]) @ geometry.direction_vector(direction)) > 0)


@primitive(examples=["target = offset_xyz('blue bowl', 'left', 0.1)"])
def offset_xyz(target: str | np.ndarray, direction: str, dist: float) -> np.ndarray:
    """The point `dist` metres to the `direction` of a target (object, location or position)."""
    return geometry.offset(lookup.resolve_xyz(target), direction, dist)


@primitive(examples=["points = points_on_line('horizontal', len(get_blocks()))",
                     "points_on_line('diagonal', 3, center=get_location('middle'), spacing=0.12)"])
def points_on_line(kind: str, n: int, center: str | np.ndarray | None = None,
                   spacing: float | None = None) -> np.ndarray:
    """Evenly spaced table points (n x 3) on a 'horizontal', 'vertical' or 'diagonal' line."""
    ws = context.current().workspace
    c = None if center is None else lookup.resolve_xyz(center)
    return geometry.line_points(kind, n, ws, center=c, spacing=spacing)


@primitive(examples=["points_on_shape('circle', 4, center='middle', size=0.2)"])
def points_on_shape(kind: str, n: int, center: str | np.ndarray | None = None, size: float = 0.2) -> np.ndarray:
    """Table points (n x 3) evenly around a 'circle', 'square' or 'triangle' of width `size` metres."""
    ws = context.current().workspace
    c = None if center is None else lookup.resolve_xyz(center)
    return geometry.shape_points(kind, n, ws, center=c, size=size)


@primitive(examples=["matching_color('red block', get_bowls())  # -> 'red bowl' or None"])
def matching_color(name: str, candidates: list[str]) -> str | None:
    """The candidate with the same colour as `name`, or None when there is none."""
    color = lookup.find(name).color
    infos = lookup.objects()
    for cand in lookup.resolve_names(candidates):
        if lookup.normalize_name(cand) != lookup.normalize_name(name) and lookup.find(cand, infos).color == color:
            return cand
    return None


@primitive(examples=["filter_by_color(get_obj_names(), 'red')"])
def filter_by_color(names: list[str], color: str) -> list[str]:
    """The names in `names` whose object has the given colour."""
    if not isinstance(color, str):
        raise InvalidArgumentError(f"color must be a colour name such as 'red', got {color!r}")
    infos = lookup.objects()
    want = color.strip().lower()
    return [n for n in lookup.resolve_names(names) if lookup.find(n, infos).color == want]


def _non_empty(names) -> list[str]:
    names = lookup.resolve_names(names)
    if not names:
        raise ObjectNotFoundError("the list of names is empty; nothing to choose from", names=[])
    return names
