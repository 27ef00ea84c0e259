"""Long-horizon templates of the Code-as-Policies tabletop suite: 1-5 (seen instructions) and 9-11
(unseen instructions). Re-implementation: the paper's checkers were never published; the success
conditions here are ours and are stated in each docstring."""
from __future__ import annotations

import re

from codebot.checks.tasks.attributes import COLOR_RE, CORNERS, PLACE_RE, attributes, normalize
from codebot.checks.tasks.common import CapTask, Judge, py
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import at_place, in_bowl, on_top_of, stack_order

# Policy snippets (run in the same sandbox as LLM code, over the same primitives).
_BLOCKS = "block_names = [n for n in get_obj_names() if n.endswith('block')]\n"
# The block lying in a place (not in a bowl) nearest its point: a tower's base, or a support when the
# place has no free spot (fingers opening beside a block knock it over).
BLOCK_AT_PLACE = """def block_at_place(place, names):
    spot = get_location(place)
    middle = get_location('middle')
    across_x = abs(middle[0] - spot[0]) > 0.01
    across_y = abs(middle[1] - spot[1]) > 0.01
    found = None
    found_d = 1.0
    for name in names:
        pos = get_obj_pos(name)
        dx = abs(pos[0] - spot[0])
        dy = abs(pos[1] - spot[1])
        if pos[2] > 0.025:
            continue
        if across_x and across_y:
            ok = max(dx, dy) <= 0.05
            d = max(dx, dy)
        elif across_x:
            ok = dx <= 0.05 and dy <= 0.14
            d = dx
        else:
            ok = dy <= 0.05 and dx <= 0.14
            d = dy
        if ok and d < found_d:
            found = name
            found_d = d
    return found
"""
# get_location() reports places 5 cm inside the edge; free_spot() measures from the edge and aims a
# block's centre 3-9 cm inside the place, at the candidate spot farthest from other objects (a bowl near a
# corner would catch the fingers).
FREE_SPOT = BLOCK_AT_PLACE + """def free_spot(place, moving, stack_ok=True):
    spot = get_location(place)
    middle = get_location('middle')
    ux = 0.0
    uy = 0.0
    if middle[0] - spot[0] > 0.01:
        ux = 1.0
    if middle[0] - spot[0] < -0.01:
        ux = -1.0
    if middle[1] - spot[1] > 0.01:
        uy = 1.0
    if middle[1] - spot[1] < -0.01:
        uy = -1.0
    spot = [spot[0] - ux * 0.05, spot[1] - uy * 0.05, spot[2]]
    others = []
    bowls = []
    for n in get_obj_names():
        if n != moving:
            pos = get_obj_pos(n)
            pad = 0.065 if n.endswith('bowl') else 0.03
            others.append([pos[0], pos[1], pad])
            if n.endswith('bowl'):
                bowls.append(pos)
    candidates = []
    for a in [0.05, 0.04, 0.07, 0.09, 0.03]:
        for b in [0.05, 0.04, 0.07, 0.09, 0.03, 0.0, -0.05, 0.1, -0.1]:
            if ux != 0 and uy != 0:
                if 0 < b < 0.095:
                    candidates.append([spot[0] + ux * a, spot[1] + uy * b])
            elif ux != 0:
                candidates.append([spot[0] + ux * a, spot[1] + b])
            else:
                candidates.append([spot[0] + b, spot[1] + uy * a])
    best = candidates[0]
    best_score = -1.0
    for c in candidates:
        score = 1.0
        for o in others:
            d = ((c[0] - o[0]) ** 2 + (c[1] - o[1]) ** 2) ** 0.5 - o[2]
            if d < score:
                score = d
        if score > best_score + 0.01 or (best_score < 0.04 and score > best_score):
            best = c
            best_score = score
    if best_score < 0.05 and stack_ok:
        # No spot clear of the opening fingers (they reach ~5 cm from the block's centre): stack on a
        # block already lying in the place.
        below = block_at_place(place, [n for n in get_obj_names() if n.endswith('block') and n != moving])
        if below is not None:
            pos = get_obj_pos(below)
            return [pos[0], pos[1], spot[2]]
    if best_score < 0.02:
        # No clear spot: a bowl sitting in the place takes the block instead of its rim catching it.
        for pos in bowls:
            near_x = ux == 0 or abs(pos[0] - spot[0]) < 0.11
            near_y = uy == 0 or abs(pos[1] - spot[1]) < 0.11
            along = ((ux != 0 and uy != 0) or (ux == 0 and abs(pos[0] - spot[0]) < 0.15)
                     or (uy == 0 and abs(pos[1] - spot[1]) < 0.15))
            if near_x and near_y and along:
                return [pos[0], pos[1], spot[2]]
    return [best[0], best[1], spot[2]]
"""
# Stack every other block, in order, on the tower rising from `base` (defined before this snippet).
_STACK_ON = """below = base
for name in block_names:
    if name != base:
        put_first_on_second(name, below)
        below = name
"""


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

    def parse(self, instruction):
        text = normalize(instruction)
        for pattern in self._patterns:
            m = pattern.fullmatch(text)
            if m:
                block, color, kind = m.groups()
                if kind == "block" and color == block:
                    return None
                blocks = [block, color] if kind == "block" else [block]
                bowls = [color] if kind == "bowl" else []
                scene = self.default_scene(blocks, bowls, n_blocks=len(blocks) + 1,
                                           n_bowls=len(bowls) + 1)
                return self._make(block, f"{color} {kind}", scene, "parsed")
        return None

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

    def sample(self, rng, split="seen"):
        return self.instance("stack all the blocks", {"split": split}, self.draw_scene(rng, split))

    def parse(self, instruction):
        if re.fullmatch(r"stack (?:all )?(?:of )?(?:the )?blocks(?: on top of each other)?",
                        normalize(instruction)):
            return self.instance("stack all the blocks", {"split": "parsed"},
                                 self.default_scene(n_blocks=3, n_bowls=1))
        return None

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        blocks = [j.final(o.name) for o in j.before.blocks()]
        if all(blocks):
            ok, why = stack_order(blocks, workspace)
            j.require(ok, why)
            j.details["tower"] = why
        return j.verdict("all blocks form one tower")

    def reference_policy(self, instance):
        return _BLOCKS + "base = block_names[0]\n" + _STACK_ON


class _AllBlocksAtPlace(CapTask):
    blocks_range = (2, 3)
    bowls_range = (0, 2)
    verb = "put all the blocks on the"

    def sample(self, rng, split="seen"):
        place = str(rng.choice(attributes(split)["places"]))
        return self._make(place, self.draw_scene(rng, split), split)

    def _make(self, place, scene, split):
        return self.instance(f"{self.verb} {place}", {"place": place, "split": split}, scene)

    def parse(self, instruction):
        m = self._pattern.fullmatch(normalize(instruction))
        return self._make(m.group(1), self.default_scene(n_blocks=3, n_bowls=1), "parsed") if m else None

    def reference_policy(self, instance):
        # Stack them at the place: one footprint, so blocks never land on each other's edges.
        place = py(instance.params['place'])
        return (FREE_SPOT + _BLOCKS + f"""base = block_at_place({place}, block_names)
if base is None:
    base = block_names[0]
    put_first_on_second(base, free_spot({place}, base))
""" + _STACK_ON)


@register
class AllBlocksOnPlace(_AllBlocksAtPlace):
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

    def parse(self, instruction):
        m = self._pattern.fullmatch(normalize(instruction))
        return self._make(m.group(1), self.default_scene(bowls=[m.group(1)], n_blocks=3, n_bowls=2),
                          "parsed") if m else None

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
        return (_BLOCKS + f"put_first_on_second(block_names[0], {py(instance.params['bowl'])})\n"
                + "base = block_names[0]\n" + _STACK_ON)


class _BlocksInBowlsByColor(CapTask):
    """Blocks go to bowls chosen by colour; `matching` selects same or different colours."""

    blocks_range = (2, 3)
    matching = True

    def sample(self, rng, split="seen"):
        colors = attributes(split)["colors"]
        n = int(rng.integers(self.blocks_range[0], self.blocks_range[1] + 1))
        chosen = [str(c) for c in rng.choice(colors, size=n, replace=False)]
        extra = int(rng.integers(0, 2)) if self.matching else 0
        scene = self.draw_scene(rng, split, blocks=chosen, bowls=chosen, n_blocks=n, n_bowls=n + extra)
        return self.instance(self.instruction, {"split": split}, scene)

    def parse(self, instruction):
        if self._pattern.fullmatch(normalize(instruction)):
            colors = ["blue", "red", "green"]
            return self.instance(self.instruction, {"split": "parsed"},
                                 self.default_scene(colors, colors, n_blocks=3, n_bowls=3))
        return None

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        bowls = {o.name: j.final(o.name) for o in j.before.bowls()}
        for o in j.before.blocks():
            b = j.final(o.name)
            if b is None:
                continue
            if self.matching:
                bowl = bowls.get(f"{o.color} bowl")
                if bowl is None:
                    continue  # no bowl of its colour: nothing asked of this block
                j.require(in_bowl(b, bowl, j.after.objects), f"{o.name} is not in the {bowl.name}")
            else:
                inside = [n for n, w in bowls.items() if w is not None and in_bowl(b, w, j.after.objects)]
                j.require(bool(inside) and all(not n.startswith(o.color + " ") for n in inside),
                          f"{o.name} is not in a bowl of another colour (in: {inside or 'none'})")
        return j.verdict("every block is in a bowl of " + ("its" if self.matching else "another") + " colour")


@register
class MatchingBowls(_BlocksInBowlsByColor):
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
        return (_BLOCKS + "names = get_obj_names()\nfor name in block_names:\n"
                "    bowl = name.split(' ')[0] + ' bowl'\n"
                "    if bowl in names:\n        put_first_on_second(name, bowl)\n")


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

    def parse(self, instruction):
        if self._pattern.fullmatch(normalize(instruction)):
            return self.instance(self.instruction, {"split": "parsed"}, self.default_scene(n_blocks=3, n_bowls=1))
        return None

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
        return (FREE_SPOT + _BLOCKS + f"""corners = {corners}
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


@register
class MismatchedBowls(_BlocksInBowlsByColor):
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
        return (_BLOCKS + """names = get_obj_names()
bowls = [n for n in names if n.endswith('bowl')]
for i in range(len(block_names)):
    name = block_names[i]
    color = name.split(' ')[0]
    bowl = block_names[(i + 1) % len(block_names)].split(' ')[0] + ' bowl'
    if bowl not in bowls or bowl.startswith(color + ' '):
        bowl = [b for b in bowls if not b.startswith(color + ' ')][0]
    put_first_on_second(name, bowl)
""")


@register
class StackOnPlace(_AllBlocksAtPlace):
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
