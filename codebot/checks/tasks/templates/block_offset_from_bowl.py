"""Template 12 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

import numpy as np

from codebot.checks.tasks.attributes import AMOUNTS, COLOR_RE, DIRECTION_RE, DIRECTIONS, attributes
from codebot.checks.tasks.common import CapTask, Judge, py
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import Scene, in_bowl, on_table, radius_xy, xy
from codebot.checks.tolerances import LITTLE, LOT_MIN, SIDEWAYS_MAX
from codebot.primitives.workspace import DEFAULT_WORKSPACE

# The goal-spec relation each direction word names.
_DIRECTION_RELATION = {"left": "left_of", "right": "right_of", "top": "above", "bottom": "below"}


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

    def from_match(self, m):
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

    def goal_text(self, instance):
        p = instance.params
        rel = _DIRECTION_RELATION[p["direction"]]
        return (f"all({rel}({p['block']}, {p['bowl']}, dist={p['amount']}), "
                f"unchanged(objects except {p['block']}))")
