"""Pure-numpy tabletop geometry behind the spatial primitives: named table locations, directions,
normalised coordinates and lines of points. No robot, no perception: everything here is a function of
its arguments and a `Workspace`, so it is fast and trivially testable.

Conventions (Code as Policies): left/right are -x/+x, top/bottom are +y/-y, z is up from the table.
"""
from __future__ import annotations

import numpy as np

from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace

# Unit vectors in the table plane; aliases let an LLM say "up"/"down" for top/bottom.
DIRECTIONS: dict[str, tuple[float, float]] = {
    "left": (-1.0, 0.0),
    "right": (1.0, 0.0),
    "top": (0.0, 1.0),
    "bottom": (0.0, -1.0),
}
DIRECTION_ALIASES = {"up": "top", "down": "bottom", "above": "top", "below": "bottom",
                     "upper": "top", "lower": "bottom", "front": "bottom", "back": "top"}

CORNERS = ("top left corner", "top right corner", "bottom left corner", "bottom right corner")
SIDES = ("top side", "bottom side", "left side", "right side")
CENTRES = ("middle", "center")
LOCATION_NAMES = CORNERS + SIDES + CENTRES


def _norm(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").replace("-", " ").split())


def direction_name(direction: str) -> str:
    """Canonical direction ('left', 'right', 'top', 'bottom') of a name or alias."""
    if not isinstance(direction, str):
        raise InvalidArgumentError(f"direction must be a string such as 'left', got {type(direction).__name__}",
                                   valid=sorted(DIRECTIONS))
    # toward a side is that side's direction: push('blue block', 'right side') means to the right
    key = _location_key(direction).removesuffix(" side")
    key = DIRECTION_ALIASES.get(key, key)
    if key not in DIRECTIONS:
        # an object's name where a direction goes ("push('green block', 'pink block')"): say which call moves there
        hint = (f" ({direction!r} is an object, not a direction: put_first_on_second(obj, {direction!r}) puts obj "
                f"on it, place(...) sets down what is held)") if _norm(direction).endswith((" block", " bowl")) else ""
        raise InvalidArgumentError(
            f"unknown direction {direction!r}; use one of {', '.join(sorted(DIRECTIONS))}{hint}",
            direction=direction, valid=sorted(DIRECTIONS))
    return key


def direction_vector(direction) -> np.ndarray:
    """Unit xy vector of a direction name, or of a given 2-vector (normalised)."""
    if isinstance(direction, str):
        return np.array(DIRECTIONS[direction_name(direction)])
    vec = as_xyz(direction, what="direction")[:2] if np.size(direction) == 3 else _as_array(direction, 2, "direction")
    length = float(np.linalg.norm(vec))
    if length < 1e-9:
        raise InvalidArgumentError("direction vector has zero length", direction=vec)
    return vec / length


def _as_array(value, size: int, what: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{what} must be {size} numbers, got {value!r}", value=str(value)) from None
    if arr.size != size:
        raise InvalidArgumentError(f"{what} must be {size} numbers, got {arr.size}", value=arr)
    if not np.all(np.isfinite(arr)):
        raise InvalidArgumentError(f"{what} contains a non-finite number: {arr.tolist()}", value=arr)
    return arr


def as_xyz(value, z: float | None = None, what: str = "position") -> np.ndarray:
    """A finite float (3,) array from an xyz or an xy (z filled with `z`, default the table height 0)."""
    if isinstance(value, (str, bytes)) or value is None:
        raise InvalidArgumentError(f"{what} must be numbers (x, y) or (x, y, z), got {value!r}", value=str(value))
    try:
        arr = np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{what} must be numbers (x, y) or (x, y, z), got {value!r}",
                                   value=str(value)) from None
    if arr.size == 2:
        arr = np.append(arr, DEFAULT_WORKSPACE.table_z if z is None else z)
    if arr.size != 3:
        raise InvalidArgumentError(f"{what} must have 2 or 3 numbers, got {arr.size}", value=arr)
    if not np.all(np.isfinite(arr)):
        raise InvalidArgumentError(f"{what} contains a non-finite number: {arr.tolist()}", value=arr)
    return arr


# Corners and sides are reported this far inside the table edge, so a block placed at one lies
# wholly on the table and its release point passes the workspace check (as in Code as Policies).
LOCATION_INSET = 0.05


# A program often names a place in the instruction's own words ("the left edge", "the right-hand side of the
# table", "upper left corner"): the same places under other words, read before the lookup.
_LOCATION_WORDS = {"edge": "side", "upper": "top", "lower": "bottom", "centre": "center"}


def _location_key(name: str) -> str:
    key = _norm(name).removeprefix("the ").replace("left hand", "left").replace("right hand", "right")
    key = key.removesuffix(" of the table").removesuffix(" of table")
    return " ".join(_LOCATION_WORDS.get(word, word) for word in key.split())


def location_xyz(name: str, workspace: Workspace = DEFAULT_WORKSPACE) -> np.ndarray:
    """Table point of a named location ('top left corner', 'left side', 'middle', ...), z = table;
    corners and sides lie LOCATION_INSET inside the edges."""
    key = _location_key(name)
    key = {"top left": "top left corner", "top right": "top right corner",
           "bottom left": "bottom left corner", "bottom right": "bottom right corner",
           "top": "top side", "bottom": "bottom side", "left": "left side", "right": "right side"}.get(key, key)
    (x0, x1), (y0, y1) = workspace.x, workspace.y
    xm, ym, z = (x0 + x1) / 2, (y0 + y1) / 2, workspace.table_z
    x0, x1, y0, y1 = x0 + LOCATION_INSET, x1 - LOCATION_INSET, y0 + LOCATION_INSET, y1 - LOCATION_INSET
    table = {
        "top left corner": (x0, y1), "top right corner": (x1, y1),
        "bottom left corner": (x0, y0), "bottom right corner": (x1, y0),
        "top side": (xm, y1), "bottom side": (xm, y0), "left side": (x0, ym), "right side": (x1, ym),
        "middle": (xm, ym), "center": (xm, ym),
    }
    if key not in table:
        raise InvalidArgumentError(f"unknown location {name!r}; known locations: {', '.join(LOCATION_NAMES)}",
                                   location=name, valid=list(LOCATION_NAMES))
    return np.array([*table[key], z], dtype=float)


def is_location_name(name) -> bool:
    if not isinstance(name, str):
        return False
    try:
        location_xyz(name)
    except InvalidArgumentError:
        return False
    return True


def denormalize(xy, workspace: Workspace = DEFAULT_WORKSPACE) -> np.ndarray:
    """Map a normalised point ([0,1]² with (0,0) the bottom left corner) to table xyz."""
    arr = _as_array(xy, 2, "normalised xy")
    x = workspace.x[0] + arr[0] * (workspace.x[1] - workspace.x[0])
    y = workspace.y[0] + arr[1] * (workspace.y[1] - workspace.y[0])
    return np.array([x, y, workspace.table_z])


def normalize(xyz, workspace: Workspace = DEFAULT_WORKSPACE) -> np.ndarray:
    """Inverse of `denormalize` for the xy part of a table point."""
    arr = as_xyz(xyz)
    return np.array([(arr[0] - workspace.x[0]) / (workspace.x[1] - workspace.x[0]),
                     (arr[1] - workspace.y[0]) / (workspace.y[1] - workspace.y[0])])


def offset(xyz, direction, dist: float) -> np.ndarray:
    """The point `dist` metres from `xyz` in `direction` (a name or an xy vector)."""
    if isinstance(dist, bool) or not isinstance(dist, (int, float, np.integer, np.floating)) \
            or not np.isfinite(dist):
        raise InvalidArgumentError(f"distance must be a finite number of metres, got {dist!r}")
    out = as_xyz(xyz).copy()
    out[:2] += direction_vector(direction) * float(dist)
    return out


def order_along(points: np.ndarray, direction) -> np.ndarray:
    """Indices of `points` (N, >=2) sorted from the most `direction`-ward to the least."""
    vec = direction_vector(direction)
    pts = np.asarray(points, dtype=float).reshape(len(points), -1)[:, :2]
    # Stable so ties keep their input order (deterministic programs).
    return np.argsort(-(pts @ vec), kind="stable")


# Line kinds and their axis on the table (x right, y up); a space or hyphen is one word break (_norm).
LINE_AXES = {"horizontal": (1.0, 0.0), "vertical": (0.0, 1.0), "diagonal": (1.0, 1.0),
             "anti diagonal": (1.0, -1.0), "antidiagonal": (1.0, -1.0)}


def line_points(kind: str, n: int, workspace: Workspace = DEFAULT_WORKSPACE, center=None,
                spacing: float | None = None) -> np.ndarray:
    """`n` evenly spaced table points (n, 3) on a 'horizontal' (along x), 'vertical' (along y) or
    'diagonal' (bottom left to top right; 'anti-diagonal' top left to bottom right) line through
    `center` (default: the middle). The spacing defaults to what fits with a margin to the edges."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1 or n > 20:
        raise InvalidArgumentError(f"number of points must be an integer from 1 to 20, got {n!r}")
    key = _norm(kind).removesuffix(" line")
    if key not in LINE_AXES:
        raise InvalidArgumentError(f"unknown line kind {kind!r}; use 'horizontal', 'vertical' or 'diagonal'",
                                   valid=["horizontal", "vertical", "diagonal", "anti-diagonal"])
    c = workspace.center if center is None else as_xyz(center, z=workspace.table_z, what="center")
    axis = np.array(LINE_AXES[key]) / np.linalg.norm(LINE_AXES[key])
    # Longest segment through c along axis that stays inside the workspace with a 5 cm margin.
    margin = 0.05
    reach = []
    for sign in (1, -1):
        limits = []
        for i, (lo, hi) in enumerate((workspace.x, workspace.y)):
            a = sign * axis[i]
            if abs(a) > 1e-9:
                bound = (hi - margin - c[i]) / a if a > 0 else (lo + margin - c[i]) / a
                limits.append(bound)
        reach.append(max(0.0, min(limits)))
    if spacing is None:
        spacing = min(0.15, (reach[0] + reach[1]) / max(n - 1, 1))
    if not np.isfinite(spacing) or spacing < 0:
        raise InvalidArgumentError(f"spacing must be a non-negative number, got {spacing!r}")
    ts = (np.arange(n) - (n - 1) / 2) * float(spacing)
    # Shift the run back inside when the centre is near an edge.
    shift = min(0.0, reach[0] - ts[-1]) + max(0.0, -reach[1] - ts[0]) if n > 1 else 0.0
    ts = ts + shift
    pts = np.zeros((n, 3))
    pts[:, :2] = c[:2] + ts[:, None] * axis
    pts[:, 2] = workspace.table_z
    return pts


SHAPES = ("circle", "square", "triangle")


def shape_points(kind: str, n: int, workspace: Workspace = DEFAULT_WORKSPACE, center=None,
                 size: float = 0.2) -> np.ndarray:
    """`n` table points (n, 3) spread evenly around the outline of a 'circle', 'square' or 'triangle'
    of width `size` centred at `center` (default the middle); the first point is the top one."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1 or n > 20:
        raise InvalidArgumentError(f"number of points must be an integer from 1 to 20, got {n!r}")
    if not isinstance(size, (int, float, np.integer, np.floating)) or not np.isfinite(size) or size <= 0:
        raise InvalidArgumentError(f"size must be a positive number of metres, got {size!r}")
    key = _norm(kind)
    if key not in SHAPES:
        # a model that copied a shape example for a line: name the primitive it wants
        lines = " (for a line: points_on_line)" if "line" in key or any(w in key for w in LINE_AXES) else ""
        raise InvalidArgumentError(f"unknown shape {kind!r}; use one of {', '.join(SHAPES)}{lines}", valid=list(SHAPES))
    c = workspace.center if center is None else as_xyz(center, z=workspace.table_z, what="center")
    r = float(size) / 2
    if key == "circle":
        angles = np.pi / 2 - 2 * np.pi * np.arange(n) / n
        xy = np.stack([np.cos(angles), np.sin(angles)], axis=1) * r
    else:
        sides = 4 if key == "square" else 3
        start = np.pi / 2 + (np.pi / 4 if sides == 4 else 0.0)  # square corners up-left first
        corners = np.array([[np.cos(start - 2 * np.pi * k / sides), np.sin(start - 2 * np.pi * k / sides)]
                            for k in range(sides + 1)]) * r
        seg = np.linalg.norm(np.diff(corners, axis=0), axis=1)
        ts = np.arange(n) / n * seg.sum()  # walk the perimeter in equal steps
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        idx = np.minimum(np.searchsorted(cum, ts, side="right") - 1, sides - 1)
        frac = (ts - cum[idx]) / seg[idx]
        xy = corners[idx] + (corners[idx + 1] - corners[idx]) * frac[:, None]
    pts = np.zeros((n, 3))
    pts[:, :2] = c[:2] + xy
    pts[:, 2] = workspace.table_z
    return pts
