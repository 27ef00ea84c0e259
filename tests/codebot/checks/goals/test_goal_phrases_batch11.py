"""Wordings the phrase parser reads since tuning batch eleven (pt694-pt843, written by another separate session
that saw neither the parser nor a held-out set): fillers mid-sentence ('the uh the'), gerunds after 'would you
mind', 'when you're done', 'pls', numbered steps '1. … 2. …', place-first notes ('bottom right corner: green
block'), 'right from', 'down below', 'could X sit somewhere …', 'the one next to X' as a referent, 'whichever
block is furthest to the right', 'I want all the blocks sitting in …', 'only one block should be in …', 'at least
one block in each bowl', exceptions of several colours after the target and of a bare colour, 'the others',
'nothing else should move', 'keep every other block where it is', stacks in a bowl 'using all the blocks',
ordered stacks after 'stack the blocks:', a row, colour lists to line up, 'bowls of matching colour', groups that
'go in', 'in either X or Y', 'one of the left corners', 'next to X or next to Y', 'I don't care which'. Each in
wording of my own, with near misses that must stay unread."""
import pytest
from scenes import block, bowl, one_move, phrase_reading

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
PAIRS = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), bowl("blue", -0.2, -0.3), bowl("red", -0.05, -0.3)]
MATCHING = "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))"
one = one_move


@pytest.mark.parametrize("text, expected", [
    ("um put the red block in the uh the yellow bowl", one("in(red block, yellow bowl)")),
    ("would you mind tossing the blue block into the purple bowl?", one("in(blue block, purple bowl)")),
    ("the green block should be in the yellow bowl when you're done", one("in(green block, yellow bowl)")),
    ("move red block to left side of table pls", one("at(red block, left side)")),
    ("1. pick up the blue block 2. put it on the red block", one("on(blue block, red block)")),
    ("top left corner: red block", one("at(red block, top left corner)")),
    ("put green block 12 cm left from yellow bowl", one("left_of(green block, yellow bowl, dist=0.12)")),
    ("move the blue block down below the purple bowl", one("below(blue block, purple bowl)")),
    ("could the red block sit somewhere near the purple bowl?", one("near(red block, purple bowl)")),
    ("grab the one next to the yellow bowl and put it in the purple bowl",
     one("in(nearest(blocks, yellow bowl), purple bowl)")),
    ("take whichever block is furthest to the left and drop it in the purple bowl",
     one("in(nth(blocks, 1, left), purple bowl)")),
    ("I want all the blocks sitting in the purple bowl", "forall(x in blocks: in(x, purple bowl))"),
    ("only two blocks should be in the yellow bowl", "count(x in blocks: in(x, yellow bowl)) == 2"),
    ("make sure at least one block ends up in each bowl", "forall(y in bowls: exists(x in blocks: in(x, y)))"),
    ("put the blocks in the yellow bowl, except for the red and green ones",
     "all(forall(x in blocks except [red block, green block]: in(x, yellow bowl)), not(in(red block, yellow bowl)), "
     "not(in(green block, yellow bowl)))"),
    ("all blocks except blue in the purple bowl",
     "all(forall(x in blocks except blue block: in(x, purple bowl)), not(in(blue block, purple bowl)))"),
    ("leave the red block alone and put the others in the purple bowl",
     "all(forall(x in blocks except red block: in(x, purple bowl)), unchanged(red block))"),
    ("don't touch the blue block; all the other blocks go in the yellow bowl",
     "all(forall(x in blocks except blue block: in(x, yellow bowl)), unchanged(blue block))"),
    ("the red block goes on the green block; nothing else should move", one("on(red block, green block)")),
    ("put the blue block in the yellow bowl and keep every other block where it is",
     "all(in(blue block, yellow bowl), unchanged(blocks except blue block))"),
    ("make a stack in the purple bowl using all the blocks", "stack(blocks, purple bowl)"),
    ("put the blocks in a row", "line(blocks, horizontal)"),
    ("line up red, blue and green vertically", one("line([red block, blue block, green block], vertical)")),
    ("all the blocks go in bowls of matching colour", MATCHING),
    ("both the red and the blue block go in the purple bowl",
     one("in(red block, purple bowl)", "in(blue block, purple bowl)")),
    ("drop the green block in either the yellow bowl or the purple bowl",
     one("any(in(green block, yellow bowl), in(green block, purple bowl))")),
    ("move the red block to one of the right corners",
     one("any(at(red block, top right corner), at(red block, bottom right corner))")),
    ("put the blue block next to the yellow bowl or next to the purple bowl",
     one("any(near(blue block, yellow bowl), near(blue block, purple bowl))")),
    ("put the red block in one of the bowls, I don't care which", one("exists(y in bowls: in(red block, y))")),
    # near misses: left unread
    ("put the block next to the yellow bowl in the purple bowl", None),  # a destination or a referent: ambiguous
    ("only one block should move", None),
    ("put either the red or the blue block in the yellow bowl or the purple bowl", None),  # (one of two blocks
    # alone is read since tuning pt816: tests/codebot/checks/goals/test_goal_phrases_batch15.py)
])
def test_wordings_read_since_tuning_batch_eleven(text, expected):
    assert phrase_reading(text, SCENE) == expected


def test_matching_bowls_said_by_colour():
    assert phrase_reading("match every block with its bowl by colour", PAIRS) == MATCHING
