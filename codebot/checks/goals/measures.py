"""Relation measurements: each returns (holds, why, measured values) from ObjectInfo boxes, built on
the predicates of codebot/checks/tasks/relations.py so 'on', 'in' and 'at corner' mean what the templates mean.
`why` is a short phrase with the numbers ("red block 14 cm from the bowl's centre, rim radius 8 cm")."""
from __future__ import annotations

import math

import numpy as np

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import Workspace
from codebot.checks.tasks.relations import (DIST_TOL, NEAR_GAP, at_named_place, centre_distance, in_bowl, line_fit,
                                 named_place_point, near, offset_from, on_table, on_top_of,
                                 place_tolerance, radius_xy, size, stack_order, xy)
from codebot.checks.tolerances import LINE_ANGLE_TOL, LINE_RESIDUAL_MAX, LITTLE, LOT_MIN, SIDEWAYS_MAX

Measure = tuple[bool, str, dict]
LINE_SPAN_MIN = 0.10  # m: template 14's shortest line
_AXIS_ANGLES = {"horizontal": (0.0, 180.0), "vertical": (90.0,), "diagonal": (45.0, 135.0)}


def cm(x: float) -> str:
    return f"{x * 100:.0f} cm"


def on_object(top: ObjectInfo, bottom: ObjectInfo) -> Measure:
    """on(a, block) is on_top_of; on(a, bowl) means in the bowl (as template 1 reads it)."""
    if bottom.kind == "bowl":
        return in_object(top, bottom, [])
    horizontal = centre_distance(top, bottom)
    tol = max(0.6 * radius_xy(bottom), 0.015)
    gap = top.bbox_min[2] - bottom.bbox_max[2]
    ok = on_top_of(top, bottom)
    measured = {"horizontal_m": round(horizontal, 4), "tolerance_m": round(tol, 4), "gap_m": round(gap, 4)}
    if ok:
        return True, f"{top.name} rests on {bottom.name} ({horizontal * 100:.1f} cm off centre)", measured
    if horizontal > tol:
        return False, (f"{top.name} {horizontal * 100:.1f} cm from {bottom.name}'s centre, tolerance "
                       f"{tol * 100:.1f} cm"), measured
    return False, f"{top.name}'s bottom is {gap * 100:.1f} cm from {bottom.name}'s top (not touching)", measured


def in_object(obj: ObjectInfo, container: ObjectInfo, others: list[ObjectInfo]) -> Measure:
    if container.kind != "bowl":
        return on_object(obj, container)
    horizontal = centre_distance(obj, container)
    rim = radius_xy(container)
    above_rim = obj.bbox_min[2] - container.bbox_max[2]
    measured = {"horizontal_m": round(horizontal, 4), "rim_radius_m": round(rim, 4),
                "bottom_above_rim_m": round(above_rim, 4)}
    if in_bowl(obj, container, others):
        return True, f"{obj.name} is in {container.name} ({cm(horizontal)} from its centre)", measured
    if horizontal > rim:
        return False, f"{obj.name} {cm(horizontal)} from the bowl's centre, tolerance {cm(rim)} (rim)", measured
    return False, f"{obj.name} is {cm(above_rim)} above the bowl's rim (held up, not in it)", measured


def at_place_measure(obj: ObjectInfo, place: str, workspace: Workspace) -> Measure:
    point = named_place_point(place, workspace)
    d = np.abs(xy(obj) - point)
    tol = place_tolerance(workspace)
    measured = {"dx_m": round(float(d[0]), 4), "dy_m": round(float(d[1]), 4), "tolerance_m": round(tol, 4)}
    if at_named_place(obj, place, workspace):
        return True, f"{obj.name} is in the {place} region", measured
    return False, (f"{obj.name} is {cm(d[0])} across and {cm(d[1])} along from the {place}'s point; "
                   f"the region reaches {cm(tol)}"), measured


def near_measure(a: ObjectInfo, b: ObjectInfo) -> Measure:
    d = centre_distance(a, b)
    limit = radius_xy(a) + radius_xy(b) + NEAR_GAP
    measured = {"distance_m": round(d, 4), "limit_m": round(limit, 4)}
    return near(a, b), f"{a.name} is {cm(d)} from {b.name} (near means at most {cm(limit)})", measured


def direction_measure(obj: ObjectInfo, anchor: ObjectInfo, anchor_xy, direction: str, dist,
                      after_objects: list[ObjectInfo], workspace: Workspace) -> Measure:
    """left_of/right_of/above/below, measured from the anchor's initial centre. Without dist: past
    the anchor's outline along the direction. dist=metres: centre offset within DIST_TOL of it and at
    most SIDEWAYS_MAX off the axis. 'a little'/'a lot': template 12's bands beyond the rim, resting on
    the table, in no bowl."""
    along, sideways = offset_from(obj, anchor_xy, direction)
    rim = radius_xy(anchor)
    measured = {"along_m": round(along, 4), "sideways_m": round(sideways, 4)}
    where = f"{obj.name} is {cm(along)} toward the {direction} of {anchor.name}'s centre, {cm(sideways)} sideways"
    if dist is None:
        ok = along > rim
        return ok, where + ("" if ok else f"; it must be past its edge ({cm(rim)})"), measured
    if isinstance(dist, (int, float)):
        ok = abs(along - dist) <= DIST_TOL and sideways <= SIDEWAYS_MAX
        return ok, where + f"; asked {cm(dist)} ± {cm(DIST_TOL)}, at most {cm(SIDEWAYS_MAX)} sideways", measured
    beyond = along - rim
    measured["beyond_rim_m"] = round(beyond, 4)
    if dist == "a little":
        ok, want = LITTLE[0] <= beyond <= LITTLE[1], f"{cm(LITTLE[0])}-{cm(LITTLE[1])}"
    else:
        ok, want = beyond >= LOT_MIN, f"at least {cm(LOT_MIN)}"
    problems = []
    if not ok:
        problems.append(f"{cm(beyond)} beyond the rim; '{dist}' means {want}")
    if sideways > SIDEWAYS_MAX:
        problems.append(f"{cm(sideways)} off to the side (at most {cm(SIDEWAYS_MAX)})")
    if not on_table(obj, workspace):
        problems.append("not resting on the table")
    if any(o.kind == "bowl" and in_bowl(obj, o, after_objects) for o in after_objects):
        problems.append("it is in a bowl")
    return not problems, where + ("; " + "; ".join(problems) if problems else ""), measured


def stack_measure(blocks: list[ObjectInfo], base, after_objects: list[ObjectInfo],
                  workspace: Workspace) -> Measure:
    """One tower of `blocks`; `base` is None, a place name, or an ObjectInfo the tower stands on
    (a member of the tower: it is the bottom one)."""
    if isinstance(base, ObjectInfo) and base.name not in {b.name for b in blocks} and blocks:
        lowest = min(blocks, key=lambda o: o.bbox_min[2])
        ok, why, m = in_object(lowest, base, after_objects) if base.kind == "bowl" else on_object(lowest, base)
        if not ok:
            return False, f"the tower does not stand on {base.name}: {why}", m
        if len(blocks) == 1:
            return True, why, m
    if len(blocks) < 2:
        return False, "a stack needs at least two blocks", {"count": len(blocks)}
    ok, why = stack_order(blocks, workspace)
    measured = {"count": len(blocks)}
    if not ok:
        return False, why, measured
    if isinstance(base, ObjectInfo) and base.name in {b.name for b in blocks}:
        bottom = min(blocks, key=lambda o: o.bbox_min[2])
        if bottom.name != base.name:
            return False, f"{bottom.name} is at the bottom, not {base.name}", measured
    if isinstance(base, str):
        away = [b.name for b in blocks if not at_named_place(b, base, workspace)]
        if away:
            return False, f"tower ({why}) but {', '.join(away)} not on the {base}", measured
        return True, f"tower on the {base}, {why}", measured
    return True, "tower " + why, measured


def line_measure(blocks: list[ObjectInfo], axis: str, workspace: Workspace) -> Measure:
    """Template 14: on the table, within LINE_RESIDUAL_MAX of the fitted line, within LINE_ANGLE_TOL of
    the axis, spanning LINE_SPAN_MIN, no two overlapping."""
    if len(blocks) < 2:
        return False, "a line needs at least two blocks", {"count": len(blocks)}
    problems = [f"{b.name} is not resting on the table" for b in blocks if not on_table(b, workspace)]
    points = np.array([xy(b) for b in blocks])
    direction, residual = line_fit(points)
    angle = math.degrees(math.atan2(direction[1], direction[0])) % 180.0
    off = min(abs(angle - t) for t in _AXIS_ANGLES[axis])
    along = points @ direction
    span = float(along.max() - along.min())
    width = min(float(min(size(b)[:2])) for b in blocks)
    closest = min(float(np.linalg.norm(p - q)) for i, p in enumerate(points) for q in points[i + 1:])
    measured = {"angle_deg": round(angle, 1), "residual_m": round(residual, 4), "span_m": round(span, 3)}
    if residual > LINE_RESIDUAL_MAX:
        problems.append(f"a block is {residual * 100:.1f} cm off the line (at most {LINE_RESIDUAL_MAX * 100:.1f} cm)")
    if off > LINE_ANGLE_TOL:
        problems.append(f"the line runs at {angle:.0f} degrees, not {axis} (±{LINE_ANGLE_TOL:.0f})")
    if span < LINE_SPAN_MIN:
        problems.append(f"the blocks span only {cm(span)} (at least {cm(LINE_SPAN_MIN)})")
    if closest < width * 0.95:
        problems.append("two blocks overlap or touch")
    if problems:
        return False, "; ".join(problems), measured
    return True, f"a {axis} line at {angle:.0f} degrees, {cm(span)} long", measured


def distinct_places_measure(objs: list[ObjectInfo], places: tuple[str, ...], workspace: Workspace) -> Measure:
    """Template 9: each object in one of `places`, no two in the same one."""
    used: dict[str, str] = {}
    problems = []
    for o in objs:
        inside = [p for p in places if at_named_place(o, p, workspace)]
        if not inside:
            problems.append(f"{o.name} is in no {'corner' if 'corner' in places[0] else 'place'}")
            continue
        if inside[0] in used:
            problems.append(f"{o.name} shares the {inside[0]} with {used[inside[0]]}")
        used[inside[0]] = o.name
    if problems:
        return False, "; ".join(problems), {"places": used}
    return True, "each in its own place: " + ", ".join(f"{n} {p}" for p, n in used.items()), {"places": used}
