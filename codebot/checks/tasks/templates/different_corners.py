"""Template 9 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.attributes import CORNERS
from codebot.checks.tasks.common import CapTask, Judge, py
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import at_place
from codebot.checks.tasks.snippets import BLOCKS, FREE_SPOT


@register
class DifferentCorners(CapTask):
    """Put all the blocks in different corners.

    Task: one block per corner of the workspace.
    Randomization: 2-4 blocks and 0-2 bowls of the split's colours (unseen instruction: UA/UI).
    Success: every block is in a corner region (12 cm of both edges) and no two share a corner.
    """

    name = "different_corners"
    template_id = 9
    category = "long_horizon"
    blocks_range = (2, 4)
    bowls_range = (0, 2)
    instruction = "put all the blocks in different corners"
    _pattern = re.compile(r"(?:put|place|move) (?:all )?(?:of )?the blocks (?:in|on|into|to|at) "
                          r"(?:different|separate) corners")

    def sample(self, rng, split="unseen"):
        return self.instance(self.instruction, {"split": split}, self.draw_scene(rng, split))

    def from_match(self, m):
        return self.instance(self.instruction, {"split": "parsed"}, self.default_scene(n_blocks=3, n_bowls=1))

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        used: dict[str, str] = {}
        for o in j.before.blocks():
            b = j.final(o.name)
            if b is None:
                continue
            corners = [c for c in CORNERS if at_place(b, c, workspace)]
            if not j.require(bool(corners), f"{o.name} is in no corner"):
                continue
            if corners[0] in used:
                j.failures.append(f"{o.name} shares the {corners[0]} with {used[corners[0]]}")
            used[corners[0]] = o.name
        j.details["corners"] = used
        return j.verdict("each block is in its own corner")

    def reference_policy(self, instance):
        corners = py(list(CORNERS))
        return (FREE_SPOT + BLOCKS + f"""corners = {corners}
pairs = []
for name in block_names:
    pos = get_obj_pos(name)
    for corner in corners:
        spot = get_location(corner)
        pairs.append(((pos[0] - spot[0]) ** 2 + (pos[1] - spot[1]) ** 2, name, corner))
pairs.sort()
done_blocks = []
done_corners = []
for dist, name, corner in pairs:
    if name in done_blocks or corner in done_corners:
        continue
    done_blocks.append(name)
    done_corners.append(corner)
    put_first_on_second(name, free_spot(corner, name, False))
""")

    def goal_text(self, instance):
        return "distinct_places(blocks, corners)"
