"""Template 5 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.families import BlocksInBowlsByColorBase
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.snippets import BLOCKS


@register
class MatchingBowls(BlocksInBowlsByColorBase):
    """Put all the blocks in the bowls with matching colors.

    Task: put each block into the bowl of its own colour.
    Randomization: 2-3 colours from the split, a block and a bowl of each, plus 0-1 extra bowl.
    Success: every block that has a bowl of its colour lies inside that bowl's rim.
    """

    name = "matching_bowls"
    template_id = 5
    category = "long_horizon"
    instruction = "put all the blocks in the bowls with matching colors"
    _pattern = re.compile(r"(?:put|place|move) (?:all )?(?:of )?the blocks (?:in|into) the bowls with "
                          r"(?:the )?matching colors|(?:put|place|move) (?:all )?(?:of )?the blocks "
                          r"(?:in|into) (?:their )?matching(?: color)? bowls")

    def reference_policy(self, instance):
        return (BLOCKS + "names = get_obj_names()\nfor name in block_names:\n"
                "    bowl = name.split(' ')[0] + ' bowl'\n"
                "    if bowl in names:\n        put_first_on_second(name, bowl)\n")

    def goal_text(self, instance):
        return "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))"
