"""Template 11 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.attributes import PLACE_RE
from codebot.checks.tasks.common import Judge
from codebot.checks.tasks.families import AllBlocksAtPlaceBase
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import at_place, stack_order


@register
class StackOnPlace(AllBlocksAtPlaceBase):
    """Stack all the blocks on the <corner/side>.

    Task: build one tower of every block at a named corner or side.
    Randomization: the place from the split; 2-3 blocks and 0-2 bowls (unseen instruction: UA/UI).
    Success: the blocks form one tower (each resting on the one below) and every block's centre is in
        the place's region (see template 3).
    """

    name = "stack_on_place"
    template_id = 11
    category = "long_horizon"
    verb = "stack all the blocks on the"
    _pattern = re.compile(rf"stack (?:all )?(?:of )?the blocks (?:on|in|at|onto) the {PLACE_RE}")

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        place = instance.params["place"]
        blocks = [j.final(o.name) for o in j.before.blocks()]
        if all(blocks):
            ok, why = stack_order(blocks, workspace)
            j.require(ok, why)
            for b in blocks:
                j.require(at_place(b, place, workspace), f"{b.name} is not on the {place}")
        return j.verdict(f"all blocks are stacked on the {place}")

    def goal_text(self, instance):
        return f"stack(blocks, {instance.params['place']})"
