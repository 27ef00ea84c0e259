"""Template 6 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.attributes import COLOR_RE, DIRECTION_RE, DIRECTIONS, PLACE_RE, attributes
from codebot.checks.tasks.common import py
from codebot.checks.tasks.families import PickReferentToPlaceBase
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import projection, xy


@register
class BlockBesideBowlToPlace(PickReferentToPlaceBase):
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

    def from_match(self, m):
        return self._make(m.group(1), m.group(2), m.group(3),
                          self.default_scene(bowls=[m.group(2)], n_blocks=3), "parsed")

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

    def goal_text(self, instance):
        p = instance.params
        return f"all(at(side_of(blocks, {p['direction']}, {p['bowl']}), {p['place']}), unchanged(others))"
