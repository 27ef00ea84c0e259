"""Template 13 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.attributes import COLOR_RE, DISTANCES, attributes
from codebot.checks.tasks.common import CapTask, Judge, py
from codebot.checks.tasks.families import REFERENT_MARGIN
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import Scene, at_place, nearest_corner, xy
from codebot.checks.tasks.snippets import FREE_SPOT
from codebot.primitives.workspace import DEFAULT_WORKSPACE


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

    def from_match(self, m):
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

    def goal_text(self, instance):
        p = instance.params
        how = "nearest" if p["distance"] == "closest" else "farthest"
        return f"all(at({p['block']}, {how}(corners, {p['bowl']})), unchanged(objects except {p['block']}))"
