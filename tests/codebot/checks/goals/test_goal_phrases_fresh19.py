"""Wordings of the nineteenth session's fresh batch (benchmarks/data/paraphrase_fresh_s19.jsonl, read after its
restatement A/B) and of its restatements that the parser and the written rules left unread, each said in my own
words: near a bowl but not in it (pt1543, pt1598), every block somewhere while one stays where it is (pt1609,
pt1590), the other bowl of two (pt1577), and the rules' side: a bowl that matches a block (pt1566), a polite "if"
(pt1574), a direction with a later negation of something else (pt1563), "toward the top from" (pt1600). Near misses
stay unread or refused."""
import pytest
from scenes import block, bowl, phrase_reading

from codebot.checks.goals import load_goal, parse_goal
from codebot.checks.goals.grounding import grounding_problems
from codebot.checks.goals.written import written_spec_problems

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
NEAR_NOT_IN = "all(near(red block, yellow bowl), not(in(red block, yellow bowl)), unchanged(others))"


@pytest.mark.parametrize("text, expected", [
    ("set the red cube beside the yellow dish, not in it", NEAR_NOT_IN),
    ("put the red block near the yellow bowl but don't put it inside", NEAR_NOT_IN),
    ("move the red block next to the yellow bowl and not into the yellow bowl", NEAR_NOT_IN),
    ("put the red block near the yellow bowl, it shouldn't go in", NEAR_NOT_IN),
    ("put the red block near the yellow bowl but not in the purple bowl", None),  # another bowl than the one near
    ("put the red block in the yellow bowl, not in it", None),  # contradicts itself
    ("put the blocks in the bowls but not in the purple bowl",  # an exclusion, not a near: read as before
     "forall(x in blocks: exists(y in bowls except purple bowl: in(x, y)))"),
])
def test_near_a_bowl_but_not_in_it(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("put all the blocks near the purple bowl and leave the green block where it is",
     "all(forall(x in blocks except green block: near(x, purple bowl)), unchanged(green block))"),
    ("leave the red block where it is and move every block to the bottom side",
     "all(forall(x in blocks except red block: at(x, bottom side)), unchanged(red block))"),
    ("put all the blocks except the blue block in the yellow bowl and keep the blue block where it is",
     "all(forall(x in blocks except blue block: in(x, yellow bowl)), unchanged(blue block))"),
    ("put all the blocks except the blue block in the yellow bowl and keep the red block where it is", None),
])
def test_every_block_but_the_one_kept_where_it_is(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("put the red block in the purple bowl and the blue block in the other one",
     "all(in(red block, purple bowl), exists(y in bowls except purple bowl: in(blue block, y)), unchanged(others))"),
    ("drop the green block in the yellow bowl, then put the red block in the other bowl",
     "all(in(green block, yellow bowl), exists(y in bowls except yellow bowl: in(red block, y)), unchanged(others))"),
])
def test_the_other_bowl_of_two(text, expected):
    assert phrase_reading(text, SCENE) == expected


def test_the_other_bowl_of_three_is_not_read():
    scene = SCENE + [bowl("cyan", 0.1, -0.3)]
    assert phrase_reading("put the red block in the purple bowl and the blue block in the other one", scene) is None


def test_a_bowl_that_matches_a_named_block_is_grounded():
    scene = [block("green", 0.0, -0.5), block("yellow", 0.1, -0.5), bowl("pink", -0.1, -0.3),
             bowl("green", 0.1, -0.3)]
    spec = "all(in(green block, green bowl), unchanged(others))"
    assert grounding_problems(parse_goal(spec), "put the green block in the bowl that matches it", scene) == []
    assert grounding_problems(parse_goal(spec), "put the green block in the bowl next to it", scene)


def _refused(instruction: str, spec: str) -> list[str]:
    return [str(p) for p in written_spec_problems(load_goal(spec), instruction)]


@pytest.mark.parametrize("instruction, spec", [
    ("I'd like the purple block on the green block, if that's not too much trouble",
     "all(on(purple block, green block), unchanged(others))"),
    ("slide the brown block so it's above the orange block - above as in further up the table, not on top of it",
     "all(above(brown block, orange block), unchanged(others))"),
    ("move the gray cube so it's 5cm toward the top of the table from the brown cube",
     "all(above(gray block, brown block, dist=0.05), unchanged(others))"),
])
def test_what_the_instruction_says_is_licensed(instruction, spec):
    assert _refused(instruction, spec) == []


@pytest.mark.parametrize("instruction, spec", [
    ("put the purple block on the green block if the green block is in the bowl",  # a real condition
     "all(on(purple block, green block), unchanged(others))"),
    ("put the brown block left of the orange block, no, not left, right of it",  # a correction
     "all(left_of(brown block, orange block), unchanged(others))"),
    ("don't put the brown block above the orange block",
     "all(above(brown block, orange block), unchanged(others))"),
    ("put the brown block near the orange block, not on top of it",  # near does not keep it off the top
     "all(near(brown block, orange block), unchanged(others))"),
    ("put the brown block 1 cm above the orange block, not on top of it",  # within a block of its centre
     "all(above(brown block, orange block, dist=0.01), unchanged(others))"),
])
def test_what_the_instruction_does_not_say_is_refused(instruction, spec):
    assert _refused(instruction, spec)


@pytest.mark.parametrize("text, expected", [
    ("put the red block or the blue block in the yellow bowl, but not both",
     "all(count(x in [red block, blue block]: in(x, yellow bowl)) == 1, unchanged(others))"),
    ("drop the red block or the blue block into the yellow bowl, just one of them though, not both",
     "all(count(x in [red block, blue block]: in(x, yellow bowl)) == 1, unchanged(others))"),
    ("put the red block in the yellow bowl or the blue block on the green block, not both", None),
])
def test_one_of_two_blocks_but_not_both(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    # pt1586, pt1567, pt1585 in other words
    ("line up the red, blue and green cubes diagonally, the grey one can stay",
     "all(line([red block, blue block, green block], diagonal), unchanged(others))"),
    ("make a tower: green on the bottom, then red, then blue on top. leave the grey one out of it",
     "all(on(red block, green block), on(blue block, red block), unchanged(others))"),
    ("pile the red and blue blocks on top of one another inside the purple bowl",
     "all(stack([red block, blue block], purple bowl), unchanged(others))"),
    ("line up the red, blue and green cubes diagonally, the green one can stay", None),  # kept and in the line
])
def test_a_named_group_with_the_block_left_out(text, expected):
    scene = SCENE + [block("gray", 0.1, -0.55)]
    assert phrase_reading(text, scene) == expected


def test_one_per_corner_licenses_distinct_places():
    assert _refused("one cube per corner, every cube gets a corner to itself", "distinct_places(blocks, corners)") == []
    assert _refused("put the cubes in the corners", "distinct_places(blocks, corners)")


@pytest.mark.parametrize("text, expected", [
    ("put the red block at either the top left corner or the top right corner",
     "all(any(at(red block, top left corner), at(red block, top right corner)), unchanged(others))"),
    ("put the red block in the bowl of a different colour",
     "all(exists(y in bowls: all(not(same_colour(red block, y)), in(red block, y))), unchanged(others))"),
    # an order said after the direction is read with it; an order with no direction is not read (it was dropped)
    ("put the green, blue and red blocks in a row from left to right, in that order",
     "all(line([green block, blue block, red block], horizontal), left_of(green block, blue block), "
     "left_of(blue block, red block), unchanged(others))"),
    ("put the green, blue and red blocks in a row, in that order", None),
])
def test_restated_wordings(text, expected):
    scene = SCENE + [bowl("red", 0.1, -0.3)]
    assert phrase_reading(text, scene) == expected


@pytest.mark.parametrize("text, expected", [
    # the twentieth session's fresh batch pt1657, read after its parser measurement: a colour list was read as
    # every block
    ("the red and blue blocks should be in two different corners",
     "all(distinct_places([red block, blue block], corners), unchanged(others))"),
    ("put the green and red blocks on different sides",
     "all(distinct_places([green block, red block], sides), unchanged(others))"),
    ("put the blocks in different corners", "distinct_places(blocks, corners)"),
])
def test_distinct_places_of_the_named_blocks(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("instruction, spec", [
    # the twentieth session's fresh batch pt1669 and pt1650, read after their restatement A/B: a correction takes
    # the object before it back; the side of an object is no side of the table
    ("Put the cyan block on the red - no, sorry, on the yellow block.",
     "all(on(cyan block, red block), unchanged(others))"),
    ("put the red block in the blue bowl, I mean the green bowl", "all(in(red block, blue bowl), unchanged(others))"),
    ("green block on the left-hand side of the red one, purple block on the right-hand side of it",
     "all(left_of(green block, red block), at(purple block, right side), unchanged(others))"),
])
def test_a_taken_back_object_or_an_objects_side_is_refused(instruction, spec):
    assert _refused(instruction, spec)


@pytest.mark.parametrize("instruction, spec", [
    ("Put the cyan block on the red - no, sorry, on the yellow block.",
     "all(on(cyan block, yellow block), unchanged(others))"),
    ("put the red block in the blue bowl... no wait, the yellow block, not the red one",
     "all(in(yellow block, blue bowl), unchanged(others))"),  # the block is taken back, not the bowl
    ("move the pink block into the brown bowl. actually no, scratch that, put it on the blue block instead",
     "all(on(pink block, blue block), unchanged(others))"),  # 'it' is still the pink block
    ("put the red block in the bowl, no other block should move", "all(in(red block, blue bowl), unchanged(others))"),
    ("put the purple block on the right-hand side of the table",
     "all(at(purple block, right side), unchanged(others))"),
])
def test_what_a_correction_keeps_is_not_refused(instruction, spec):
    assert not [p for p in _refused(instruction, spec) if "takes back" in p or "of an object" in p]
