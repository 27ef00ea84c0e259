"""Template 2 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.common import CapTask, Judge
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import stack_order
from codebot.checks.tasks.snippets import BLOCKS, STACK_ON


@register
class StackAllBlocks(CapTask):
    """Stack all the blocks.

    Task: build one tower of every block in the scene.
    Randomization: 2-3 blocks and 0-2 bowls of the split's colours.
    Success: sorted by height, each block rests on the one below it (one tower holding all blocks).
    """

    name = "stack_all_blocks"
    template_id = 2
    category = "long_horizon"
    blocks_range = (2, 3)
    bowls_range = (0, 2)
    _pattern = re.compile(r"stack (?:all )?(?:of )?(?:the )?blocks(?: on top of each other)?")

    def sample(self, rng, split="seen"):
        return self.instance("stack all the blocks", {"split": split}, self.draw_scene(rng, split))

    def from_match(self, m):
        return self.instance("stack all the blocks", {"split": "parsed"}, self.default_scene(n_blocks=3, n_bowls=1))

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        blocks = [j.final(o.name) for o in j.before.blocks()]
        if all(blocks):
            ok, why = stack_order(blocks, workspace)
            j.require(ok, why)
            j.details["tower"] = why
        return j.verdict("all blocks form one tower")

    def reference_policy(self, instance):
        return BLOCKS + "base = block_names[0]\n" + STACK_ON

    def goal_text(self, instance):
        return "stack(blocks)"
