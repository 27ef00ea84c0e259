"""Geometric predicates the success checkers are built from. They read only `ObjectInfo` boxes, so a
checker is testable on hand-made scenes and runs the same on sim ground truth or a robot's perception.

Tolerances are explicit module constants so the report can state them.
"""
from __future__ import annotations

import numpy as np

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import Workspace
from codebot.checks.tasks.attributes import CORNERS, DIRECTIONS, PLACES, place_point

REST_TOL = 0.012  # m: a resting object's bottom is this close to what it rests on
MOVED_TOL = 0.05  # m: an object displaced more than this (in xy) counts as moved
PLACE_TOL_FRACTION = 0.2  # a corner/side region reaches this fraction of the smaller workspace side
FELL_Z = -0.05  # m: below the table top by this much means it fell off


class Scene:
    """Objects by name with the lookups checkers need."""

    def __init__(self, objects: list[ObjectInfo]):
        self.objects = list(objects)
        self.by_name = {o.name: o for o in self.objects}

    def get(self, name: str) -> ObjectInfo | None:
        return self.by_name.get(name)

    def blocks(self) -> list[ObjectInfo]:
        return sorted((o for o in self.objects if o.kind == "block"), key=lambda o: o.name)

    def bowls(self) -> list[ObjectInfo]:
        return sorted((o for o in self.objects if o.kind == "bowl"), key=lambda o: o.name)


def xy(obj: ObjectInfo) -> np.ndarray:
    return np.array(obj.position[:2], dtype=float)


def size(obj: ObjectInfo) -> np.ndarray:
    return np.array(obj.bbox_max, dtype=float) - np.array(obj.bbox_min, dtype=float)


def radius_xy(obj: ObjectInfo) -> float:
    """Half the larger horizontal extent of the box."""
    return float(max(size(obj)[:2]) / 2)


def fell(obj: ObjectInfo | None, workspace: Workspace) -> bool:
    return obj is None or obj.bbox_max[2] < workspace.table_z + FELL_Z or not obj.visible


def on_table(obj: ObjectInfo, workspace: Workspace) -> bool:
    return obj.bbox_min[2] <= workspace.table_z + REST_TOL


def on_top_of(top: ObjectInfo, bottom: ObjectInfo) -> bool:
    """`top` rests on `bottom`: centred over it (within 60 % of its half width) and touching its top."""
    horizontal = float(np.linalg.norm(xy(top) - xy(bottom)))
    touching = bottom.position[2] < top.bbox_min[2] <= bottom.bbox_max[2] + REST_TOL
    return horizontal <= max(0.6 * radius_xy(bottom), 0.015) and touching


def in_bowl(block: ObjectInfo, bowl: ObjectInfo, others: list[ObjectInfo] = (), _depth: int = 0) -> bool:
    """Inside the bowl's rim horizontally and held up by the bowl: no higher than about one block
    above the rim, or resting on a block that is itself in the bowl (a small tower in a bowl counts;
    a block held above the bowl does not)."""
    horizontal = float(np.linalg.norm(xy(block) - xy(bowl)))
    if horizontal > radius_xy(bowl):
        return False
    if block.bbox_min[2] < bowl.bbox_max[2] + size(block)[2] * 0.9:
        return True
    if _depth > 6:
        return False
    return any(o.kind == "block" and o.name != block.name and on_top_of(block, o)
               and in_bowl(o, bowl, others, _depth + 1) for o in others)


def place_tolerance(workspace: Workspace) -> float:
    return PLACE_TOL_FRACTION * min(workspace.x[1] - workspace.x[0], workspace.y[1] - workspace.y[0])


def at_place(obj: ObjectInfo, place: str, workspace: Workspace) -> bool:
    """In the region a place names. A corner: within `tol` of both edges that meet there. A side:
    within `tol` of that edge and away from its corners (so a corner is not also a side)."""
    tol = place_tolerance(workspace)
    sx, sy = PLACES[place]
    p = xy(obj)
    target = place_point(place, workspace)
    near_x = abs(p[0] - target[0]) <= tol
    near_y = abs(p[1] - target[1]) <= tol
    half_x = (workspace.x[1] - workspace.x[0]) / 2
    half_y = (workspace.y[1] - workspace.y[0]) / 2
    if sx != 0 and sy != 0:
        return near_x and near_y
    if sy != 0:  # top/bottom side: near the edge, along it away from the corners
        return near_y and abs(p[0] - target[0]) <= half_x - tol
    return near_x and abs(p[1] - target[1]) <= half_y - tol


def moved(before: ObjectInfo, after: ObjectInfo | None) -> bool:
    if after is None:
        return True
    return float(np.linalg.norm(xy(after) - xy(before))) > MOVED_TOL


def projection(obj: ObjectInfo, origin_xy, direction: str) -> float:
    """Signed distance of `obj` from `origin_xy` along a named direction."""
    return float(np.dot(xy(obj) - np.asarray(origin_xy, dtype=float), DIRECTIONS[direction]))


def stack_order(blocks: list[ObjectInfo], workspace: Workspace) -> tuple[bool, str]:
    """Whether the blocks form one tower (bottom rests on the table, or on a bowl/other object at the
    same place; each next one on the one below). Returns (ok, reason)."""
    if len(blocks) < 2:
        return False, "a stack needs at least two blocks"
    tower = sorted(blocks, key=lambda o: o.bbox_min[2])
    for lower, upper in zip(tower, tower[1:]):
        if not on_top_of(upper, lower):
            return False, f"{upper.name} is not resting on {lower.name}"
    return True, "bottom to top: " + ", ".join(o.name for o in tower)


def nearest_corner(point_xy, workspace: Workspace, farthest: bool = False) -> tuple[str, float]:
    """The corner nearest (or farthest) to a point, and the gap to the runner-up (how unambiguous)."""
    dists = sorted((float(np.linalg.norm(place_point(c, workspace) - np.asarray(point_xy))), c)
                   for c in CORNERS)
    if farthest:
        dists = dists[::-1]
    return dists[0][1], abs(dists[0][0] - dists[1][0])


def line_fit(points: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal direction (unit vector) of 2-D points and the largest distance of a point from that
    line."""
    centred = points - points.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    direction = vt[0]
    normal = np.array([-direction[1], direction[0]])
    return direction, float(np.max(np.abs(centred @ normal)))


# ---- additions for goal specs (codebot/checks/goals): the same geometry, a few more named tolerances --------
NEAR_GAP = 0.05  # m between two objects' outlines (xy radii) for 'near'
DIST_TOL = 0.03  # m: a stated centre-to-centre offset (left_of(a, b, dist=0.1)) holds within this
MIDDLE_TOL_FRACTION = PLACE_TOL_FRACTION  # the middle region: this fraction of the smaller side, both axes


def at_middle(obj: ObjectInfo, workspace: Workspace) -> bool:
    """Within the place tolerance of the workspace centre along both axes."""
    tol = MIDDLE_TOL_FRACTION * min(workspace.x[1] - workspace.x[0], workspace.y[1] - workspace.y[0])
    d = np.abs(xy(obj) - workspace.center[:2])
    return bool(d[0] <= tol and d[1] <= tol)


def at_named_place(obj: ObjectInfo, place: str, workspace: Workspace) -> bool:
    """`at_place` for corners and sides, `at_middle` for 'middle'."""
    return at_middle(obj, workspace) if place == "middle" else at_place(obj, place, workspace)


def named_place_point(place: str, workspace: Workspace) -> np.ndarray:
    return workspace.center[:2].copy() if place == "middle" else place_point(place, workspace)


def centre_distance(a: ObjectInfo, b: ObjectInfo) -> float:
    return float(np.linalg.norm(xy(a) - xy(b)))


def near(a: ObjectInfo, b: ObjectInfo) -> bool:
    """Outlines (xy radii) within NEAR_GAP of each other."""
    return centre_distance(a, b) <= radius_xy(a) + radius_xy(b) + NEAR_GAP


def offset_from(obj: ObjectInfo, anchor_xy, direction: str) -> tuple[float, float]:
    """(along, sideways): `obj`'s centre offset from a point along a named direction, and the
    absolute distance off that direction's axis."""
    d = np.array(DIRECTIONS[direction])
    off = xy(obj) - np.asarray(anchor_xy, dtype=float)
    return float(off @ d), abs(float(off @ np.array([-d[1], d[0]])))
