"""Wordings the phrase parser reads since tuning batch thirteen (pt994-pt1143, written by another separate
session that saw neither the parser nor a held-out set): end states ('i'd like to see X sitting on Y', 'i'd like
to end up with …', 'i want a stack of …', 'i'd like all the blocks stacked in …'), 'thats', 'n' for 'and', '…?
oh and … in there too', spoken corrections ('in the green bowl, no wait, the blue bowl'), '10 cm up from',
'up the table so it's above', 'red block top left corner', 'the top right corner gets the X block', "it" after a
direction from a named object, and endings that leave one object alone ('leave the X alone', 'make sure the X
stays put', 'the X itself should stay where it is'), 'but leave out', 'the X bowl should get all the blocks except
…', 'any bowl that isn't yellow', 'one block per bowl', 'collect … at', 'X and Y blocks both go in', 'pile all the
other blocks on', 'the order of the rest doesn't matter', 'a stack of all the blocks with …', a fronted bowl ('the
bowl furthest to the right, put X in it'), 'what's the leftmost block? move that one …', 'then put that stack in
…', 'and the rest of the blocks in …', 'no block should be left on the table', 'in the bowls except X', every block
by direction from an object. Each in wording of my own, with near misses that must stay unread."""
import pytest
from scenes import block, bowl, one_move, phrase_reading

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
one = one_move


@pytest.mark.parametrize("text, expected", [
    ("i'd like to see the green block resting in the purple bowl", one("in(green block, purple bowl)")),
    ("i want to end up with the red block in the yellow bowl and the blue block in the purple bowl",
     one("in(red block, yellow bowl)", "in(blue block, purple bowl)")),
    ("i'd like a stack of the red and green blocks, green one on top", one("on(green block, red block)")),
    ("i need all the blocks piled in the yellow bowl", "stack(blocks, yellow bowl)"),
    ("grab the block thats closest to the purple bowl and drop it at the middle",
     one("at(nearest(blocks, purple bowl), middle)")),
    ("put the red block on the blue block n leave the rest alone", one("on(red block, blue block)")),
    ("put the green block in the yellow bowl? oh and the red block in there too",
     one("in(green block, yellow bowl)", "in(red block, yellow bowl)")),
    ("move the blue block to the purple bowl, no wait, the yellow bowl", one("in(blue block, yellow bowl)")),
    ("put the red block at the top left corner. sorry, i mean the bottom left corner",
     one("at(red block, bottom left corner)")),
    ("set the green block 8 cm down from the red block", one("below(green block, red block, dist=0.08)")),
    ("slide the blue block over so it's right of the yellow bowl", one("right_of(blue block, yellow bowl)")),
    ("green block bottom right corner", one("at(green block, bottom right corner)")),
    ("the middle gets the blue block, the top left corner gets the red block",
     one("at(blue block, middle)", "at(red block, top left corner)")),
    ("put the red block above the purple bowl and the green block below it",
     one("above(red block, purple bowl)", "below(green block, purple bowl)")),
    ("put the blue block in the purple bowl and leave the green block alone", one("in(blue block, purple bowl)")),
    ("put the red block on the green block; make sure the green block stays put",
     one("on(red block, green block)", "unchanged(green block)")),
    ("every block in the purple bowl, but leave out the red one",
     "all(forall(x in blocks except red block: in(x, purple bowl)), not(in(red block, purple bowl)))"),
    ("the purple bowl should get all the blocks except the blue one",
     "all(forall(x in blocks except blue block: in(x, purple bowl)), not(in(blue block, purple bowl)))"),
    ("a block per bowl please", "forall(y in bowls: count(x in blocks: in(x, y)) == 1)"),
    ("collect all the blocks at the top right corner", "forall(x in blocks: at(x, top right corner))"),
    ("red and green blocks both belong in the purple bowl",
     one("in(red block, purple bowl)", "in(green block, purple bowl)")),
    ("pile all the remaining blocks on the green block", "stack(blocks, green block)"),
    ("stack with the red one at the bottom, the order of the others doesn't matter", "stack(blocks, red block)"),
    ("one stack of all the blocks with the green one on top",
     "all(stack(blocks), forall(x in blocks except green block: not(on(x, green block))))"),
    ("the bowl that's furthest left, drop the green block in it", one("in(green block, nth(bowls, 1, left))")),
    ("where's the rightmost block? put that one at the middle", one("at(nth(blocks, 1, right), middle)")),
    ("put the red block on the blue block, then move that stack to the bottom right corner",
     one("on(red block, blue block)", "at(blue block, bottom right corner)")),
    ("green on red, and put that little tower in the yellow bowl",
     one("on(green block, red block)", "in(red block, yellow bowl)")),
    ("green block in the purple bowl, and the rest of the blocks in the yellow bowl",
     one("in(green block, purple bowl)", "forall(x in blocks except green block: in(x, yellow bowl))")),
    ("no blocks must stay on the table", "forall(x in blocks: exists(y in bowls: in(x, y)))"),
    ("put every block in the bowls except the yellow one", "forall(x in blocks: exists(y in bowls except yellow bowl: "
                                                            "in(x, y)))"),
    ("i want all the blocks to be left of the purple bowl", "forall(x in blocks: left_of(x, purple bowl))"),
    # near misses: left unread
    ("the rest of the blocks in the yellow bowl", None),  # the rest of which?
    ("put that stack in the yellow bowl", None),  # which stack?
    ("put the red block in the yellow bowl, no wait, the top left corner", None),  # a bowl corrected by a place
    ("put the red block in the yellow bowl and the blue block in the purple bowl, no wait, the yellow bowl", None),
    ("put the red block left of the purple bowl and the green block next to it", None),  # near it: either
    ("put the red block on the green block and leave the green bowl", None),  # no green bowl in this scene
    # ("… and leave the green block" says it stays where it is, as tuning pt1226's writer meant it: batch 15)
])
def test_wordings_read_since_tuning_batch_thirteen(text, expected):
    assert phrase_reading(text, SCENE) == expected


def test_any_bowl_that_is_not_one_colour():
    three_bowls = SCENE + [bowl("blue", 0.1, -0.3)]
    assert phrase_reading("put the green block in any bowl that isn't yellow", three_bowls) == \
        one("exists(y in bowls except yellow bowl: in(green block, y))")
