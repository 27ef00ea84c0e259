"""Motion primitives: top-down pick and place, pushes and direct gripper/arm moves, over the `Robot`
protocol only (so the same calls drive the PyBullet twin or a ROS 2 arm).

Pick: approach above the block at a safe height with the gripper yaw aligned to the block's faces,
descend to just below the block's top, close, lift, and check the block is still held; one retry from
a fresh perception before a GraspFailedError. Place: carry at a height that clears every object, move
above the target, lower until the held block is just above whatever supports it there (table, the
floor of a bowl or the top of a block/stack), open and retreat upward.
"""
from __future__ import annotations

import math

import numpy as np

from codebot.primitives import context, geometry, lookup
from codebot.primitives.hand import (HeldBlock, fold, held_block, measure_in_hand, nearest_face_yaw, rotate, set_held,
                             tool_yaw)
from codebot.primitives.errors import (GraspFailedError, InvalidArgumentError, ObjectNotFoundError,
                               OutsideWorkspaceError, PrimitiveError, UnreachableError)
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.registry import primitive

SAFE_HEIGHT = 0.15  # minimum carry height of the tool above the table (m)
CLEARANCE = 0.05  # extra height above the tallest object while carrying
GRASP_DEPTH = 0.02  # how far below a block's top the fingers close
RELEASE_GAP = 0.008  # gap between the held block's bottom and its support at release
BOWL_FLOOR = 0.012  # assumed bowl floor thickness above the bowl's lowest point
RIM_CLEARANCE = 0.02  # tool height above a bowl's rim when releasing into it
PUSH_BACKOFF = 0.03  # how far behind an object a push starts
GRASP_ATTEMPTS = 2
PLACE_CORRECTIONS = 2  # nudges of the held block over its target before release
PLACE_TOLERANCE = 0.004  # m
RESTACK_ATTEMPTS = 1  # re-grasps of a block that slid off the block it was put on
PLACE_SHIFTS, PLACE_SHIFT = 2, 0.03  # retries (and step, m) toward the centre for an unreachable free spot


def _check_reachable(xyz: np.ndarray, what: str) -> None:
    ws = context.current().workspace
    reason = ws.violation(xyz)
    if reason is not None:
        raise OutsideWorkspaceError(f"{what} outside workspace ({reason})", target=xyz,
                                    workspace={"x": ws.x, "y": ws.y, "z": ws.z})


def _inside(tool_xy: np.ndarray) -> np.ndarray:
    """Clamp a tool xy into the workspace: correcting for where the block sits in the hand can push
    the tool a little past an edge when the target is on that edge (a corner, a side). The target
    itself was checked, so this moves the tool by at most the in-hand offset (< 4 cm)."""
    ws = context.current().workspace
    return np.array([min(max(tool_xy[0], ws.x[0]), ws.x[1]), min(max(tool_xy[1], ws.y[0]), ws.y[1])])


def _carry_height(infos: list[ObjectInfo], held: HeldBlock | None, exclude: str | None = None) -> float:
    ws = context.current().workspace
    tops = [o.bbox_max[2] for o in infos if o.name != exclude]
    tallest = max(tops, default=ws.table_z)
    below_tool = held.bottom_offset if held else 0.0
    z = max(ws.table_z + SAFE_HEIGHT, tallest + CLEARANCE + below_tool)
    return min(z, ws.z[1])


def _grasp_yaw(object_yaw: float) -> float:
    """Gripper yaw aligned with a block's faces."""
    return fold(object_yaw)


def _travel(robot, xy, z: float, yaw: float | None) -> None:
    """Rise to `z` where we are, then move across at that height to above `xy`."""
    pos = np.array(robot.ee_pose().position, dtype=float)
    if pos[2] < z - 1e-3:
        robot.move_ee((float(pos[0]), float(pos[1]), float(z)), yaw=None)
    robot.move_ee((float(xy[0]), float(xy[1]), float(z)), yaw=yaw)


def _pickable(name, infos: list[ObjectInfo]) -> ObjectInfo:
    if isinstance(name, str):
        info = lookup.find(name, infos)
    else:  # a position: the object whose centre is nearest in the table plane, within 5 cm
        xyz = geometry.as_xyz(name)
        blocks = [o for o in infos if o.kind != "bowl"]
        if not blocks:
            raise ObjectNotFoundError("there is no block to pick", known=[o.name for o in infos])
        d = [math.dist(o.position[:2], xyz[:2]) for o in blocks]
        if min(d) > 0.05:
            raise ObjectNotFoundError(f"no block within 5 cm of ({xyz[0]:.2f}, {xyz[1]:.2f})",
                                      target=xyz, known=[o.name for o in blocks])
        info = blocks[int(np.argmin(d))]
    if info.kind == "bowl":
        raise InvalidArgumentError(f"{info.name!r} is a bowl and cannot be picked; pick blocks "
                                   "and place them in bowls", name=info.name)
    above = [o.name for o in infos if lookup.resting_on(o, info)]
    if above:
        raise InvalidArgumentError(f"cannot pick {info.name!r}: {', '.join(repr(a) for a in above)} "
                                   "is on top of it; move that first", name=info.name, on_top=above)
    return info


@primitive(examples=["pick('red block')"])
def pick(name: str) -> None:
    """Pick up a block from above; raises GraspFailedError when the fingers close on nothing."""
    backend = context.current()
    robot = backend.robot
    if held_block(robot) is not None and robot.is_grasping():
        raise InvalidArgumentError(f"already holding {held_block(robot).name!r}; place it before picking another",
                                   holding=held_block(robot).name)
    infos = lookup.objects()
    target_name = _pickable(name, infos).name
    last_reason = ""
    for attempt in range(GRASP_ATTEMPTS):
        if attempt:
            infos = lookup.objects()  # fresh perception: a failed grasp may have nudged the block
        info = lookup.find(target_name, infos)
        top = info.bbox_max[2]
        height = top - info.bbox_min[2]
        grasp_z = max(top - min(GRASP_DEPTH, height / 2), backend.workspace.table_z + 0.005)
        xy = info.position[:2]
        _check_reachable(np.array([xy[0], xy[1], grasp_z]), f"{info.name!r} is")
        yaw = _grasp_yaw(info.yaw)
        robot.open_gripper()
        _travel(robot, xy, _carry_height(infos, None), yaw)
        robot.move_ee((float(xy[0]), float(xy[1]), float(grasp_z)), yaw=yaw)
        closed_on_object = robot.close_gripper()
        held = HeldBlock(info.name, grasp_z - info.bbox_min[2], height)
        set_held(robot, held)
        lift_z = _carry_height(infos, held, exclude=info.name)
        robot.move_ee((float(xy[0]), float(xy[1]), float(lift_z)), yaw=None)
        if closed_on_object and robot.is_grasping():
            set_held(robot, measure_in_hand(robot, held))
            return None
        last_reason = ("fingers closed on nothing" if not closed_on_object
                       else f"{info.name!r} slipped out of the fingers while lifting")
        set_held(robot, None)
        robot.open_gripper()
    raise GraspFailedError(f"grasp failed: {last_reason} (picking {target_name!r}, {GRASP_ATTEMPTS} attempts)",
                           name=target_name, attempts=GRASP_ATTEMPTS)


def _support_top(xy, infos: list[ObjectInfo], exclude: str) -> float:
    """Height of whatever a block released over `xy` would land on: table, bowl floor or a block top."""
    z = context.current().workspace.table_z
    for o in infos:
        if o.name == exclude or not lookup.footprint_contains(o, xy):
            continue
        surface = o.bbox_min[2] + BOWL_FLOOR if o.kind == "bowl" else o.bbox_max[2]
        z = max(z, surface)
    return z


def _named_object(name: str, infos: list[ObjectInfo]) -> ObjectInfo | None:
    key = lookup.normalize_name(name)
    return next((o for o in infos if lookup.normalize_name(o.name) == key), None)


def _place_target(target, infos: list[ObjectInfo], held_name: str) -> tuple[np.ndarray, float | None]:
    """xy of a place target and the yaw to release at (a block's faces, so stacks line up)."""
    if isinstance(target, str) and _named_object(target, infos) is not None:
        info = _named_object(target, infos)
        if lookup.normalize_name(info.name) == lookup.normalize_name(held_name):
            raise InvalidArgumentError(f"cannot place {held_name!r} on itself", name=held_name)
        yaw = _grasp_yaw(info.yaw) if info.kind == "block" else None
        return np.array(info.position, dtype=float), yaw
    return lookup.resolve_xyz(target, infos), None


@primitive(examples=["pick('red block')\nplace('blue bowl')", "pick('red block')\nplace('top left corner')",
                     "pick('red block')\nplace([0.0, -0.5])"])
def place(target: str | np.ndarray) -> None:
    """Put the held block down on/in an object, at a named location or at a position (x, y)."""
    backend = context.current()
    robot = backend.robot
    held = held_block(robot)
    if held is None or not robot.is_grasping():
        set_held(robot, None)
        raise InvalidArgumentError("place() needs a held block: call pick(name) first", target=str(target))
    infos = lookup.objects()
    xyz, block_yaw = _place_target(target, infos, held.name)
    _check_reachable(xyz, "target")
    on_object = isinstance(target, str) and _named_object(target, infos) is not None
    # A free spot (location or position) may sit where the arm cannot reach with the tool down, e.g. a
    # corner next to the base: then try it a little closer to the table's centre (the block still ends
    # in that corner/side region). Object targets are never moved.
    for attempt in range(1 if on_object else PLACE_SHIFTS + 1):
        spot = xyz if attempt == 0 else _toward_centre(xyz, attempt * PLACE_SHIFT)
        try:
            _place_at(robot, held, spot, block_yaw, infos)
            break
        except UnreachableError:
            if on_object or attempt == PLACE_SHIFTS or not robot.is_grasping():
                raise
    if on_object:
        _restack_if_it_slid_off(robot, held.name, target)
    return None


def _restack_if_it_slid_off(robot, name: str, target: str) -> None:
    """A block let go over another block can still slide off (it slipped in the fingers on the way and
    landed askew). Look, and when it does not rest on its target block, pick it up and place it once
    more. Bowls are not retried: a block that bounced out of one is judged as it lies."""
    for _ in range(RESTACK_ATTEMPTS):
        infos = lookup.objects()
        base, top = _named_object(target, infos), _named_object(name, infos)
        if base is None or top is None or base.kind != "block" or lookup.resting_on(top, base):
            return
        try:
            pick(name)
        except PrimitiveError:
            return  # it lies where it fell; the checker will say so
        held = held_block(robot)
        infos = lookup.objects()
        xyz, block_yaw = _place_target(target, infos, name)
        _place_at(robot, held, xyz, block_yaw, infos)


def _toward_centre(xyz: np.ndarray, dist: float) -> np.ndarray:
    centre = context.current().workspace.center
    d = centre[:2] - xyz[:2]
    n = float(np.linalg.norm(d))
    out = xyz.copy()
    if n > 1e-9:
        out[:2] += d / n * min(dist, n)
    return out


def _place_at(robot, held: HeldBlock, xyz: np.ndarray, block_yaw: float | None, infos: list[ObjectInfo]) -> None:
    support = _support_top(xyz[:2], infos, exclude=held.name)
    release_z = support + RELEASE_GAP + held.bottom_offset
    # Over a bowl, open above its rim: fingers opening inside a bowl catch on its wall.
    rims = [o.bbox_max[2] for o in infos if o.kind == "bowl" and o.name != held.name
            and lookup.footprint_contains(o, xyz[:2])]
    if rims:
        release_z = max(release_z, max(rims) + RIM_CLEARANCE)
    _check_reachable(np.array([xyz[0], xyz[1], release_z]), "release point")
    carry = _carry_height(infos, held, exclude=held.name)
    # Turn so the held block's faces line up with a target block's, then put the tool where the
    # block (not the tool) ends over the target; the robot may realise a yaw as any equivalent one,
    # so the in-hand offset is applied with the yaw it actually reached.
    yaw = None if block_yaw is None else nearest_face_yaw(block_yaw - held.yaw_in_hand, tool_yaw(robot))
    tool_xy = _inside(xyz[:2] - rotate(held.offset_xy, tool_yaw(robot) if yaw is None else yaw))
    _travel(robot, tool_xy, carry, yaw)
    _check_still_held(robot, held)
    corrected = _inside(xyz[:2] - rotate(held.offset_xy, tool_yaw(robot)))
    if float(np.linalg.norm(corrected - tool_xy)) > 1e-3:
        tool_xy = corrected
        robot.move_ee((float(tool_xy[0]), float(tool_xy[1]), float(carry)), yaw=None)
    robot.move_ee((float(tool_xy[0]), float(tool_xy[1]), float(release_z)), yaw=None)
    tool_xy = _center_held_over(robot, held.name, xyz[:2], tool_xy, release_z)
    robot.open_gripper()
    set_held(robot, None)
    robot.move_ee((float(tool_xy[0]), float(tool_xy[1]), float(max(carry, release_z + 0.05))), yaw=None)


def _check_still_held(robot, held: HeldBlock) -> None:
    """A block can slip out while the arm swings across the table: say so instead of going on to
    'place' an empty hand."""
    if not robot.is_grasping():
        set_held(robot, None)
        robot.open_gripper()
        raise GraspFailedError(f"{held.name!r} dropped out of the fingers while carrying it", name=held.name,
                               dropped=True)


def _center_held_over(robot, name: str, target_xy: np.ndarray, tool_xy: np.ndarray, z: float) -> np.ndarray:
    """Just before release, look at the held block and nudge the tool until the block (which can
    slide in the fingers while the arm moves) is within a few millimetres of the target."""
    for _ in range(PLACE_CORRECTIONS):
        try:
            info = lookup.find(name)
        except PrimitiveError:
            return tool_xy
        error = np.asarray(target_xy, dtype=float) - np.array(info.position[:2])
        if float(np.linalg.norm(error)) < PLACE_TOLERANCE or float(np.linalg.norm(error)) > 0.05:
            return tool_xy  # close enough, or not the block we hold (perception lost it)
        tool_xy = _inside(tool_xy + error)
        robot.move_ee((float(tool_xy[0]), float(tool_xy[1]), float(z)), yaw=None)
    return tool_xy


@primitive(examples=["put_first_on_second('red block', 'blue bowl')",
                     "put_first_on_second('red block', get_location('top right corner'))"])
def put_first_on_second(obj: str | np.ndarray, target: str | np.ndarray) -> None:
    """Pick the first (a block name or position) and place it on the second (name or position)."""
    # Check the destination before picking, so a bad target never leaves the block in the hand.
    destination = lookup.resolve_xyz(target)
    _check_reachable(destination, "target")
    if isinstance(obj, str) and isinstance(target, str) \
            and lookup.normalize_name(obj) == lookup.normalize_name(target):
        raise InvalidArgumentError(f"cannot put {obj!r} on itself", name=obj)
    robot = context.current().robot
    held = held_block(robot)
    # `pick(x); put_first_on_second(x, y)` is a common way to write it: x is already in hand, just place it.
    already_held = (isinstance(obj, str) and held is not None and robot.is_grasping()
                    and lookup.normalize_name(obj) == lookup.normalize_name(held.name))
    if not already_held:
        pick(obj)
    try:
        place(target)
    except GraspFailedError as exc:
        # Dropped on the way: pick it up again from where it fell, once (a human would).
        if not (exc.details.get("dropped") and isinstance(obj, str)):
            raise
        pick(obj)
        place(target)
    return None


@primitive(examples=["move_to([0.0, -0.5, 0.2])"])
def move_to(xyz: np.ndarray) -> None:
    """Move the gripper tip in a straight line to (x, y, z) in metres, pointing down."""
    point = geometry.as_xyz(xyz, what="move_to target")
    if np.size(np.asarray(xyz, dtype=float)) == 2:  # an xy keeps the current height
        point[2] = context.current().robot.ee_pose().position[2]
    _check_reachable(point, "target")
    context.current().robot.move_ee(tuple(float(v) for v in point), yaw=None)
    return None


@primitive(examples=["open_gripper()"])
def open_gripper() -> None:
    """Open the gripper fingers (releases anything held)."""
    robot = context.current().robot
    robot.open_gripper()
    set_held(robot, None)
    return None


@primitive(examples=["holding = close_gripper()"])
def close_gripper() -> bool:
    """Close the gripper fingers; returns True when an object is held between them."""
    return bool(context.current().robot.close_gripper())


@primitive(examples=["home()"])
def home() -> None:
    """Move the arm to its home pose above the table (keeps holding what it holds)."""
    context.current().robot.home()
    return None


@primitive(examples=["push('red block', 'left', 0.1)"])
def push(name: str, direction: str | np.ndarray, dist: float = 0.1) -> None:
    """Push an object along the table `dist` metres in a direction ('left', 'right', 'top', 'bottom')."""
    if isinstance(dist, bool) or not isinstance(dist, (int, float, np.integer, np.floating)) \
            or not np.isfinite(dist) or not 0 < float(dist) <= 0.5:
        raise InvalidArgumentError(f"push distance must be a number of metres in (0, 0.5], got {dist!r}")
    backend = context.current()
    robot = backend.robot
    if held_block(robot) is not None and robot.is_grasping():
        raise InvalidArgumentError(f"cannot push while holding {held_block(robot).name!r}; place it first")
    infos = lookup.objects()
    info = lookup.find(name, infos)
    vec = geometry.direction_vector(direction)
    half = 0.5 * float(np.max(np.subtract(info.bbox_max, info.bbox_min)[:2]))
    height = info.bbox_max[2] - info.bbox_min[2]
    z = info.bbox_min[2] + min(0.5 * height, 0.02)
    center = np.array(info.position[:2], dtype=float)
    start = center - vec * (half + PUSH_BACKOFF)
    end = center + vec * float(dist) - vec * half  # tool stops where the object's near face should end
    start3, end3 = np.array([*start, z]), np.array([*end, z])
    _check_reachable(start3, "push start")
    _check_reachable(np.array([*(center + vec * float(dist)), z]), "push target")
    # Fingers closed, yaw across the push so the finger pair presents a wide face.
    yaw = float(math.atan2(vec[1], vec[0]) + math.pi / 2)
    yaw = (yaw + math.pi / 2) % math.pi - math.pi / 2
    robot.close_gripper()
    _travel(robot, start, _carry_height(infos, None), yaw)
    robot.move_ee(tuple(start3), yaw=None)
    robot.move_ee(tuple(end3), yaw=None)
    robot.move_ee((float(end3[0]), float(end3[1]), _carry_height(infos, None)), yaw=None)
    robot.open_gripper()
    return None

