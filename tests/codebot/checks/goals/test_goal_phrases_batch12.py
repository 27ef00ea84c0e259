"""Wordings the phrase parser reads since tuning batch twelve (pt844-pt993, written by a separate session that saw
neither the parser nor a held-out set): bowls chosen by order, side or colour ('the second bowl from the right',
'the bowl that's furthest right', 'the bowl to the right of X', 'the bowl that's the same colour as the X block'),
blocks by order after the noun and by a bowl's colour, towers of named blocks in a bowl or at a place, every other
block stacked on one, 'put all the blocks on top of each other', 'in one tall pile', counts per bowl ('every bowl
gets exactly one block', 'no bowl should be left empty', 'each bowl has exactly two'), 'make sure there are N blocks
in X', 'the X bowl needs the Y block in it', clauses after a comma without 'the', 'in the same bowl as the red one',
'exactly where it is', 'u', 'build me', bare 'leftmost block', 'whatever block', 'the corner that's farthest', 'the
X bowl should get Y', 'one block per corner', 'different edges', '… all of them', a fronted 'leave the bowls alone',
'doesn't matter which bowl', 'and then don't move X', 'don't move any other object', a bowl kept empty ('keep the X
bowl empty', 'don't let any other block end up in that bowl'), 'so that the X one ends up on top', 'close to X but
not on it', 'all the blocks go in X except for …', a whole-scene goal with a bowl left alone. Each in wording of my
own, with near misses that must stay unread."""
import pytest
from scenes import block, bowl, one_move, phrase_reading

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3), bowl("blue", 0.1, -0.3)]
one = one_move


@pytest.mark.parametrize("text, expected", [
    ("drop the green block into the third bowl from the left", one("in(green block, nth(bowls, 3, left))")),
    ("the red block goes in the bowl second from the right", one("in(red block, nth(bowls, 2, right))")),
    ("put the blue block in the last bowl counting from the right", one("in(blue block, nth(bowls, 1, left))")),
    ("move the green block into the bowl which is furthest to the left", one("in(green block, nth(bowls, 1, left))")),
    ("put the red block in the bowl to the left of the purple bowl",
     one("in(red block, side_of(bowls, left, purple bowl))")),
    ("put the green block in the bowl that's the same colour as the blue block", one("in(green block, blue bowl)")),
    ("put the block that matches the blue bowl in the yellow bowl", one("in(blue block, yellow bowl)")),
    ("move the block third from the left into the purple bowl", one("in(nth(blocks, 3, left), purple bowl)")),
    ("stack the red and green blocks in the purple bowl", one("stack([red block, green block], purple bowl)")),
    ("make a stack of the blue, red and green blocks at the top right corner",
     one("stack([blue block, red block, green block], top right corner)")),
    ("stack the remaining blocks on the green block", "stack(blocks, green block)"),
    ("put all the blocks on top of one another in the yellow bowl", "stack(blocks, yellow bowl)"),
    ("stack up all the blocks into a single high tower with the red one at the base", "stack(blocks, red block)"),
    ("make sure every bowl has exactly one block", "forall(y in bowls: count(x in blocks: in(x, y)) == 1)"),
    ("no bowl must stay empty", "forall(y in bowls: exists(x in blocks: in(x, y)))"),
    ("ensure there are at least two blocks in the purple bowl", "count(x in blocks: in(x, purple bowl)) >= 2"),
    ("the yellow bowl wants the green block in it", one("in(green block, yellow bowl)")),
    ("put the red block on the blue block, green block in the yellow bowl",
     one("on(red block, blue block)", "in(green block, yellow bowl)")),
    ("put the green block in the purple bowl, then the red block in the same bowl as the green one",
     one("in(green block, purple bowl)", "in(red block, purple bowl)")),
    ("put the blue block in the yellow bowl and leave the rest just where they are",
     one("in(blue block, yellow bowl)")),
    ("can u move the red block to the top side", one("at(red block, top side)")),
    ("build me a stack: green at the bottom, then blue, then red on top",
     one("on(blue block, green block)", "on(red block, blue block)")),
    ("leftmost block into the purple bowl", one("in(nth(blocks, 1, left), purple bowl)")),
    ("whatever block is right of the yellow bowl, put it at the middle",
     one("at(side_of(blocks, right, yellow bowl), middle)")),
    ("put the green block at the corner that's furthest from the purple bowl",
     one("at(green block, farthest(corners, purple bowl))")),
    ("the purple bowl should get the leftmost block", one("in(nth(blocks, 1, left), purple bowl)")),
    ("one block per corner", "distinct_places(blocks, corners)"),
    ("every block on a different edge of the table", "distinct_places(blocks, sides)"),
    ("put the blocks in the yellow bowl. all of them", "forall(x in blocks: in(x, yellow bowl))"),
    ("keep the bowls where they are and put all the blocks at the top left corner",
     "all(forall(x in blocks: at(x, top left corner)), unchanged(bowls))"),
    ("put all the blocks in the purple bowl, any one is fine", None),  # 'any one' of what: the bowl is named
    ("put every block in a bowl, doesn't matter which bowl", "forall(x in blocks: exists(y in bowls: in(x, y)))"),
    ("put the green block in the yellow bowl and then don't move the red block",
     one("in(green block, yellow bowl)")),  # the red block is one of the others
    ("put the red block at the middle and don't move any other object", one("at(red block, middle)")),
    ("put the red block in the purple bowl and keep the yellow bowl empty",
     one("in(red block, purple bowl)", "forall(x in blocks: not(in(x, yellow bowl)))")),
    ("put the green block in the blue bowl; do not let any other block go in that bowl",
     one("in(green block, blue bowl)", "forall(x in blocks except green block: not(in(x, blue bowl)))")),
    ("stack all the blocks so that the blue one is on top",
     "all(stack(blocks), forall(x in blocks except blue block: not(on(x, blue block))))"),
    ("put the red block next to the green block but not on it",
     one("all(near(red block, green block), not(on(red block, green block)))")),
    ("every block should go in the purple bowl, except for the red and green ones",
     "all(forall(x in blocks except [red block, green block]: in(x, purple bowl)), not(in(red block, purple bowl)), "
     "not(in(green block, purple bowl)))"),
    ("make a row of the blocks but don't touch the yellow bowl",
     "all(line(blocks, horizontal), unchanged(yellow bowl))"),
    # near misses: left unread
    ("put the red block in the purple bowl and keep the purple bowl empty", None),  # contradicts itself
    ("put the green block in the blue bowl and don't let any block go in it", None),  # 'any block' takes in the green
    ("make a row of the blocks but don't touch the red block", None),  # the red block is one of the row
    ("put the red block in the bowl to the left", None),  # left of what?
    ("put the green block in the bowl that's the same colour as the red one", None),  # no red bowl here
    # a tower of the two on the blue block, in any order, as "stack the red and green blocks" is read in any order
    # (since the fresh batch's pt1502, which said "any order"; before, this stayed unread)
    ("stack the red and green blocks on the blue block",
     "all(stack([red block, green block], blue block), unchanged(others))"),
    ("put the green block in the purple bowl, then the red block in the same bowl as the blue one", None),
    ("every bowl gets a couple of blocks", None),
])
def test_wordings_read_since_tuning_batch_twelve(text, expected):
    assert phrase_reading(text, SCENE) == expected
