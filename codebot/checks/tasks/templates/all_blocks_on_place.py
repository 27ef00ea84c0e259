"""Template 3 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.attributes import PLACE_RE
from codebot.checks.tasks.common import Judge
from codebot.checks.tasks.families import AllBlocksAtPlaceBase
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import at_place


@register
class AllBlocksOnPlace(AllBlocksAtPlaceBase):
    """Put all the blocks on the <corner/side>.

    Task: move every block to a named corner or side of the workspace.
    Randomization: the place from the split (seen: left side, top left/top/top right; unseen: bottom
        right/bottom/bottom left); 2-3 blocks and 0-2 bowls of the split's colours.
    Success: every block's centre lies in the place's region: for a corner within 20 % of the smaller
        workspace side (12 cm) of both edges; for a side within 12 cm of that edge and not in a corner.
    """

    name = "all_blocks_on_place"
    template_id = 3
    category = "long_horizon"
    _pattern = re.compile(rf"(?:put|place|move) all (?:of )?the blocks (?:on|in|at|to|into) the {PLACE_RE}")

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        place = instance.params["place"]
        for o in j.before.blocks():
            b = j.final(o.name)
            if b is not None:
                j.require(at_place(b, place, workspace), f"{o.name} is not on the {place}")
        return j.verdict(f"all blocks are on the {place}")

    def goal_text(self, instance):
        return f"forall(x in blocks: at(x, {instance.params['place']}))"
