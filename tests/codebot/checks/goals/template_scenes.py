"""Hand-made before/after scenes for each of the 14 templates: a layout of the instance's objects and
an 'after' in which the instruction has been carried out (by moving boxes, no physics)."""
from __future__ import annotations

import numpy as np

from codebot.primitives.workspace import DEFAULT_WORKSPACE as W
from codebot.checks.tasks.attributes import CORNERS, DIRECTIONS, ORDINALS, place_point
from codebot.checks.tasks.relations import Scene, nearest_corner, radius_xy, xy
from scenes import BLOCK, block, bowl, in_bowl_block, replace


def layout(instance, rng: np.random.Generator) -> list:
    """Bowls and blocks scattered over the table, at least 12 cm apart, away from the edges."""
    spots: list[np.ndarray] = []
    objs = []
    for kind, colours in (("bowl", instance.scene.bowls), ("block", instance.scene.blocks)):
        for c in colours:
            for _ in range(500):
                p = np.array([rng.uniform(-0.2, 0.2), rng.uniform(-0.7, -0.3)])
                if all(np.linalg.norm(p - q) > 0.12 for q in spots):
                    break
            spots.append(p)
            objs.append(bowl(c, *p) if kind == "bowl" else block(c, *p))
    return objs


def inward(place: str, k: int = 0) -> np.ndarray:
    """A point inside a corner/side region, the k-th of a few distinct ones."""
    p = place_point(place, W)
    centre = W.center[:2]
    step = np.sign(centre - p)
    along = np.array([step[1] != 0, step[0] != 0], dtype=float)  # along the edge for a side
    base = p + step * 0.05
    if step[0] != 0 and step[1] != 0:
        offsets = [(0, 0), (0.05, 0), (0, 0.05), (0.05, 0.05)]
        return base + step * np.array(offsets[k % 4])
    return base + along * (k - 1) * 0.06


def tower(names_colours, x, y, base_z=0.0):
    return [block(c, x, y, base_z + i * BLOCK) for i, c in enumerate(names_colours)]


def solved(instance, before: list) -> list:
    """`before` with the instruction carried out."""
    p, name, scene = instance.params, instance.task.name, Scene(before)
    blocks = scene.blocks()
    colours = [b.color for b in blocks]
    if name == "pick_place":
        target = scene.get(p["target"])
        b = scene.get(p["block"])
        if target.kind == "bowl":
            return replace(before, in_bowl_block(b.color, target))
        return replace(before, block(b.color, target.position[0], target.position[1], BLOCK))
    if name == "stack_all_blocks":
        return replace(before, *tower(colours, 0.0, -0.5))
    if name == "all_blocks_on_place":
        return replace(before, *[block(c, *inward(p["place"], k)) for k, c in enumerate(colours)])
    if name == "blocks_in_bowl":
        target = scene.get(p["bowl"])
        return replace(before, *[in_bowl_block(c, target, k) for k, c in enumerate(colours)])
    if name == "matching_bowls":
        return replace(before, *[in_bowl_block(b.color, scene.get(f"{b.color} bowl"))
                                 for b in blocks if scene.get(f"{b.color} bowl")])
    if name in ("block_beside_bowl_to_place", "block_by_distance_to_place", "nth_block_to_place"):
        meant, _ = instance.task.referent(instance, scene)
        return replace(before, block(scene.get(meant).color, *inward(p["place"], 1)))
    if name == "different_corners":
        return replace(before, *[block(c, *inward(CORNERS[k])) for k, c in enumerate(colours)])
    if name == "mismatched_bowls":
        bowls = scene.bowls()
        out = []
        for k, b in enumerate(blocks):
            choices = [w for w in bowls if w.color != b.color]
            out.append(in_bowl_block(b.color, choices[k % len(choices)], 0 if k < len(choices) else 1))
        return replace(before, *out)
    if name == "stack_on_place":
        spot = inward(p["place"], 1)
        return replace(before, *tower(colours, *spot))
    if name == "block_offset_from_bowl":
        w = scene.get(p["bowl"])
        gap = 0.055 if p["amount"] == "a little" else 0.175
        spot = xy(w) + np.array(DIRECTIONS[p["direction"]]) * (radius_xy(w) + gap)
        return replace(before, block(scene.get(p["block"]).color, *spot))
    if name == "block_to_corner_by_bowl":
        corner, _ = nearest_corner(xy(scene.get(p["bowl"])), W, farthest=p["distance"] == "farthest")
        return replace(before, block(scene.get(p["block"]).color, *inward(corner)))
    if name == "blocks_in_line":
        axis = {"horizontal": (1, 0), "vertical": (0, 1), "diagonal": (0.7071, 0.7071)}[p["line"]]
        n = len(colours)
        pts = [np.array([0.0, -0.5]) + np.array(axis) * 0.1 * (k - (n - 1) / 2) for k in range(n)]
        return replace(before, *[block(c, *pt) for c, pt in zip(colours, pts)])
    raise KeyError(name)


__all__ = ["layout", "solved", "ORDINALS"]
