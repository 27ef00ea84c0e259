"""What a restated or written spec must not drop: what the instruction forbids (goals/written_forbids.py).
Cases from the tuning batch's restatements (pt1300, pt1387, pt1402, pt1427) and near misses."""
import pytest

from codebot.checks.goals import load_goal
from codebot.checks.goals.written import written_spec_problems
from codebot.checks.goals.written_forbids import kept_still


def problems(instruction: str, spec: str) -> list[str]:
    return [str(p) for p in written_spec_problems(load_goal(spec), instruction)]


@pytest.mark.parametrize("instruction, spec, why", [
    ("Put the blue block in the red bowl, but do it after you've put the green one in.",
     "all(in(green block, red bowl), in(blue block, red bowl), unchanged(others))", "order in time (do it after)"),
    ("put the red block in the blue bowl, but not until the green block is in the pink bowl",
     "all(in(green block, pink bowl), in(red block, blue bowl), unchanged(others))", "order in time (not until)"),
    # a place ruled out after the one asked for (fresh batch pt1468's kind, in other words)
    ("slide the red block up against the yellow bowl - not in it though",
     "all(near(red block, yellow bowl), unchanged(others))", "forbids a move"),
    ("the orange block - leave it where it is, and put the purple block right next to it",
     "all(near(purple block, orange block), unchanged(others))", "does not keep it where it is"),
    ("leave the cyan block alone and stack the others", "stack(blocks except cyan block)",
     "does not keep it where it is"),
    ("The orange block can go next to the red block, but don't put it on top of it, ok?",
     "all(near(orange block, red block), unchanged(others))", "forbids a move (don't put it on)"),
    ("put the red block in the blue bowl and don't move the green block",
     "all(in(red block, blue bowl), in(green block, blue bowl), unchanged(others))", "and the spec moves it"),
    # the rest kept where it is, and the spec keeps nothing (s19 pt1584, in other words)
    ("every block that matches a bowl's colour goes in that bowl, the others stay where they are",
     "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))", "keeps the rest where it is"),
    # "the ones without a matching …" are the rest (tuning pt1761, in other words)
    ("every cube goes in the dish of its colour; the ones with no dish of their colour stay put",
     "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))", "keeps the rest where it is"),
    # the rest moved by a quantifier where the instruction keeps them (tuning pt1519's restatement, in other words)
    ("red to the blue bowl, pink to the gray bowl, rest stay",
     "all(in(red block, blue bowl), in(pink block, gray bowl), forall(x in blocks except [red block, pink block]: "
     "in(x, gray bowl)), unchanged(others))", "moves every block of a set"),
    # the other objects may move: keeping them all still forbids what the instruction allows (fresh batch pt1510)
    ("feel free to shift anything, just get the red block into the blue bowl",
     "all(in(red block, blue bowl), unchanged(others))", "lets the other objects move (feel free to shift anything)"),
    ("get the green block onto the red block; it doesn't matter if the rest gets moved",
     "all(on(green block, red block), unchanged(others))", "lets the other objects move"),
])
def test_a_spec_that_drops_what_the_instruction_forbids_is_refused(instruction, spec, why):
    assert any(why in p for p in problems(instruction, spec)), problems(instruction, spec)


@pytest.mark.parametrize("instruction, spec", [
    # the forbidden thing said: kept, ruled out with not(), or an order a tower shows
    ("the orange block - leave it where it is, and put the purple block right next to it",
     "all(near(purple block, orange block), unchanged(orange block), unchanged(others))"),
    ("leave the cyan block alone and stack the others", "all(stack(blocks except cyan block), unchanged(cyan block))"),
    ("put the red block in the blue bowl, but don't put the green block in it",
     "all(in(red block, blue bowl), not(in(green block, blue bowl)), unchanged(others))"),
    ("put the red block on the green block, but only after the green block is on the blue block",
     "all(on(green block, blue block), on(red block, green block))"),
    # narration, not a constraint (tuning pt1207): "first …, and after you did that …"
    ("First put the yellow block in the pink bowl, and after you did that put the cyan block in the gray bowl.",
     "all(in(yellow block, pink bowl), in(cyan block, gray bowl), unchanged(others))"),
    ("slide the red block up against the yellow bowl - not in it though",
     "all(near(red block, yellow bowl), not(in(red block, yellow bowl)), unchanged(others))"),
    # a negation that forbids no move
    ("put the block that is not in a bowl on the green block", "all(on(red block, green block), unchanged(others))"),
    ("put the red block in the blue bowl, I don't mind how", "all(in(red block, blue bowl), unchanged(others))"),
    # others allowed to move, and the spec lets them (only what the instruction keeps still is kept)
    ("You can move whatever you need to, but the blue bowl stays put. Get the red block into the blue bowl.",
     "all(in(red block, blue bowl), unchanged(blue bowl))"),
    ("put the red block in the blue bowl; you can't move the others",
     "all(in(red block, blue bowl), unchanged(others))"),
    # the rest kept, and the spec moves only the named blocks
    ("red to the blue bowl, pink to the gray bowl, rest stay",
     "all(in(red block, blue bowl), in(pink block, gray bowl), unchanged(others))"),
])
def test_a_spec_that_keeps_what_the_instruction_forbids_is_not_refused_for_it(instruction, spec):
    assert not [p for p in problems(instruction, spec) if "forbid" in p or "touch" in p or "order in time" in p
                or "lets the other objects move" in p or "keeps the rest" in p]


def test_the_objects_kept_still_are_read_in_each_wording():
    assert kept_still("don't use the purple one; leave the red block where it is. The gray bowl - keep it "
                      "untouched") == ["purple one", "red block", "gray bowl"]
