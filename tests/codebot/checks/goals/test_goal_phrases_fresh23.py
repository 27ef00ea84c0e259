"""Two misreadings the parser made of the twenty-third fresh batch at its first measurement (the batch was committed
unread; these two items, pt1931 and pt1939, were then read and are in-sample for these rules). Said in my own words,
with near misses that must keep their old readings."""
import pytest
from scenes import block, bowl, licensing_problems, phrase_reading

from codebot.checks.goals.phrase_wholes import MATCHING, MATCHING_REST_KEPT

SORT = [block("red", -0.2, -0.55), block("yellow", -0.1, -0.55), block("pink", 0.0, -0.55),
        bowl("red", -0.2, -0.3), bowl("pink", -0.05, -0.3), bowl("gray", 0.1, -0.3)]
ROW = [block("brown", -0.2, -0.55), block("blue", -0.1, -0.55), block("red", 0.0, -0.55), block("green", 0.1, -0.55),
       bowl("yellow", -0.2, -0.3)]


@pytest.mark.parametrize("instruction", [
    # "a block with no bowl of its colour" has none; it was read as "never in the bowl of its colour"
    "sort the blocks into the bowls of the same colour; a block with no bowl of its colour stays where it is",
    "put every block in the matching bowl, and blocks without a matching bowl stay put",
    "put all the blocks in the bowls with matching colours, the rest stay where they are",
    # tuning pt1498's wording
    "any block that has a bowl of its own colour goes in that bowl, the others stay where they are",
])
def test_a_sort_by_colour_that_keeps_the_unmatched_blocks_still(instruction):
    assert phrase_reading(instruction, SORT) == MATCHING_REST_KEPT


def test_the_sort_with_the_unmatched_blocks_kept_is_judged_on_both():
    from scenes import in_bowl_block, moved_to, replace

    from codebot.checks.goals import load_goal
    from codebot.checks.goals.evaluate import evaluate_goal

    goal = load_goal(MATCHING_REST_KEPT)
    sorted_ = replace(SORT, in_bowl_block("red", SORT[3]), in_bowl_block("pink", SORT[4]))
    assert not evaluate_goal(goal, SORT, SORT).success
    assert evaluate_goal(goal, SORT, sorted_).success
    moved = evaluate_goal(goal, SORT, replace(sorted_, moved_to(SORT[1], 0.2, -0.5)))
    assert not moved.success and "yellow block moved" in moved.reason


def test_a_sort_by_colour_alone_still_lets_the_unmatched_blocks_be():
    assert phrase_reading("put every block in the bowl of the same colour", SORT) == MATCHING


@pytest.mark.parametrize("instruction", [
    "line up the brown, blue and red cubes from left to right, any order",
    "line up the brown, blue and red blocks side by side from right to left, in no particular order",
])
def test_any_order_leaves_the_way_a_line_runs_and_no_order(instruction):
    assert phrase_reading(instruction, ROW) == \
        "all(line([brown block, blue block, red block], horizontal), unchanged(others))"


def test_a_line_from_left_to_right_without_any_order_keeps_its_order():
    assert "left_of(brown block, blue block)" in phrase_reading(
        "line up the brown, blue and red blocks from left to right", ROW)


# Three wrong restated checks of the batch's first restater measurement (pt1906, pt1910, pt1912, read after it, so
# in-sample for these rules): a restatement that kept every other object still where the instruction let them move,
# and one that put blocks in the one bowl the instruction names only to keep a block out of.
FREE = [block("pink", -0.2, -0.55), block("blue", -0.1, -0.55), block("gray", 0.0, -0.55),
        bowl("red", -0.2, -0.3), bowl("green", -0.05, -0.3)]


@pytest.mark.parametrize("instruction, reading", [
    ("slide the gray block into the green bowl, you can push anything else out of the way if you need to",
     "in(gray block, green bowl)"),
    ("put the pink block on the blue block, I don't care what happens to the rest",
     "on(pink block, blue block)"),
    ("feel free to move whatever you like, but put the blue block in the red bowl", "in(blue block, red bowl)"),
    ("put the pink block in the red bowl and the gray block in the green bowl, it doesn't matter if the others move",
     "all(in(pink block, red bowl), in(gray block, green bowl))"),
])
def test_the_others_may_move_so_no_check_keeps_them(instruction, reading):
    assert phrase_reading(instruction, FREE) == reading


@pytest.mark.parametrize("instruction", [
    "put the pink block in the red bowl and leave the other blocks where they are, feel free to move anything else",
    # tuning pt1510's kind: the kept block is kept by unchanged(others), which the free tail would drop
    "you can move whatever you need to, but the gray block stays put. put the pink block in the red bowl",
])
def test_a_rest_that_keeps_something_still_is_not_read_with_the_others_free(instruction):
    assert phrase_reading(instruction, FREE) is None



def test_a_restatement_that_keeps_the_others_where_they_may_move_is_refused():
    said = "move the gray block onto the pink one - I don't care what happens to anything else"
    assert any("lets the other objects move" in p for p in licensing_problems(
        "all(on(gray block, pink block), unchanged(others))", said))
    said = "drop the blue block in the green bowl; feel free to nudge other things aside"
    assert any("lets the other objects move" in p for p in licensing_problems(
        "all(in(blue block, green bowl), unchanged(others))", said))


def test_a_bowl_named_only_to_keep_a_block_out_is_no_destination():
    said = "every block goes in a bowl, but the gray block stays out of the green bowl"
    assert any("names only to keep out of" in p for p in licensing_problems(
        "all(forall(x in blocks except gray block: in(x, green bowl)), not(in(gray block, green bowl)))", said))
    assert not any("keep out of" in p for p in licensing_problems(
        "all(forall(x in blocks: exists(y in bowls: in(x, y))), not(in(gray block, green bowl)))", said))
    # named as a destination too: licensed
    said = "take the blue block out of the green bowl and put the pink block in the green bowl"
    spec = "all(in(pink block, green bowl), unchanged(others))"
    assert not any("keep out of" in p for p in licensing_problems(spec, said))
