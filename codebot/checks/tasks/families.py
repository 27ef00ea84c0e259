"""Shared bases of template families: blocks to a place (3, 11), blocks to bowls by colour (5, 10) and
a block found by a relation, moved to a place (6-8). Each template is a file of codebot.checks.tasks.templates."""
from __future__ import annotations

import math

from codebot.checks.tasks.attributes import attributes
from codebot.checks.tasks.common import CapTask, Judge, py
from codebot.checks.tasks.relations import Scene, at_place, in_bowl
from codebot.checks.tasks.snippets import BLOCKS, FREE_SPOT, STACK_ON
from codebot.primitives.workspace import DEFAULT_WORKSPACE

REFERENT_MARGIN = 0.03  # m: the chosen referent must beat the runner-up by this much


class AllBlocksAtPlaceBase(CapTask):
    blocks_range = (2, 3)
    bowls_range = (0, 2)
    verb = "put all the blocks on the"

    def sample(self, rng, split="seen"):
        place = str(rng.choice(attributes(split)["places"]))
        return self._make(place, self.draw_scene(rng, split), split)

    def _make(self, place, scene, split):
        return self.instance(f"{self.verb} {place}", {"place": place, "split": split}, scene)

    def from_match(self, m):
        return self._make(m.group(1), self.default_scene(n_blocks=3, n_bowls=1), "parsed")

    def reference_policy(self, instance):
        # Stack them at the place: one footprint, so blocks never land on each other's edges.
        place = py(instance.params['place'])
        return (FREE_SPOT + BLOCKS + f"""base = block_at_place({place}, block_names)
if base is None:
    base = block_names[0]
    put_first_on_second(base, free_spot({place}, base))
""" + STACK_ON)


class BlocksInBowlsByColorBase(CapTask):
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

    def from_match(self, m):
        colors = ["blue", "red", "green"]
        return self.instance(self.instruction, {"split": "parsed"},
                             self.default_scene(colors, colors, n_blocks=3, n_bowls=3))

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


class PickReferentToPlaceBase(CapTask):
    """Templates 6-8: find a block by a relation, put it on a corner/side."""

    blocks_range = (2, 4)
    bowls_range = (1, 2)

    def scores(self, instance, scene: Scene) -> dict[str, float]:
        """Block name -> how well it fits the description (the referent has the highest)."""
        raise NotImplementedError

    def referent(self, instance, scene: Scene) -> tuple[str | None, float]:
        """The block the instruction means, and its lead over the runner-up (metres)."""
        ranked = sorted(self.scores(instance, scene).items(), key=lambda kv: -kv[1])
        if not ranked:
            return None, 0.0
        lead = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else math.inf
        return ranked[0][0], lead

    def scene_problem(self, instance, objects, workspace=DEFAULT_WORKSPACE):
        name, lead = self.referent(instance, Scene(objects))
        if name is None:
            return "no block fits the description"
        if lead < REFERENT_MARGIN:
            return f"ambiguous: {name} leads the runner-up by only {lead * 100:.1f} cm"
        return super().scene_problem(instance, objects, workspace)

    def check(self, instance, initial, final, workspace):
        j = Judge(initial, final, workspace)
        place = instance.params["place"]
        name, _ = self.referent(instance, j.before)
        if name is None:
            j.failures.append("no block in the initial scene fits the description")
            return j.verdict("")
        j.details["referent"] = name
        b = j.final(name)
        if b is not None:
            j.require(at_place(b, place, workspace), f"{name} (the block meant) is not on the {place}")
        j.others_unmoved([o.name for o in j.before.objects if o.name != name])
        return j.verdict(f"{name} (the block meant) is on the {place}")

    def _policy(self, score_expr: str, instance) -> str:
        """Pick the block with the highest score, as computed from perception at run time."""
        return (FREE_SPOT + BLOCKS + f"""best = None
best_score = -1000.0
for name in block_names:
    pos = get_obj_pos(name)
    score = {score_expr}
    if score > best_score:
        best = name
        best_score = score
put_first_on_second(best, free_spot({py(instance.params['place'])}, best))
""")
