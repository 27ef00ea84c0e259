"""Wordings the phrase parser reads since tuning batch nine (pt414-pt543, written by a separate session that
saw neither the parser nor a held-out set): cups, 'stash'/'stand', 'X should have Y in it', 'by the end …',
'…; it belongs in …', 'if it's not too much trouble', exclamations, note-style commands ('green block: top left
corner'), 'stack blocks', 'in a single pile', 'the block that's right of …', 'all but the X', commas around an
exception, 'don't touch X, but … the other blocks …', 'leave X where it is and stack the rest', 'with X on top',
columns and 'up and down', 'center X'. Each in wording of my own, with near misses that must stay unread."""
import pytest
from scenes import block, bowl, one_move, phrase_reading

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
one = one_move


@pytest.mark.parametrize("text, expected", [
    ("drop the blue block in the purple cup", one("in(blue block, purple bowl)")),
    ("stash the green block in the yellow bowl", one("in(green block, yellow bowl)")),
    ("stand the red block beside the green block", one("near(red block, green block)")),
    ("the purple bowl should contain the red block", one("in(red block, purple bowl)")),  # a bowl holds: in it
    ("the purple bowl must hold the red block in it", one("in(red block, purple bowl)")),
    ("the green block should have the blue block on top of it", one("on(blue block, green block)")),
    ("the green block should have the blue block in it", None),  # a block holds nothing 'in' it
    ("in the end the blue block should be resting in the yellow bowl", one("in(blue block, yellow bowl)")),
    ("grab the red block, it goes on the green block", one("on(red block, green block)")),
    ("if it's not too much trouble, set the green block in the purple bowl", one("in(green block, purple bowl)")),
    ("hi there! could you move the blue block to the middle? thanks", one("at(blue block, middle)")),
    ("blue block: bottom right corner", one("at(blue block, bottom right corner)")),
    ("red, purple bowl", one("in(red block, purple bowl)")),
    ("blue block: the red block", None),  # onto a block is not said by a note
    ("pile blocks", "stack(blocks)"),
    ("pile all the blocks in one heap", "stack(blocks)"),
    ("put the block that's left of the purple bowl in the yellow bowl",
     one("in(side_of(blocks, left, purple bowl), yellow bowl)")),
    ("all but the blue block go in the purple bowl",
     "all(forall(x in blocks except blue block: in(x, purple bowl)), not(in(blue block, purple bowl)))"),
    ("put all but the red one in the yellow bowl",
     "all(forall(x in blocks except red block: in(x, yellow bowl)), not(in(red block, yellow bowl)))"),
    ("put all but one of the blocks in the yellow bowl", "count(x in blocks: in(x, yellow bowl)) == 2"),
    ("put the blocks, except for the green one, in the purple bowl",
     "all(forall(x in blocks except green block: in(x, purple bowl)), not(in(green block, purple bowl)))"),
    ("every block but the blue one should end up in the yellow bowl",
     "all(forall(x in blocks except blue block: in(x, yellow bowl)), not(in(blue block, yellow bowl)))"),
    # the ones left out stay where they are: stack() alone would pass with them on top of the tower
    ("stack all the blocks except the red one", "all(stack(blocks except red block), unchanged(red block))"),
    ("stack all the blocks other than the red and blue ones",
     "all(stack(blocks except [red block, blue block]), unchanged(red block, blue block))"),
    ("don't move the green block, but put the other blocks in the yellow bowl",
     "all(forall(x in blocks except green block: in(x, yellow bowl)), unchanged(green block))"),
    ("leave the red block alone and stack the remaining blocks",
     "all(stack(blocks except red block), unchanged(red block))"),
    ("leave the red block alone and put the blue block in the yellow bowl",
     "all(in(blue block, yellow bowl), unchanged(others))"),
    ("stack all the blocks with the green one on top",
     "all(stack(blocks), forall(x in blocks except green block: not(on(x, green block))))"),
    ("form a row out of all the blocks", "line(blocks, horizontal)"),
    ("put the blocks in a line running up and down the table", "line(blocks, vertical)"),
    ("line up all the blocks from the left to the right", "line(blocks, horizontal)"),
    ("move the second block from the right to the top side", one("at(nth(blocks, 2, right), top side)")),
    ("centre the green block on the table", one("at(green block, middle)")),
    # another block: in a set with the anchor in it, the anchor itself would be the nearest
    ("put the block closest to the green block in the yellow bowl",
     one("in(nearest(blocks except green block, green block), yellow bowl)")),
    ("put the block farthest from the red block in the purple bowl",
     one("in(farthest(blocks except red block, red block), purple bowl)")),
    ("slide the red block to the bottom-left corner", one("at(red block, bottom left corner)")),
    ("arrange the three blocks in a column", "line(blocks, vertical)"),  # a column runs up and down
    ("put a couple of blocks in the yellow bowl", None),  # two, or a few
    ("pick up the blue block and carefully put it in the yellow bowl", None),  # a manner no check can see
])
def test_wordings_read_since_tuning_batch_nine(text, expected):
    assert phrase_reading(text, SCENE) == expected
