"""The wider deterministic reading (issue 28): more everyday phrasings read into the spec they mean, and
near misses left unread rather than misread (a misread spec can call a wrong program a success)."""
import pytest
from scenes import block, bowl, one_move, phrase_reading

from codebot.checks.goals import parse_goal, to_text

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
TWO_BLOCKS = [block("red", -0.2, -0.55), block("green", -0.1, -0.55), bowl("yellow", -0.2, -0.3),
              bowl("blue", -0.05, -0.3)]
MATCHING = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), bowl("red", -0.2, -0.3),
            bowl("blue", -0.05, -0.3), bowl("yellow", 0.1, -0.3)]
THREE_BOWLS = [block("red", -0.2, -0.55), bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3),
               bowl("blue", 0.1, -0.3)]


def read(text, scene=SCENE):
    return phrase_reading(text, scene)


one = one_move


@pytest.mark.parametrize("text, expected", [
    # politeness and desire frames
    ("hey robot, would you mind putting the red block in the purple bowl?", one("in(red block, purple bowl)")),
    ("I'd like the blue block on the green block, thanks", one("on(blue block, green block)")),
    ("I want the green block next to the yellow bowl", one("near(green block, yellow bowl)")),
    ("make sure the blue block is in the purple bowl", one("in(blue block, purple bowl)")),
    ("the red block should end up inside the yellow bowl", one("in(red block, yellow bowl)")),
    ("please move the green block into the yellow bowl for me", one("in(green block, yellow bowl)")),
    # verb synonyms and containers
    ("pop the blue block in the yellow bowl", one("in(blue block, yellow bowl)")),
    ("rest the blue block on the green block", one("on(blue block, green block)")),
    ("can you place the red block in the yellow container", one("in(red block, yellow bowl)")),
    # fronted targets
    ("in the yellow bowl, put the blue block", one("in(blue block, yellow bowl)")),
    ("on the red block, set the green block", one("on(green block, red block)")),
    ("left of the yellow bowl is where the green block goes", one("left_of(green block, yellow bowl)")),
    # where another object is to be beside the moved one: the moved one on the opposite side of it
    ("nudge the blue block so that the red block is on its left", one("right_of(blue block, red block)")),
    ("move the green block so the blue block ends up right of it", one("left_of(green block, blue block)")),
    ("set the red block somewhere so the purple bowl is below it", one("above(red block, purple bowl)")),
    # pick up ... then ... it, across a full stop
    ("lift the red block, then drop it in the purple bowl", one("in(red block, purple bowl)")),
    ("grab the red block. now put it in the yellow bowl.", one("in(red block, yellow bowl)")),
    ("find the green block and toss it into the yellow bowl", one("in(green block, yellow bowl)")),
    # near, directions beside an object
    ("put the red block alongside the blue block", one("near(red block, blue block)")),
    ("move the blue block so it's next to the purple bowl", one("near(blue block, purple bowl)")),
    ("place the red block on the right side of the purple bowl", one("right_of(red block, purple bowl)")),
    ("put the green block on the left-hand side of the blue block", one("left_of(green block, blue block)")),
    ("the red block should be right of the blue block", one("right_of(red block, blue block)")),
    # places
    ("slide the green block over to the left edge", one("at(green block, left side)")),
    ("push the blue block to the right-hand side of the table", one("at(blue block, right side)")),
    ("move the green block into the upper right corner", one("at(green block, top right corner)")),
    ("put the red block in the lower left corner", one("at(red block, bottom left corner)")),
    # selectors in other word orders
    ("the last block on the right goes in the yellow bowl", one("in(nth(blocks, 1, right), yellow bowl)")),
    ("put the block furthest to the left in the yellow bowl", one("in(nth(blocks, 1, left), yellow bowl)")),
    ("put the block most distant from the yellow bowl on the top side",
     one("at(farthest(blocks, yellow bowl), top side)")),
    ("move whichever block is farthest from the yellow bowl to the top left corner",
     one("at(farthest(blocks, yellow bowl), top left corner)")),
    ("put the closest block to the purple bowl in the yellow bowl",
     one("in(nearest(blocks, purple bowl), yellow bowl)")),
    ("the block right of the purple bowl goes to the top left corner",
     one("at(side_of(blocks, right, purple bowl), top left corner)")),
    # groups, 'them', quantities
    ("put the red and blue blocks in the purple bowl",
     "all(in(red block, purple bowl), in(blue block, purple bowl), unchanged(others))"),
    ("pick up the red and blue blocks and put them in the purple bowl",
     "all(in(red block, purple bowl), in(blue block, purple bowl), unchanged(others))"),
    ("take all the blocks and put them in the yellow bowl", "forall(x in blocks: in(x, yellow bowl))"),
    ("put all three blocks in the purple bowl", "forall(x in blocks: in(x, purple bowl))"),
    ("put two blocks in the yellow bowl", "count(x in blocks: in(x, yellow bowl)) == 2"),
    ("put any block in the purple bowl", "exists(x in blocks: in(x, purple bowl))"),
    ("put a block in the yellow bowl", "exists(x in blocks: in(x, yellow bowl))"),
    ("put all of the cubes into bowls, any bowl is fine", "forall(x in blocks: exists(y in bowls: in(x, y)))"),
    # alternatives
    ("put the red block in the yellow bowl or the purple bowl",
     "all(any(in(red block, yellow bowl), in(red block, purple bowl)), unchanged(others))"),
    ("put the blue block in either bowl", "all(exists(y in bowls: in(blue block, y)), unchanged(others))"),
    # towers
    ("make a stack of the red and blue blocks", "all(stack([red block, blue block]), unchanged(others))"),
    ("stack the red, green and blue blocks", "all(stack([red block, green block, blue block]), unchanged(others))"),
    ("put all the blocks in one stack with the red block on the bottom", "stack(blocks, red block)"),
    # leave the rest
    ("move the red block to the middle without touching the bowls", "all(at(red block, middle), unchanged(bowls))"),
    ("put the green block on the red block but don't move the other blocks",
     "all(on(green block, red block), unchanged(blocks except green block))"),
    ("move only the red block, into the purple bowl", one("in(red block, purple bowl)")),
    # "farthest to" a bowl is farthest from it (cap-tabletop template 7's wording); to a side, a direction
    ("put the block farthest to the yellow bowl in the purple bowl",
     one("in(farthest(blocks, yellow bowl), purple bowl)")),
    ("put the block furthest to the right in the purple bowl", one("in(nth(blocks, 1, right), purple bowl)")),
])
def test_wider_phrasings_are_read(text, expected):
    assert read(text) == to_text(parse_goal(expected))


@pytest.mark.parametrize("text, scene, expected", [
    ("put both blocks in the yellow bowl", TWO_BLOCKS, "forall(x in blocks: in(x, yellow bowl))"),
    ("put the red block in the bowl that matches its colour", MATCHING, one("in(red block, red bowl)")),
    ("put the blue block in the bowl of the same color", MATCHING, one("in(blue block, blue bowl)")),
    ("drop the red block into its matching bowl", MATCHING, one("in(red block, red bowl)")),
    ("sort the blocks into bowls by colour", MATCHING,
     "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))"),
    ("put the red block in any bowl", THREE_BOWLS, "all(exists(y in bowls: in(red block, y)), unchanged(others))"),
    # fronted 'next to' is near the bowl, never 'to the bowl' (phrase_frames.py reads the place word before it)
    ("next to the yellow bowl, put the red block", SCENE, one("near(red block, yellow bowl)")),
])
def test_wider_phrasings_on_their_own_scenes(text, scene, expected):
    assert read(text, scene) == to_text(parse_goal(expected))


@pytest.mark.parametrize("text, scene", [
    ("put both blocks in the yellow bowl", SCENE),  # three blocks: 'both' names no set the scene has
    ("put all four blocks in the purple bowl", SCENE),  # a count the scene does not have
    ("put the red and purple blocks in the yellow bowl", SCENE),  # no purple block
    ("put the red and blue blocks on the green block", SCENE),  # two blocks 'on' one: a pile, not read
    ("put the red block in either bowl", THREE_BOWLS),  # 'either' of three bowls
    ("put the red one next to the blue one", MATCHING),  # red block or red bowl? blue block or bowl?
    ("put them in the yellow bowl", SCENE),  # no antecedent
    ("put it in the yellow bowl", SCENE),
    ("make sure the red block is not in the yellow bowl", SCENE),  # a negation is not the positive goal
    ("make sure the red block is left alone", SCENE),
    ("move the green block far from the yellow bowl", SCENE),  # the language has no 'far'
    ("bring the red block closer to the yellow bowl", SCENE),  # comparative: not 'near'
    ("get a couple of blocks into the yellow bowl", SCENE),  # vague quantity
    ("put some blocks in the purple bowl", SCENE),
    ("put the middle block in the purple bowl", SCENE),  # no 'middle of a row' selector
    ("the red block is in the yellow bowl", SCENE),  # a statement, not a command
    ("put the red block or the purple bowl in the yellow bowl", SCENE),  # a bowl is not one of the blocks moved
    ("put the block farthest to the left of the purple bowl in the yellow bowl", SCENE),  # not 'leftmost'
    ("put the red block on the right side of the bowl", SCENE),  # which bowl?
    ("stack the red and blue blocks", TWO_BLOCKS),  # no blue block in this scene
    ("make a three block stack of the red and blue blocks", SCENE),  # three but two named
    ("put the red block in the blue block", SCENE),  # nothing goes 'in' a block: not read as 'on'
    ("put the red block in the yellow bowl, then put the blue block in it", SCENE),  # in the block or the bowl?
    ("move the red block so the red block is on its left", SCENE),  # beside itself
    ("move the red block so the orange block is on its right", SCENE),  # no orange block here
    ("stack all the blocks around the yellow bowl", SCENE),  # a tower asked for: not only 'near' (restatement of
    ("pile the blocks next to the purple bowl", SCENE),      # the fresh batch's pt1528)
])
def test_near_misses_stay_unread(text, scene):
    assert read(text, scene) is None
