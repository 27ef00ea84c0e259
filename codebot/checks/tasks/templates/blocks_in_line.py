"""Template 14 of the Code-as-Policies tabletop suite: its class (sampler, parser, checker, reference
policy) and its goal spec. Re-implementation: the success condition is ours, stated in the docstring."""
from __future__ import annotations

import math
import re

import numpy as np

from codebot.checks.tasks.attributes import attributes
from codebot.checks.tasks.common import CapTask, Judge
from codebot.checks.tasks.registry import register
from codebot.checks.tasks.relations import line_fit, on_table, size, xy
from codebot.checks.tasks.snippets import BLOCKS
from codebot.checks.tolerances import LINE_ANGLE_TOL, LINE_RESIDUAL_MAX

LINE_SPACING = 0.10  # m between blocks in the reference policy's line


@register
class BlocksInLine(CapTask):
    """Put all the blocks in a <horizontal/vertical/diagonal> line.

    Task: arrange every block along one straight line of a given orientation.
    Randomization: orientation from the split (seen horizontal/vertical, unseen diagonal); 3-4 blocks,
        0-2 bowls of the split's colours.
    Success: all blocks rest on the table; every centre is within 2.5 cm of the fitted line, the line
        is within 15 degrees of the orientation (diagonal: either diagonal), the blocks span at least
        10 cm and no two overlap (centres at least one block width apart).
    """

    name = "blocks_in_line"
    template_id = 14
    category = "spatial"
    blocks_range = (3, 4)
    bowls_range = (0, 2)
    _pattern = re.compile(r"(?:put|place|arrange|move) (?:all )?(?:of )?the blocks (?:in|into|on|along) "
                          r"an? (horizontal|vertical|diagonal) line")
    _axes = {"horizontal": (1.0, 0.0), "vertical": (0.0, 1.0), "diagonal": (math.sqrt(0.5), math.sqrt(0.5))}

    def sample(self, rng, split="unseen"):
        line = str(rng.choice(attributes(split)["lines"]))
        return self._make(line, self.draw_scene(rng, split), split)

    def _make(self, line, scene, split):
        return self.instance(f"put all the blocks in a {line} line", {"line": line, "split": split}, scene)

    def from_match(self, m):
        return self._make(m.group(1), self.default_scene(n_blocks=3, n_bowls=1), "parsed")

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        blocks = [j.final(o.name) for o in j.before.blocks()]
        if not all(blocks) or not j.require(len(blocks) >= 2, "a line needs at least two blocks"):
            return j.verdict("")
        for b in blocks:
            j.require(on_table(b, workspace), f"{b.name} is not resting on the table")
        points = np.array([xy(b) for b in blocks])
        direction, residual = line_fit(points)
        angle = math.degrees(math.atan2(direction[1], direction[0])) % 180.0
        line = instance.params["line"]
        targets = {"horizontal": (0.0, 180.0), "vertical": (90.0,), "diagonal": (45.0, 135.0)}[line]
        off = min(abs(angle - t) for t in targets)
        along = points @ direction
        span = float(along.max() - along.min())
        width = min(float(min(size(b)[:2])) for b in blocks)
        closest = min(float(np.linalg.norm(p - q)) for i, p in enumerate(points) for q in points[i + 1:])
        j.details.update(angle_deg=round(angle, 1), residual=round(residual, 4), span=round(span, 3))
        j.require(residual <= LINE_RESIDUAL_MAX, f"a block is {residual * 100:.1f} cm off the line "
                  f"(at most {LINE_RESIDUAL_MAX * 100:.1f} cm)")
        j.require(off <= LINE_ANGLE_TOL, f"the line runs at {angle:.0f} degrees, not {line}")
        j.require(span >= 0.10, f"the blocks span only {span * 100:.0f} cm")
        j.require(closest >= width * 0.95, "two blocks overlap or touch")
        return j.verdict(f"the blocks form a {line} line")

    def reference_policy(self, instance):
        line = instance.params["line"]
        dx, dy = self._axes[line]
        # Choose the line's centre (near the middle) with the most clearance from the bowls, then send
        # each block to its nearest free slot.
        return (BLOCKS + f"""bowl_pos = [get_obj_pos(n) for n in get_obj_names() if n.endswith('bowl')]
middle = get_location('middle')
count = len(block_names)
best_slots = None
best_clear = -1.0
for ox in [0.0, -0.1, 0.1]:
    for oy in [0.0, 0.1, -0.1]:
        slots = []
        for i in range(count):
            t = (i - (count - 1) / 2.0) * {LINE_SPACING}
            slots.append([middle[0] + ox + t * {dx}, middle[1] + oy + t * {dy}, middle[2]])
        clear = 1.0
        for s in slots:
            for q in bowl_pos:
                d = ((s[0] - q[0]) ** 2 + (s[1] - q[1]) ** 2) ** 0.5
                if d < clear:
                    clear = d
        if clear > best_clear + 0.02:
            best_clear = clear
            best_slots = slots
pairs = []
for name in block_names:
    pos = get_obj_pos(name)
    for k in range(count):
        s = best_slots[k]
        pairs.append(((pos[0] - s[0]) ** 2 + (pos[1] - s[1]) ** 2, name, k))
pairs.sort()
done_blocks = []
done_slots = []
for dist, name, k in pairs:
    if name in done_blocks or k in done_slots:
        continue
    done_blocks.append(name)
    done_slots.append(k)
    put_first_on_second(name, best_slots[k])
""")

    def goal_text(self, instance):
        return f"line(blocks, {instance.params['line']})"
