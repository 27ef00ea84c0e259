"""Template 10 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.families import BlocksInBowlsByColorBase
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.snippets import BLOCKS


@register
class MismatchedBowls(BlocksInBowlsByColorBase):
    """Put the blocks in the bowls with mismatched colors.

    Task: put each block into a bowl of a different colour.
    Randomization: 2-3 colours from the split, a block and a bowl of each (unseen instruction: UA/UI).
    Success: every block lies inside some bowl and none of the bowls it is in has its colour.
    """

    name = "mismatched_bowls"
    template_id = 10
    category = "long_horizon"
    matching = False
    instruction = "put the blocks in the bowls with mismatched colors"
    _pattern = re.compile(r"(?:put|place|move) (?:all )?(?:of )?the blocks (?:in|into) the bowls with "
                          r"(?:the )?(?:mismatched|different|non matching) colors")

    def reference_policy(self, instance):
        # Rotate colours by one: block i goes to the bowl of block i+1's colour (a derangement).
        return (BLOCKS + """names = get_obj_names()
bowls = [n for n in names if n.endswith('bowl')]
for i in range(len(block_names)):
    name = block_names[i]
    color = name.split(' ')[0]
    bowl = block_names[(i + 1) % len(block_names)].split(' ')[0] + ' bowl'
    if bowl not in bowls or bowl.startswith(color + ' '):
        bowl = [b for b in bowls if not b.startswith(color + ' ')][0]
    put_first_on_second(name, bowl)
""")

    def goal_text(self, instance):
        return ("forall(x in blocks: all(exists(y in bowls: in(x, y)), "
                "forall(y in bowls: not(all(same_colour(x, y), in(x, y))))))")
