"""Wordings of the kinds the held-out runs still failed (towers, corners, matching bowls, far relations), read
after tuning items pt785, pt861, pt874, pt921, pt958, pt962, pt978, pt1017, pt1020, pt1070, pt1097, pt1186,
pt1188, pt1190, pt1203, and the ones the LLM's restatements of unread tuning items used (either of two blocks,
pt816, pt877; one bowl for two blocks, pt884; a line of all blocks but a kept one, pt906); each case is said in
my own words, and near misses stay unread."""
import pytest
from scenes import block, bowl, one_move, phrase_reading

one = one_move
FIVE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
        block("yellow", 0.1, -0.55), block("pink", 0.2, -0.55), bowl("cyan", -0.2, -0.3), bowl("gray", 0.1, -0.3)]
THREE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("red", -0.2, -0.3), bowl("blue", 0.0, -0.3), bowl("green", 0.2, -0.3)]
FOUR = THREE[:3] + [block("pink", 0.1, -0.55), bowl("cyan", 0.15, -0.35)]


@pytest.mark.parametrize("text, expected", [
    ("heap every other block on the yellow block so that they form a single tower", "stack(blocks, yellow block)"),
    ("build one big tower from all the blocks, and the one at the bottom must be the red block",
     "stack(blocks, red block)"),
    ("make one high tower out of all the blocks, with the one at the base has to be the green block, but the rest "
     "can go on top", "stack(blocks, green block)"),
    ("three-block tower in the top right corner, using the red, blue and green blocks",
     one("stack([red block, blue block, green block], top right corner)")),
    ("make a two-block tower in the gray bowl from the pink and yellow blocks, with the pink one as its base",
     one("on(yellow block, pink block)", "in(pink block, gray bowl)")),
    ("build a two-block tower at the bottom left corner, red on the bottom and blue on top",
     one("on(blue block, red block)", "at(red block, bottom left corner)")),
    ("a single pile: green block on the bottom, then yellow, then red on the very top",
     one("on(yellow block, green block)", "on(red block, yellow block)")),
    # near misses: a size the named blocks do not have; a base not among them; a size the order lacks; two bottoms
    ("two-block tower in the top right corner, using the red, blue and green blocks", None),
    ("make a two-block tower from the pink and yellow blocks, with the red one as its base", None),
    ("build a three-block tower in the cyan bowl, red on the bottom and blue on top", None),
    ("build a tower in the cyan bowl, red on the bottom and blue on the bottom", None),
])
def test_towers(text, expected):
    assert phrase_reading(text, FIVE) == expected


@pytest.mark.parametrize("text, expected", [
    ("leave the red block alone and stack the other two on one another",
     "all(stack(blocks except red block), unchanged(red block))"),
    # near miss: there are two others, not three
    ("leave the red block alone and stack the other three on one another", None),
])
def test_the_other_n_blocks(text, expected):
    assert phrase_reading(text, THREE[:3] + THREE[4:]) == expected


@pytest.mark.parametrize("text, expected", [
    ("put the red block at the bottom right corner and the blue block at the opposite corner",
     one("at(red block, bottom right corner)", "at(blue block, top left corner)")),
    ("slide the green block to the top side and the red block to the opposite side",
     one("at(green block, top side)", "at(red block, bottom side)")),
    ("move the red block to the right side and the blue block to the other side",
     one("at(red block, right side)", "at(blue block, left side)")),
    ("place one block in each corner", "distinct_places(blocks, corners)"),
    # near misses: of four corners, "the other corner" is any of three; "opposite" with no corner before it
    ("put the red block at the top left corner and the blue block at the other corner", None),
    ("put the red block in the red bowl and the blue block in the opposite corner", None),
])
def test_corners(text, expected):
    assert phrase_reading(text, FOUR) == expected


def test_a_block_in_every_corner_needs_four_blocks():
    assert phrase_reading("i want a block in every corner", THREE) is None  # three blocks cannot fill four corners


@pytest.mark.parametrize("text, expected", [
    ("put the blue, red and green blocks in the blue, red and green bowls respectively",
     one("in(blue block, blue bowl)", "in(red block, red bowl)", "in(green block, green bowl)")),
    ("put the red and green blocks in the green and red bowls, respectively",
     one("in(red block, green bowl)", "in(green block, red bowl)")),
    ("drop the green block and the blue block in their matching bowls",
     one("in(green block, green bowl)", "in(blue block, blue bowl)")),
    # near misses: lists of different lengths; no "respectively", so which goes where is not said
    ("put the red and green blocks in the red, green and blue bowls respectively", None),
    ("put the red and green blocks in the green and red bowls", None),
])
def test_matching_bowls(text, expected):
    assert phrase_reading(text, THREE) == expected


@pytest.mark.parametrize("text, expected", [
    ("put the green block left of the red bowl, a long way further left",
     one("left_of(green block, red bowl, dist=a lot)")),
    ("when you're done the blue block is way off above the green bowl, far from it",
     one("above(blue block, green bowl, dist=a lot)")),
    ("the red block should be way below the blue bowl, like way below it",
     one("below(red block, blue bowl, dist=a lot)")),
    ("at the end the red block is to the right of the green block", one("right_of(red block, green block)")),
    ("put the green block to the right of all the bowls", one("right_of(green block, nth(bowls, 1, right))")),
    # near misses: a tail that turns the other way; a state said with no end to it; beside "all the blocks"
    ("put the green block left of the red bowl, a lot further right", None),
    ("the red block is to the right of the green block", None),
    ("put the green block to the right of all the blocks", None),
])
def test_far_and_beyond(text, expected):
    assert phrase_reading(text, THREE) == expected


@pytest.mark.parametrize("text, expected", [
    ("put either the green or the red block in the blue bowl",
     one("any(in(green block, blue bowl), in(red block, blue bowl))")),
    ("drop the blue block or the green block in the red bowl, whichever you like",
     one("any(in(blue block, red bowl), in(green block, red bowl))")),
    ("put the red block on the blue block or put the green block on the blue block",
     one("any(on(red block, blue block), on(green block, blue block))")),
    ("put the green and the blue block together in one bowl", "exists(y in bowls: all(in(green block, y), "
                                                              "in(blue block, y)))"),
    # near misses: the same block twice; a second clause that does not read
    ("put the red block or the red block in the blue bowl", None),
    ("put the red block in the blue bowl or leave it", None),
])
def test_one_of_two(text, expected):
    assert phrase_reading(text, THREE) == expected


@pytest.mark.parametrize("text, expected", [
    ("line up all the blocks except the pink one horizontally and leave the pink one where it is",
     "all(line(blocks except pink block, horizontal), unchanged(pink block))"),
    ("don't touch the red block, and line up the other blocks in a vertical line",
     "all(line(blocks except red block, vertical), unchanged(red block))"),
    # near miss: the excepted block is not the one kept
    ("line up all the blocks except the pink one horizontally and leave the red one where it is", None),
])
def test_a_line_of_all_but_a_kept_block(text, expected):
    assert phrase_reading(text, FOUR) == expected


@pytest.mark.parametrize("text, expected", [
    # an operator's notes (tuning pt967, pt968, pt1164, pt1210, pt1214, pt1245, pt1249, pt1120), in my own words
    ("yo - grn blk on blu blk", one("on(green block, blue block)")),
    ("put teh pnk block in the bluee bowl", one("in(pink block, blue bowl)")),
    ("3rd blk from right -> red bowl", one("in(nth(blocks, 3, right), red bowl)")),
    ("2nd bowl from right gets the green blk", one("in(green block, nth(bowls, 2, right))")),
    ("pink blk -> bowl closest to the red blk", one("in(pink block, nearest(bowls, red block))")),
    ("green blk left of rightmost bowl", one("left_of(green block, nth(bowls, 1, right))")),
    ("all blks in the red bowl, leave the pink blk alone",
     "all(forall(x in blocks except pink block: in(x, red bowl)), unchanged(pink block))"),
    ("green block onto the red block, then both of them into the corner at the top right",
     one("on(green block, red block)", "at(red block, top right corner)")),
    # near misses: shorthand this does not know; a bowl that gets a bowl
    ("gn blk -> red bowl", None),
    ("2nd bowl from right gets the green bowl", None),
])
def test_notes_and_slips(text, expected):
    assert phrase_reading(text, FOUR + THREE[3:]) == expected


@pytest.mark.parametrize("text, expected", [
    # the clause before, and what the LLM's restatements said (tuning pt1085, pt1107, pt1108, pt1120, pt1123,
    # pt1157), in my own words
    ("put the red block in the cyan bowl, the blue block in the cyan bowl too, and keep the green block out of it",
     one("in(red block, cyan bowl)", "in(blue block, cyan bowl)", "not(in(green block, cyan bowl))")),
    ("put the red block in the cyan bowl and the pink block stays out of that bowl",
     one("in(red block, cyan bowl)", "not(in(pink block, cyan bowl))")),
    ("put the pink block on the block farthest from it",
     one("on(pink block, farthest(blocks except pink block, pink block))")),
    ("put the block nearest the leftmost bowl in the furthest left bowl",
     one("in(nearest(blocks, nth(bowls, 1, left)), nth(bowls, 1, left))")),
    ("put the red block on the blue block, then put both the red block and the blue block in the top left corner",
     one("on(red block, blue block)", "at(blue block, top left corner)")),
    ("put the green block on the red block and the pink block beside that stack",
     one("on(green block, red block)", "near(pink block, red block)")),
    ("move the pink block at the top of the table", one("at(pink block, top side)")),
    # near misses: kept out of a bowl with nothing put there first (already true); 'both' naming another block;
    # 'on' that stack (on its top block, not its base)
    ("keep the green block out of the cyan bowl", None),
    ("put the red block on the blue block, then put both the red block and the pink block in the top left corner",
     None),
    ("put the green block on the red block and the pink block on that stack", None),
    ("put every block on the block farthest from it", None),  # "it" is each block: no one block to be far from
])
def test_clauses_that_lean_on_the_one_before(text, expected):
    assert phrase_reading(text, FOUR + THREE[3:]) == expected


@pytest.mark.parametrize("text, expected", [
    # more of the restatements' wordings (tuning pt869, pt1007, pt1188, pt1225, pt1226, pt1240, pt1242, pt1243)
    ("put two blocks in the red bowl and put two blocks in the cyan bowl",
     "all(count(x in blocks: in(x, red bowl)) == 2, count(x in blocks: in(x, cyan bowl)) == 2)"),
    ("put the green block in the blue bowl and leave the pink block", one("in(green block, blue bowl)")),
    ("put all the blocks except the pink block in the cyan bowl and keep the pink block in its place",
     "all(forall(x in blocks except pink block: in(x, cyan bowl)), unchanged(pink block))"),
    ("put the two rightmost blocks in the red bowl",
     one("in(nth(blocks, 1, right), red bowl)", "in(nth(blocks, 2, right), red bowl)")),
    ("put all the blocks in the red bowl or the blue bowl",
     "forall(x in blocks: any(in(x, red bowl), in(x, blue bowl)))"),
    ("move the pink block to whichever side is nearest to it", one("at(pink block, nearest(sides, pink block))")),
    ("put the green block on the bottom, then the red block, and finally the blue block on the top",
     one("on(red block, green block)", "on(blue block, red block)")),
    ("put the pink block above the red bowl, 15 cm above it", one("above(pink block, red bowl, dist=0.15)")),
    # a block chosen by order or side as what another goes beside or on (tuning pt1352, pt1354), chosen among the
    # other blocks where the one moved is named
    ("put the leftmost block beside the rightmost block", one("near(nth(blocks, 1, left), nth(blocks, 1, right))")),
    ("put the second block from the left on the last block on the right",
     one("on(nth(blocks, 2, left), nth(blocks, 1, right))")),
    ("put the blue block left of the rightmost block",
     one("left_of(blue block, nth(blocks except blue block, 1, right))")),
    # two named blocks in one bowl, then a clause that leans on that bowl (tuning pt1364's restatement)
    ("put the red and blue blocks in the cyan bowl and keep the green block out of it",
     one("in(red block, cyan bowl)", "in(blue block, cyan bowl)", "not(in(green block, cyan bowl))")),
    # a bowl or corner chosen by distance from where the moved block is (tuning pt1351's restatement)
    ("put the blue block in the bowl farthest from where it sits now",
     one("in(blue block, farthest(bowls, blue block))")),
    ("put the pink block at the corner nearest to its current position",
     one("at(pink block, nearest(corners, pink block))")),
    # a stack of all but the one kept (tuning pt1300)
    ("stack all the blocks except the pink block and leave the pink block where it is",
     "all(stack(blocks except pink block), unchanged(pink block))"),
    ("stack all the blocks except the red block and leave the pink block where it is", None),
    # near misses: the excepted block is not the one kept; every block is not 'the four leftmost'; a measure
    # that turns the other way
    ("put all the blocks except the red block in the cyan bowl and keep the pink block in its place", None),
    ("put the four leftmost blocks in the red bowl", None),
    ("put the blue block next to the blue one", None),  # the blue bowl or the blue block?
    ("put the red and blue blocks on the pink block and keep the green block out of it", None),  # a pile
    ("put the pink block above the red bowl, 15 cm below it", None),
])
def test_restatement_wordings(text, expected):
    assert phrase_reading(text, FOUR + THREE[3:]) == expected
