"""Forms from the twenty-second fresh batch (tuning since the twenty-third session) and its stored restatements
that the parser did not read. Said in my own words, with near misses that must stay unread."""
import pytest
from scenes import block, bowl, licensing_problems, phrase_reading

FIVE = [block("orange", -0.2, -0.55), block("cyan", -0.1, -0.55), block("purple", 0.0, -0.55),
        block("pink", 0.1, -0.55), block("brown", 0.2, -0.55), bowl("red", -0.2, -0.3), bowl("green", -0.05, -0.3)]
FOUR = [block("brown", -0.2, -0.55), block("green", -0.1, -0.55), block("pink", 0.0, -0.55),
        block("orange", 0.1, -0.55), bowl("gray", -0.2, -0.3), bowl("yellow", 0.1, -0.3)]
THREE = FOUR[:3] + FOUR[4:]
TWO = [block("yellow", -0.2, -0.55), block("purple", -0.1, -0.55), bowl("brown", -0.2, -0.3), bowl("red", 0.1, -0.3)]


def test_the_bowl_the_same_colour_as_it():
    assert phrase_reading("pop the yellow block in whichever bowl is the same color as it",
                          TWO + [bowl("yellow", 0.2, -0.3)]) == "all(in(yellow block, yellow bowl), unchanged(others))"


def test_each_block_in_a_corner_of_its_own():
    assert phrase_reading("spread the blocks out so that every block is in a corner of its own", FOUR) == \
        "distinct_places(blocks, corners)"


def test_a_little_tower_of_both_blocks_in_a_bowl():
    reading = phrase_reading("build a small tower out of both blocks in the brown bowl", TWO)
    assert reading == "stack(blocks, brown bowl)"


@pytest.mark.parametrize("instruction, reading", [
    # a count into any bowl: each of them in some bowl
    ("put at least two blocks in a bowl", "count(x in blocks: exists(y in bowls: in(x, y))) >= 2"),
    ("get three of the cubes into the bowls", "count(x in blocks: exists(y in bowls: in(x, y))) == 3"),
    # "any of the other blocks": a block but the one it goes on
    ("put any of the other blocks on the brown block",
     "exists(x in blocks except brown block: on(x, brown block))"),
    # gather every block at a place
    ("gather up all the blocks in the top right corner", "forall(x in blocks: at(x, top right corner))"),
    # "any order's fine" after a named tower
    ("can you stack the orange, cyan and pink cubes? any order is fine",
     "all(stack([orange block, cyan block, pink block]), unchanged(others))"),
    # a correction with "I meant"
    ("put the purple block in the red bowl, sorry, I meant the green bowl",
     "all(in(purple block, green bowl), unchanged(others))"),
    # a fronted block, "I need it", and "where the bowl is"
    ("Brown block: I want it 10 cm left of where the green bowl is",
     "all(left_of(brown block, green bowl, dist=0.1), unchanged(others))"),
    ("make sure at least two of the cubes wind up in a bowl", "count(x in blocks: exists(y in bowls: in(x, y))) >= 2"),
    # a choice left to the robot, said after the move
    ("put the pink block on the orange block or on the brown block, whichever is easier",
     "all(any(on(pink block, orange block), on(pink block, brown block)), unchanged(others))"),
    ("get a block into the green bowl. any block, you choose", "exists(x in blocks: in(x, green bowl))"),
    # a fronted "that X", and "that bowl" for the one bowl named before
    ("that cyan cube - chuck it a little bit left of the red bowl",
     "all(left_of(cyan block, red bowl, dist=a little), unchanged(others))"),
    ("pick up the block closest to the red bowl and set it down next to that bowl",
     "all(near(nearest(blocks, red bowl), red bowl), unchanged(others))"),
    ("do you see the pink cube? put that one on the brown block",
     "all(on(pink block, brown block), unchanged(others))"),
    ("have orange sitting on the purple block", "all(on(orange block, purple block), unchanged(others))"),
    # verbs, fillers and nouns
    ("perch the cyan cube on the pink one", "all(on(cyan block, pink block), unchanged(others))"),
    ("park the purple box right in the middle of the table", "all(at(purple block, middle), unchanged(others))"),
    ("each and every cube goes in the green bin", "forall(x in blocks: in(x, green bowl))"),
    ("move the brown one over by the red bowl, will ya", "all(near(brown block, red bowl), unchanged(others))"),
    ("put the orange cube in the bottom left corner and the cyan cube in the bottom right one",
     "all(at(orange block, bottom left corner), at(cyan block, bottom right corner), unchanged(others))"),
    ("put the blocks in a sloping line, sort of like a staircase", "line(blocks, diagonal)"),
    # a kept object said first
    ("the pink block must stay where it is, just put the brown one in the red bowl",
     "all(in(brown block, red bowl), unchanged(others))"),
])
def test_forms_read(instruction, reading):
    assert phrase_reading(instruction, FIVE) == reading


@pytest.mark.parametrize("instruction", [
    "put one block on each side of the table",
    "a block per side please, no two on the same side",
])
def test_one_block_per_side_of_four(instruction):
    assert phrase_reading(instruction, FOUR) == "distinct_places(blocks, sides)"
    assert phrase_reading(instruction, THREE) is None  # three blocks cannot fill four sides one each


@pytest.mark.parametrize("instruction", [
    "put three blocks in the bowl",  # two bowls: which one is not said
    "gather up the blocks",  # no place
    "that cyan cube - leave it by the red bowl",  # not a verb of putting
    "put the blocks in a sloping pile",  # a slope is no line
    "put the pink block on the orange block or on the brown block, whichever is closer",  # a criterion, not a choice
])
def test_near_misses_stay_unread(instruction):
    assert phrase_reading(instruction, FIVE) is None



def test_it_after_a_direction_is_the_object_that_direction_was_taken_from():
    # tuning pt1650's kind, in other words: "of it" is the brown one, the reference of the clause before
    said = "the pink cube goes to the left of the brown one, the orange cube to the right of it"
    assert licensing_problems("all(left_of(pink block, brown block), right_of(orange block, brown block), "
                               "unchanged(others))", said) == []
    assert any(p.startswith("right_of(orange block, pink block)") for p in licensing_problems(
        "all(left_of(pink block, brown block), right_of(orange block, pink block), unchanged(others))", said))
    # after "in the red bowl", "it" may be the moved block: nothing is licensed by it
    said = "put the pink block in the red bowl and the orange block to the right of it"
    assert any(p.startswith("right_of(orange block, red bowl)") for p in licensing_problems(
        "all(in(pink block, red bowl), right_of(orange block, red bowl), unchanged(others))", said))
