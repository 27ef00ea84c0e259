"""Template 8 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import math
import re

from codebot.checks.tasks.attributes import DIRECTION_RE, DIRECTIONS, ORDINALS, PLACE_RE, attributes
from codebot.checks.tasks.common import py
from codebot.checks.tasks.families import PickReferentToPlaceBase
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import projection
from codebot.checks.tasks.snippets import BLOCKS, FREE_SPOT


@register
class NthBlockToPlace(PickReferentToPlaceBase):
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

    def from_match(self, m):
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
        return (FREE_SPOT + BLOCKS + f"""ranked = []
for name in block_names:
    pos = get_obj_pos(name)
    ranked.append((pos[0] * {dx} + pos[1] * {dy}, name))
ranked.sort(reverse=True)
put_first_on_second(ranked[{n - 1}][1], free_spot({py(instance.params['place'])}, ranked[{n - 1}][1]))
""")

    def goal_text(self, instance):
        p = instance.params
        return (f"all(at(nth(blocks, {ORDINALS[p['ordinal']]}, {p['direction']}), {p['place']}), "
                f"unchanged(others))")
