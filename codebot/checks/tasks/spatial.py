"""Spatial-geometric templates of the Code-as-Policies tabletop suite: 6-8 (seen instructions) and
12-14 (unseen instructions). Re-implementation: the paper's checkers were never published; the
success conditions are ours and stated in each docstring.

Referents ('the block to the left of the blue bowl') depend on where the layout put things, so these
templates also say when a layout is ambiguous (`scene_problem`); the benchmark re-draws the layout."""
from __future__ import annotations

import math
import re

import numpy as np

from codebot.primitives.workspace import DEFAULT_WORKSPACE
from codebot.checks.tasks.attributes import (AMOUNTS, COLOR_RE, DIRECTION_RE, DIRECTIONS, DISTANCES, ORDINALS,
                                  PLACE_RE, attributes, normalize)
from codebot.checks.tolerances import LINE_ANGLE_TOL, LINE_RESIDUAL_MAX, LITTLE, LOT_MIN, SIDEWAYS_MAX
from codebot.checks.tasks.common import CapTask, Judge, py
from codebot.checks.tasks.long_horizon import _BLOCKS, FREE_SPOT
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import (Scene, at_place, in_bowl, line_fit, nearest_corner, on_table,
                                 projection, radius_xy, size, xy)

REFERENT_MARGIN = 0.03  # m: the chosen referent must beat the runner-up by this much
LINE_SPACING = 0.10  # m between blocks in the reference policy's line


class _PickReferentToPlace(CapTask):
    """Templates 6-8: find a block by a relation, put it on a corner/side."""

    blocks_range = (2, 4)
    bowls_range = (1, 2)

    def scores(self, instance, scene: Scene) -> dict[str, float]:
        """Block name -> how well it fits the description (the referent has the highest)."""
        raise NotImplementedError

    def referent(self, instance, scene: Scene) -> tuple[str | None, float]:
        """The block the instruction means, and its lead over the runner-up (metres)."""
        ranked = sorted(self.scores(instance, scene).items(), key=lambda kv: -kv[1])
        if not ranked:
            return None, 0.0
        lead = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else math.inf
        return ranked[0][0], lead

    def scene_problem(self, instance, objects, workspace=DEFAULT_WORKSPACE):
        name, lead = self.referent(instance, Scene(objects))
        if name is None:
            return "no block fits the description"
        if lead < REFERENT_MARGIN:
            return f"ambiguous: {name} leads the runner-up by only {lead * 100:.1f} cm"
        return super().scene_problem(instance, objects, workspace)

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        place = instance.params["place"]
        name, _ = self.referent(instance, j.before)
        if name is None:
            j.failures.append("no block in the initial scene fits the description")
            return j.verdict("")
        j.details["referent"] = name
        b = j.final(name)
        if b is not None:
            j.require(at_place(b, place, workspace), f"{name} (the block meant) is not on the {place}")
        j.others_unmoved([o.name for o in j.before.objects if o.name != name])
        return j.verdict(f"{name} (the block meant) is on the {place}")

    def _policy(self, score_expr: str, instance) -> str:
        """Pick the block with the highest score, as computed from perception at run time."""
        return (FREE_SPOT + _BLOCKS + f"""best = None
best_score = -1000.0
for name in block_names:
    pos = get_obj_pos(name)
    score = {score_expr}
    if score > best_score:
        best = name
        best_score = score
put_first_on_second(best, free_spot({py(instance.params['place'])}, best))
""")


@register
class BlockBesideBowlToPlace(_PickReferentToPlace):
    """Pick up the block to the <direction> of the <bowl> and place it on the <corner/side>.

    Task: find the one block on a given side of a bowl and move it to a corner or side.
    Randomization: direction, bowl colour and place from the split; 2-4 blocks, 1-2 bowls. A layout is
        used only when exactly one block lies on that side (3 cm clear of the others).
    Success: the block meant (largest signed offset from the bowl along the direction, in the initial
        scene) is in the place's region; no other object moved more than 5 cm.
    """

    name = "block_beside_bowl_to_place"
    template_id = 6
    category = "spatial"
    _pattern = re.compile(rf"pick up the block (?:to the|on the|that is to the) {DIRECTION_RE} of the "
                          rf"{COLOR_RE} bowl and (?:place|put) it (?:on|in|at) the {PLACE_RE}")

    def sample(self, rng, split="seen"):
        a = attributes(split)
        direction, bowl, place = (str(rng.choice(a[k])) for k in ("directions", "colors", "places"))
        return self._make(direction, bowl, place, self.draw_scene(rng, split, bowls=[bowl]), split)

    def _make(self, direction, bowl, place, scene, split):
        text = f"pick up the block to the {direction} of the {bowl} bowl and place it on the {place}"
        return self.instance(text, {"direction": direction, "bowl": f"{bowl} bowl", "place": place,
                                    "split": split}, scene)

    def parse(self, instruction):
        m = self._pattern.fullmatch(normalize(instruction))
        return self._make(m.group(1), m.group(2), m.group(3),
                          self.default_scene(bowls=[m.group(2)], n_blocks=3), "parsed") if m else None

    def referent(self, instance, scene):
        bowl = scene.get(instance.params["bowl"])
        if bowl is None:
            return None, 0.0
        proj = sorted(((projection(o, xy(bowl), instance.params["direction"]), o.name)
                       for o in scene.blocks()), reverse=True)
        if not proj or proj[0][0] <= 0:
            return None, 0.0
        # Unambiguous when the referent is clearly on that side and every other block clearly not.
        lead = min(proj[0][0], -proj[1][0]) if len(proj) > 1 else proj[0][0]
        return proj[0][1], lead

    def reference_policy(self, instance):
        dx, dy = DIRECTIONS[instance.params["direction"]]
        bowl = py(instance.params["bowl"])
        return (f"bowl_pos = get_obj_pos({bowl})\n"
                + self._policy(f"(pos[0] - bowl_pos[0]) * {dx} + (pos[1] - bowl_pos[1]) * {dy}", instance))


@register
class BlockByDistanceToPlace(_PickReferentToPlace):
    """Pick up the block <distance> to the <bowl> and place it on the <corner/side>.

    Task: find the block closest to (or farthest from) a bowl and move it to a corner or side.
    Randomization: bowl colour and place from the split; 'closest'/'farthest' (no split in the paper);
        2-4 blocks, 1-2 bowls. A layout is used only when the referent leads the runner-up by 3 cm.
    Success: the block meant (by centre distance in the initial scene) is in the place's region; no
        other object moved more than 5 cm.
    """

    name = "block_by_distance_to_place"
    template_id = 7
    category = "spatial"
    _pattern = re.compile(rf"pick up the block (closest|nearest|farthest|furthest) (?:to|from) the "
                          rf"{COLOR_RE} bowl and (?:place|put) it (?:on|in|at) the {PLACE_RE}")

    def sample(self, rng, split="seen"):
        a = attributes(split)
        distance = str(rng.choice(DISTANCES))
        bowl, place = str(rng.choice(a["colors"])), str(rng.choice(a["places"]))
        return self._make(distance, bowl, place, self.draw_scene(rng, split, bowls=[bowl]), split)

    def _make(self, distance, bowl, place, scene, split):
        text = f"pick up the block {distance} to the {bowl} bowl and place it on the {place}"
        return self.instance(text, {"distance": distance, "bowl": f"{bowl} bowl", "place": place,
                                    "split": split}, scene)

    def parse(self, instruction):
        m = self._pattern.fullmatch(normalize(instruction))
        if not m:
            return None
        distance = {"nearest": "closest", "furthest": "farthest"}.get(m.group(1), m.group(1))
        return self._make(distance, m.group(2), m.group(3),
                          self.default_scene(bowls=[m.group(2)], n_blocks=3), "parsed")

    def scores(self, instance, scene):
        bowl = scene.get(instance.params["bowl"])
        if bowl is None:
            return {}
        sign = -1.0 if instance.params["distance"] == "closest" else 1.0
        return {o.name: sign * float(np.linalg.norm(xy(o) - xy(bowl))) for o in scene.blocks()}

    def reference_policy(self, instance):
        sign = -1.0 if instance.params["distance"] == "closest" else 1.0
        return (f"bowl_pos = get_obj_pos({py(instance.params['bowl'])})\n" + self._policy(
            f"{sign} * ((pos[0] - bowl_pos[0]) ** 2 + (pos[1] - bowl_pos[1]) ** 2) ** 0.5", instance))


@register
class NthBlockToPlace(_PickReferentToPlace):
    """Pick up the <nth> block from the <direction> and place it on the <corner/side>.

    Task: count blocks from one side of the table and move the n-th to a corner or side.
    Randomization: ordinal (seen first/second, unseen third/fourth), direction and place from the
        split; max(2, n)-4 blocks, 0-2 bowls. A layout is used only when the n-th block is 3 cm clear
        of its neighbours in that order.
    Success: the block meant (n-th by position along the direction in the initial scene, counting
        from that side) is in the place's region; no other object moved more than 5 cm.
    """

    name = "nth_block_to_place"
    template_id = 8
    category = "spatial"
    bowls_range = (0, 2)
    _pattern = re.compile(rf"pick up the ({'|'.join(ORDINALS)}) block from the {DIRECTION_RE} and "
                          rf"(?:place|put) it (?:on|in|at) the {PLACE_RE}")

    def sample(self, rng, split="seen"):
        a = attributes(split)
        ordinal, direction, place = (str(rng.choice(a[k])) for k in ("ordinals", "directions", "places"))
        n_blocks = int(rng.integers(max(2, ORDINALS[ordinal]), 5))
        return self._make(ordinal, direction, place, self.draw_scene(rng, split, n_blocks=n_blocks), split)

    def _make(self, ordinal, direction, place, scene, split):
        text = f"pick up the {ordinal} block from the {direction} and place it on the {place}"
        return self.instance(text, {"ordinal": ordinal, "direction": direction, "place": place,
                                    "split": split}, scene)

    def parse(self, instruction):
        m = self._pattern.fullmatch(normalize(instruction))
        if not m:
            return None
        n = max(3, ORDINALS[m.group(1)])
        return self._make(m.group(1), m.group(2), m.group(3), self.default_scene(n_blocks=n), "parsed")

    def referent(self, instance, scene):
        n = ORDINALS[instance.params["ordinal"]]
        # Counting 'from the left' starts at the block farthest to the left.
        ranked = sorted(((projection(o, (0.0, 0.0), instance.params["direction"]), o.name)
                         for o in scene.blocks()), reverse=True)
        if len(ranked) < n:
            return None, 0.0
        gaps = [ranked[i][0] - ranked[i + 1][0] for i in (n - 2, n - 1) if 0 <= i < len(ranked) - 1]
        return ranked[n - 1][1], min(gaps) if gaps else math.inf

    def reference_policy(self, instance):
        dx, dy = DIRECTIONS[instance.params["direction"]]
        n = ORDINALS[instance.params["ordinal"]]
        return (FREE_SPOT + _BLOCKS + f"""ranked = []
for name in block_names:
    pos = get_obj_pos(name)
    ranked.append((pos[0] * {dx} + pos[1] * {dy}, name))
ranked.sort(reverse=True)
put_first_on_second(ranked[{n - 1}][1], free_spot({py(instance.params['place'])}, ranked[{n - 1}][1]))
""")


@register
class BlockOffsetFromBowl(CapTask):
    """Pick up the <block> and place it <a little/a lot> to the <direction> of the <bowl>.

    Task: put a block beside a bowl at a rough distance in a direction.
    Randomization: block and bowl colours and direction from the split; 'a little'/'a lot' (no split in
        the paper); 1-3 blocks, 1-2 bowls. A layout is used only when the workspace has room for the
        target spot (and it is free of other objects).
    Success: the block rests on the table, in no bowl; measured from the bowl's initial centre, its
        offset along the direction is rim + 1-10 cm ('a little') or at least rim + 14 cm ('a lot'),
        and at most 8 cm sideways; no other object moved more than 5 cm.
    """

    name = "block_offset_from_bowl"
    template_id = 12
    category = "spatial"
    blocks_range = (1, 3)
    bowls_range = (1, 2)
    _pattern = re.compile(rf"pick up the {COLOR_RE} block and (?:place|put) it (a little|a lot|a bit|"
                          rf"far) to the {DIRECTION_RE} of the {COLOR_RE} bowl")

    def sample(self, rng, split="unseen"):
        a = attributes(split)
        block, bowl = (str(c) for c in rng.choice(a["colors"], size=2, replace=False))
        amount, direction = str(rng.choice(AMOUNTS)), str(rng.choice(a["directions"]))
        scene = self.draw_scene(rng, split, blocks=[block], bowls=[bowl])
        return self._make(block, amount, direction, bowl, scene, split)

    def _make(self, block, amount, direction, bowl, scene, split):
        text = f"pick up the {block} block and place it {amount} to the {direction} of the {bowl} bowl"
        return self.instance(text, {"block": f"{block} block", "amount": amount, "direction": direction,
                                    "bowl": f"{bowl} bowl", "split": split}, scene)

    def parse(self, instruction):
        m = self._pattern.fullmatch(normalize(instruction))
        if not m:
            return None
        amount = {"a bit": "a little", "far": "a lot"}.get(m.group(2), m.group(2))
        scene = self.default_scene([m.group(1)], [m.group(4)], n_blocks=2, n_bowls=1)
        return self._make(m.group(1), amount, m.group(3), m.group(4), scene, "parsed")

    @staticmethod
    def target_offset(amount: str, bowl_radius: float) -> float:
        """Where the reference policy aims: the middle of the 'a little' band, or past the 'a lot' bar."""
        return bowl_radius + (sum(LITTLE) / 2 if amount == "a little" else LOT_MIN + 0.035)

    def scene_problem(self, instance, objects, workspace=DEFAULT_WORKSPACE):
        scene = Scene(objects)
        bowl, block = scene.get(instance.params["bowl"]), scene.get(instance.params["block"])
        if bowl is None or block is None:
            return "the named block or bowl is missing"
        d = np.array(DIRECTIONS[instance.params["direction"]])
        spot = xy(bowl) + d * self.target_offset(instance.params["amount"], radius_xy(bowl))
        if not workspace.contains((spot[0], spot[1], sum(workspace.z) / 2), margin=-0.03):
            return "no room in the workspace for that spot"
        for o in objects:
            if o.name != block.name and np.linalg.norm(xy(o) - spot) < radius_xy(o) + 0.05:
                return f"{o.name} occupies the target spot"
        return super().scene_problem(instance, objects, workspace)

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        name, bowl_name = instance.params["block"], instance.params["bowl"]
        bowl0, b = j.initial(bowl_name), j.final(name)
        if bowl0 is not None and b is not None:
            offset = xy(b) - xy(bowl0)
            d = np.array(DIRECTIONS[instance.params["direction"]])
            along, sideways = float(offset @ d), abs(float(offset @ np.array([-d[1], d[0]])))
            beyond_rim = along - radius_xy(bowl0)
            j.details.update(beyond_rim=round(beyond_rim, 3), sideways=round(sideways, 3))
            if instance.params["amount"] == "a little":
                j.require(LITTLE[0] <= beyond_rim <= LITTLE[1],
                          f"{name} is {beyond_rim * 100:.0f} cm beyond the bowl's rim toward the "
                          f"{instance.params['direction']}; 'a little' means {LITTLE[0] * 100:.0f}-"
                          f"{LITTLE[1] * 100:.0f} cm")
            else:
                j.require(beyond_rim >= LOT_MIN, f"{name} is {beyond_rim * 100:.0f} cm beyond the "
                          f"bowl's rim; 'a lot' means at least {LOT_MIN * 100:.0f} cm")
            j.require(sideways <= SIDEWAYS_MAX, f"{name} is {sideways * 100:.0f} cm off to the side "
                      f"(at most {SIDEWAYS_MAX * 100:.0f} cm)")
            j.require(on_table(b, workspace), f"{name} is not resting on the table")
            j.require(not any(in_bowl(b, w, j.after.objects) for w in j.after.bowls()), f"{name} is in a bowl")
        j.others_unmoved([o.name for o in j.before.objects if o.name != name])
        return j.verdict(f"{name} is {instance.params['amount']} to the {instance.params['direction']} "
                         f"of the {bowl_name}")

    def reference_policy(self, instance):
        dx, dy = DIRECTIONS[instance.params["direction"]]
        p = instance.params
        return f"""bowl_min, bowl_max = get_bbox({py(p['bowl'])})
bowl_pos = get_obj_pos({py(p['bowl'])})
radius = max(bowl_max[0] - bowl_min[0], bowl_max[1] - bowl_min[1]) / 2
offset = radius + {self.target_offset(p['amount'], 0.0)}
table_z = get_location('middle')[2]
put_first_on_second({py(p['block'])}, [bowl_pos[0] + offset * {dx}, bowl_pos[1] + offset * {dy}, table_z])
"""


@register
class BlockToCornerByBowl(CapTask):
    """Pick up the <block> and place it in the corner <closest/farthest> to the <bowl>.

    Task: put a block in the corner nearest to (or farthest from) a bowl.
    Randomization: block and bowl colours from the split; 'closest'/'farthest'; 1-3 blocks, 1-2
        bowls. A layout is used only when that corner beats the runner-up corner by 3 cm.
    Success: the block is in that corner's region (12 cm of both edges), the corner chosen from the
        bowl's initial position; no other object moved more than 5 cm.
    """

    name = "block_to_corner_by_bowl"
    template_id = 13
    category = "spatial"
    blocks_range = (1, 3)
    bowls_range = (1, 2)
    _pattern = re.compile(rf"pick up the {COLOR_RE} block and (?:place|put) it (?:in|on|at) the corner "
                          rf"(closest|nearest|farthest|furthest) (?:to|from) the {COLOR_RE} bowl")

    def sample(self, rng, split="unseen"):
        colors = attributes(split)["colors"]
        block, bowl = (str(c) for c in rng.choice(colors, size=2, replace=False))
        distance = str(rng.choice(DISTANCES))
        return self._make(block, distance, bowl, self.draw_scene(rng, split, blocks=[block], bowls=[bowl]),
                          split)

    def _make(self, block, distance, bowl, scene, split):
        text = f"pick up the {block} block and place it in the corner {distance} to the {bowl} bowl"
        return self.instance(text, {"block": f"{block} block", "distance": distance,
                                    "bowl": f"{bowl} bowl", "split": split}, scene)

    def parse(self, instruction):
        m = self._pattern.fullmatch(normalize(instruction))
        if not m:
            return None
        distance = {"nearest": "closest", "furthest": "farthest"}.get(m.group(2), m.group(2))
        return self._make(m.group(1), distance, m.group(3),
                          self.default_scene([m.group(1)], [m.group(3)], n_blocks=2, n_bowls=1), "parsed")

    def corner(self, instance, scene, workspace):
        bowl = scene.get(instance.params["bowl"])
        if bowl is None:
            return None, 0.0
        return nearest_corner(xy(bowl), workspace, farthest=instance.params["distance"] == "farthest")

    def scene_problem(self, instance, objects, workspace=DEFAULT_WORKSPACE):
        corner, gap = self.corner(instance, Scene(objects), workspace)
        if corner is None:
            return "the named bowl is missing"
        if gap < REFERENT_MARGIN:
            return f"ambiguous: two corners are within {gap * 100:.1f} cm of the same distance"
        return super().scene_problem(instance, objects, workspace)

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        name = instance.params["block"]
        corner, _ = self.corner(instance, j.before, workspace)
        j.require(corner is not None, f"{instance.params['bowl']} is not in the initial scene")
        b = j.final(name)
        if b is not None and corner is not None:
            j.details["corner"] = corner
            j.require(at_place(b, corner, workspace), f"{name} is not in the {corner}")
        j.others_unmoved([o.name for o in j.before.objects if o.name != name])
        return j.verdict(f"{name} is in the {corner}")

    def reference_policy(self, instance):
        p = instance.params
        better = "<" if p["distance"] == "closest" else ">"
        return FREE_SPOT + f"""bowl_pos = get_obj_pos({py(p['bowl'])})
best = None
best_dist = None
for corner in ['top left corner', 'top right corner', 'bottom left corner', 'bottom right corner']:
    spot = get_location(corner)
    dist = ((spot[0] - bowl_pos[0]) ** 2 + (spot[1] - bowl_pos[1]) ** 2) ** 0.5
    if best is None or dist {better} best_dist:
        best = corner
        best_dist = dist
put_first_on_second({py(p['block'])}, free_spot(best, {py(p['block'])}))
"""


@register
class BlocksInLine(CapTask):
    """Put all the blocks in a <horizontal/vertical/diagonal> line.

    Task: arrange every block along one straight line of a given orientation.
    Randomization: orientation from the split (seen horizontal/vertical, unseen diagonal); 3-4 blocks,
        0-2 bowls of the split's colours.
    Success: all blocks rest on the table; every centre is within 2.5 cm of the fitted line, the line
        is within 15 degrees of the orientation (diagonal: either diagonal), the blocks span at least
        10 cm and no two overlap (centres at least one block width apart).
    """

    name = "blocks_in_line"
    template_id = 14
    category = "spatial"
    blocks_range = (3, 4)
    bowls_range = (0, 2)
    _pattern = re.compile(r"(?:put|place|arrange|move) (?:all )?(?:of )?the blocks (?:in|into|on|along) "
                          r"an? (horizontal|vertical|diagonal) line")
    _axes = {"horizontal": (1.0, 0.0), "vertical": (0.0, 1.0), "diagonal": (math.sqrt(0.5), math.sqrt(0.5))}

    def sample(self, rng, split="unseen"):
        line = str(rng.choice(attributes(split)["lines"]))
        return self._make(line, self.draw_scene(rng, split), split)

    def _make(self, line, scene, split):
        return self.instance(f"put all the blocks in a {line} line", {"line": line, "split": split}, scene)

    def parse(self, instruction):
        m = self._pattern.fullmatch(normalize(instruction))
        return self._make(m.group(1), self.default_scene(n_blocks=3, n_bowls=1), "parsed") if m else None

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        blocks = [j.final(o.name) for o in j.before.blocks()]
        if not all(blocks) or not j.require(len(blocks) >= 2, "a line needs at least two blocks"):
            return j.verdict("")
        for b in blocks:
            j.require(on_table(b, workspace), f"{b.name} is not resting on the table")
        points = np.array([xy(b) for b in blocks])
        direction, residual = line_fit(points)
        angle = math.degrees(math.atan2(direction[1], direction[0])) % 180.0
        line = instance.params["line"]
        targets = {"horizontal": (0.0, 180.0), "vertical": (90.0,), "diagonal": (45.0, 135.0)}[line]
        off = min(abs(angle - t) for t in targets)
        along = points @ direction
        span = float(along.max() - along.min())
        width = min(float(min(size(b)[:2])) for b in blocks)
        closest = min(float(np.linalg.norm(p - q)) for i, p in enumerate(points) for q in points[i + 1:])
        j.details.update(angle_deg=round(angle, 1), residual=round(residual, 4), span=round(span, 3))
        j.require(residual <= LINE_RESIDUAL_MAX, f"a block is {residual * 100:.1f} cm off the line "
                  f"(at most {LINE_RESIDUAL_MAX * 100:.1f} cm)")
        j.require(off <= LINE_ANGLE_TOL, f"the line runs at {angle:.0f} degrees, not {line}")
        j.require(span >= 0.10, f"the blocks span only {span * 100:.0f} cm")
        j.require(closest >= width * 0.95, "two blocks overlap or touch")
        return j.verdict(f"the blocks form a {line} line")

    def reference_policy(self, instance):
        line = instance.params["line"]
        dx, dy = self._axes[line]
        # Choose the line's centre (near the middle) with the most clearance from the bowls, then send
        # each block to its nearest free slot.
        return (_BLOCKS + f"""bowl_pos = [get_obj_pos(n) for n in get_obj_names() if n.endswith('bowl')]
middle = get_location('middle')
count = len(block_names)
best_slots = None
best_clear = -1.0
for ox in [0.0, -0.1, 0.1]:
    for oy in [0.0, 0.1, -0.1]:
        slots = []
        for i in range(count):
            t = (i - (count - 1) / 2.0) * {LINE_SPACING}
            slots.append([middle[0] + ox + t * {dx}, middle[1] + oy + t * {dy}, middle[2]])
        clear = 1.0
        for s in slots:
            for q in bowl_pos:
                d = ((s[0] - q[0]) ** 2 + (s[1] - q[1]) ** 2) ** 0.5
                if d < clear:
                    clear = d
        if clear > best_clear + 0.02:
            best_clear = clear
            best_slots = slots
pairs = []
for name in block_names:
    pos = get_obj_pos(name)
    for k in range(count):
        s = best_slots[k]
        pairs.append(((pos[0] - s[0]) ** 2 + (pos[1] - s[1]) ** 2, name, k))
pairs.sort()
done_blocks = []
done_slots = []
for dist, name, k in pairs:
    if name in done_blocks or k in done_slots:
        continue
    done_blocks.append(name)
    done_slots.append(k)
    put_first_on_second(name, best_slots[k])
""")
