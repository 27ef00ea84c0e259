"""Template 4 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.attributes import COLOR_RE, attributes
from codebot.checks.tasks.common import CapTask, Judge, py
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import in_bowl
from codebot.checks.tasks.snippets import BLOCKS, STACK_ON


@register
class BlocksInBowl(CapTask):
    """Put the blocks in the <bowl>.

    Task: move every block into one named bowl.
    Randomization: bowl colour from the split; 2-3 blocks and 1-2 bowls of the split's colours.
    Success: every block lies inside that bowl's rim, resting in the bowl or on blocks that are in it
        (a block held above the bowl does not count).
    """

    name = "blocks_in_bowl"
    template_id = 4
    category = "long_horizon"
    blocks_range = (2, 3)
    bowls_range = (1, 2)
    _pattern = re.compile(rf"(?:put|place|move) (?:all )?(?:of )?the blocks (?:in|into|on) the {COLOR_RE} bowl")

    def sample(self, rng, split="seen"):
        bowl = str(rng.choice(attributes(split)["colors"]))
        return self._make(bowl, self.draw_scene(rng, split, bowls=[bowl]), split)

    def _make(self, bowl, scene, split):
        return self.instance(f"put the blocks in the {bowl} bowl", {"bowl": f"{bowl} bowl", "split": split},
                             scene)

    def from_match(self, m):
        return self._make(m.group(1), self.default_scene(bowls=[m.group(1)], n_blocks=3, n_bowls=2), "parsed")

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        bowl = j.final(instance.params["bowl"])
        for o in j.before.blocks():
            b = j.final(o.name)
            if b is not None and bowl is not None:
                j.require(in_bowl(b, bowl, j.after.objects), f"{o.name} is not in the {bowl.name}")
        return j.verdict(f"all blocks are in the {instance.params['bowl']}")

    def reference_policy(self, instance):
        # The bowl holds about one block on its floor: the rest go on top of the previous one.
        return (BLOCKS + f"put_first_on_second(block_names[0], {py(instance.params['bowl'])})\n"
                + "base = block_names[0]\n" + STACK_ON)

    def goal_text(self, instance):
        return f"forall(x in blocks: in(x, {instance.params['bowl']}))"
