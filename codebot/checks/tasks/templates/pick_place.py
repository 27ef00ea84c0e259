"""Template 1 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.attributes import COLOR_RE, attributes
from codebot.checks.tasks.common import CapTask, Judge, py
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import in_bowl, on_top_of


@register
class PickPlace(CapTask):
    """Pick up the <block> and place it on the <block/bowl>.

    Task: move one named block onto another named block or into a named bowl.
    Randomization: block and target colours from the split (target is a block or a bowl, 50/50);
        2-4 blocks and 1-3 bowls in the scene, other colours from the split as distractors.
    Success: the block rests on the target block (centred within 60 % of its half width, touching its
        top) or lies inside the target bowl's rim; no other object moved more than 5 cm.
    """

    name = "pick_place"
    template_id = 1
    category = "long_horizon"
    blocks_range = (2, 4)
    bowls_range = (1, 3)

    def sample(self, rng, split="seen"):
        colors = attributes(split)["colors"]
        block, other = (str(c) for c in rng.choice(colors, size=2, replace=False))
        if rng.random() < 0.5:
            scene = self.draw_scene(rng, split, blocks=[block, other])
            target = f"{other} block"
        else:
            scene = self.draw_scene(rng, split, blocks=[block], bowls=[other])
            target = f"{other} bowl"
        return self._make(block, target, scene, split)

    def _make(self, block, target, scene, split):
        instruction = f"pick up the {block} block and place it on the {target}"
        return self.instance(instruction, {"block": f"{block} block", "target": target,
                                           "split": split}, scene)

    _patterns = (
        re.compile(rf"pick up the {COLOR_RE} block and (?:place|put) it (?:on top of|on|in|into|onto)"
                   rf" the {COLOR_RE} (block|bowl)"),
        re.compile(rf"(?:put|place|move) the {COLOR_RE} block (?:on top of|on|in|into|onto)"
                   rf" the {COLOR_RE} (block|bowl)"),
    )

    def from_match(self, m):
        block, color, kind = m.groups()
        if kind == "block" and color == block:
            return None
        blocks = [block, color] if kind == "block" else [block]
        bowls = [color] if kind == "bowl" else []
        scene = self.default_scene(blocks, bowls, n_blocks=len(blocks) + 1, n_bowls=len(bowls) + 1)
        return self._make(block, f"{color} {kind}", scene, "parsed")

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        block, target = instance.params["block"], instance.params["target"]
        b, t = j.final(block), j.final(target)
        if b is not None and t is not None:
            if target.endswith("bowl"):
                j.require(in_bowl(b, t, j.after.objects), f"{block} is not in the {target}")
            else:
                j.require(on_top_of(b, t), f"{block} is not on top of the {target}")
        j.others_unmoved([o.name for o in j.before.objects if o.name not in (block, target)])
        return j.verdict(f"{block} is on the {target}")

    def reference_policy(self, instance):
        return f"put_first_on_second({py(instance.params['block'])}, {py(instance.params['target'])})\n"

    def goal_text(self, instance):
        p = instance.params
        rel = "in" if p["target"].endswith("bowl") else "on"
        return f"all({rel}({p['block']}, {p['target']}), unchanged(others))"
