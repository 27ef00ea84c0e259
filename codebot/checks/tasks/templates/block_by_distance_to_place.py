"""Template 7 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

import numpy as np

from codebot.checks.tasks.attributes import COLOR_RE, DISTANCES, PLACE_RE, attributes
from codebot.checks.tasks.common import py
from codebot.checks.tasks.families import PickReferentToPlaceBase
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import xy


@register
class BlockByDistanceToPlace(PickReferentToPlaceBase):
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

    def from_match(self, m):
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

    def goal_text(self, instance):
        p = instance.params
        how = "nearest" if p["distance"] == "closest" else "farthest"
        return f"all(at({how}(blocks, {p['bowl']}), {p['place']}), unchanged(others))"
