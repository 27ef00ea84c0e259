"""Shared lookups for the primitives: the bound backend's perceived objects, forgiving name matching,
and turning "a name or a position" into table coordinates. Not primitives themselves."""
from __future__ import annotations

import difflib

import numpy as np

from codebot.primitives import context, geometry
from codebot.primitives.errors import InvalidArgumentError, ObjectNotFoundError
from codebot.primitives.protocols import ObjectInfo


def normalize_name(name: str) -> str:
    """'The  Red_Block' -> 'red block' (case, spaces, underscores and a leading article ignored)."""
    text = " ".join(str(name).lower().replace("_", " ").split())
    for article in ("the ", "a ", "an "):
        if text.startswith(article):
            text = text[len(article):]
    return text


def objects(include_hidden: bool = False) -> list[ObjectInfo]:
    """What the bound backend's perception sees now."""
    found = context.current().perception.objects()
    return [o for o in found if include_hidden or o.visible]


def find(name: str, infos: list[ObjectInfo] | None = None) -> ObjectInfo:
    """The perceived object called `name`; ObjectNotFoundError lists the known names."""
    if not isinstance(name, str):
        raise InvalidArgumentError(f"object name must be a string such as 'red block', got {type(name).__name__}",
                                   value=repr(name)[:80])
    infos = objects() if infos is None else infos
    key = normalize_name(name)
    for info in infos:
        if normalize_name(info.name) == key:
            return info
    known = sorted(o.name for o in infos)
    close = difflib.get_close_matches(key, [normalize_name(k) for k in known], n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ObjectNotFoundError(
        f"no object named {name!r}; known objects: {', '.join(known) if known else '(none)'}.{hint}",
        name=name, known=known)


def is_object_name(name) -> bool:
    if not isinstance(name, str):
        return False
    key = normalize_name(name)
    return any(normalize_name(o.name) == key for o in objects())


def resolve_xyz(target, infos: list[ObjectInfo] | None = None) -> np.ndarray:
    """Table coordinates of an object name, a location name ('top left corner') or an xy/xyz."""
    if isinstance(target, str):
        infos = objects() if infos is None else infos
        key = normalize_name(target)
        for info in infos:
            if normalize_name(info.name) == key:
                return np.array(info.position, dtype=float)
        if geometry.is_location_name(target):
            return geometry.location_xyz(target, context.current().workspace)
        try:
            find(target, infos)
        except ObjectNotFoundError as exc:
            raise ObjectNotFoundError(
                exc.message.rstrip(".") + f". Locations: {', '.join(geometry.LOCATION_NAMES)}.",
                **exc.details) from None
    return geometry.as_xyz(target, z=context.current().workspace.table_z)


def resolve_names(names) -> list[str]:
    """A list of names from a list/tuple of names (or one name); rejects anything else clearly."""
    if isinstance(names, str):
        return [names]
    if isinstance(names, np.ndarray) or not hasattr(names, "__iter__"):
        raise InvalidArgumentError(f"expected a list of names, got {type(names).__name__}")
    out = list(names)
    for n in out:
        if not isinstance(n, str):
            raise InvalidArgumentError(f"expected a list of names (strings), got an item {n!r}")
    return out


def footprint_contains(info: ObjectInfo, xy, margin: float = 0.0) -> bool:
    x, y = float(xy[0]), float(xy[1])
    return (info.bbox_min[0] - margin <= x <= info.bbox_max[0] + margin
            and info.bbox_min[1] - margin <= y <= info.bbox_max[1] + margin)


def resting_on(top: ObjectInfo, base: ObjectInfo) -> bool:
    """Whether `top` rests directly on (block) or in (bowl) `base`: its centre is over base's
    footprint and its bottom is at a block's top face, or between a bowl's bottom and just above its rim."""
    if top.name == base.name:
        return False
    if not footprint_contains(base, top.position, margin=0.005):
        return False
    bottom = top.bbox_min[2]
    if top.position[2] <= base.position[2]:
        return False
    if base.kind == "block":  # on a block means on its top face, not beside it with overlapping boxes
        return base.bbox_max[2] - 0.01 <= bottom <= base.bbox_max[2] + 0.015
    return base.bbox_min[2] - 0.005 <= bottom <= base.bbox_max[2] + 0.015
