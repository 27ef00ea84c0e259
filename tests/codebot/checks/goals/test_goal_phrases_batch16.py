"""Wordings the LLM's restatements of unread tuning items used that the parser did not read (benchmarks/
restate_samples.py): every block in "their respective bowls" (pt1181), every object of the scene listed as kept
where it is (pt1079), and a whole-scene goal with a bowl kept empty (pt976, pt1227); each case is said in my own
words, and near misses stay unread."""
import pytest
from scenes import block, bowl, phrase_reading

PAIRS = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("red", -0.2, -0.3), bowl("blue", 0.0, -0.3), bowl("green", 0.2, -0.3)]
SMALL = [block("red", -0.2, -0.55), block("green", 0.0, -0.55), bowl("blue", -0.2, -0.3), bowl("yellow", 0.1, -0.3)]
MATCHING = "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))"


@pytest.mark.parametrize("text, expected", [
    ("put all the blocks in their respective bowls", MATCHING),
    ("place every block into its corresponding bowl", MATCHING),
    # near misses: one block (which bowl "its respective" one is, is the colour rule's to say only of every block);
    # "its own bowl" is a bowl each, not a colour
    ("put the red block in its respective bowl", None),
    ("put each block in its own bowl", "all(forall(x in blocks: exists(y in bowls: in(x, y))), "
                                       "forall(y in bowls: count(x in blocks: in(x, y)) <= 1))"),
])
def test_respective_bowls(text, expected):
    assert phrase_reading(text, PAIRS) == expected


@pytest.mark.parametrize("text, expected", [
    ("keep the blue bowl, green block, red block, and yellow bowl where they are", "unchanged(objects)"),
    ("leave the red block, the green block, the blue bowl and the yellow bowl in their current positions",
     "unchanged(objects)"),
    ("keep the yellow bowl, the blue bowl, the red block and the green block alone", "unchanged(objects)"),
    # near misses: one object left out (what it may do is not said); an object the scene lacks
    ("keep the blue bowl, green block and red block where they are", None),
    ("keep the blue bowl, green block, red block, yellow bowl and pink block where they are", None),
])
def test_every_object_listed_as_kept(text, expected):
    assert phrase_reading(text, SMALL) == expected


@pytest.mark.parametrize("text, expected", [
    ("put all the blocks in the blue bowl and keep the yellow bowl empty",
     "all(forall(x in blocks: in(x, blue bowl)), forall(x in blocks: not(in(x, yellow bowl))))"),
    ("put every block in a bowl, leaving the blue bowl empty",
     "all(forall(x in blocks: exists(y in bowls: in(x, y))), forall(x in blocks: not(in(x, blue bowl))))"),
    # near misses: the bowl kept empty is the one filled; a bowl the scene lacks; something kept besides
    ("put all the blocks in the blue bowl and keep the blue bowl empty", None),
    ("put all the blocks in the blue bowl and keep the pink bowl empty", None),
    ("put all the blocks in the blue bowl, leave the red block alone and keep the yellow bowl empty", None),
])
def test_a_whole_scene_goal_with_a_bowl_kept_empty(text, expected):
    assert phrase_reading(text, SMALL) == expected
