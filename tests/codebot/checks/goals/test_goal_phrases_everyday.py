"""Everyday wordings the phrase parser reads since the tuning set's third to seventh batches (issue 28): need and
belong frames, fillers, left dislocation, questions, synonyms, 'but the X one', leave-alone clauses, counts said
of a bowl, "it" for a selector's anchor, ordered and chained towers, bare corners, bowls by side, 'the bowl' of
one, 'the other block', ellipsis, distances in words, clause lists, 'the same bowl'/'there'; and the near misses
beside each that must stay unread (a misread spec can call a wrong program a success)."""
import pytest
from scenes import block, bowl, one_move, phrase_reading


SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]

ONE_BOWL = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), bowl("purple", -0.05, -0.3)]
TWO_BLOCKS = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), bowl("yellow", -0.2, -0.3),
              bowl("purple", -0.05, -0.3)]


def read(text, scene=SCENE):
    return phrase_reading(text, scene)


one = one_move


@pytest.mark.parametrize("text, expected", [
    ("the blue block has to go in the purple bowl", one("in(blue block, purple bowl)")),
    ("the red block belongs on the green block", one("on(red block, green block)")),
    ("all I want is the red block in the yellow bowl", one("in(red block, yellow bowl)")),
    ("could the green block go on the red block?", one("on(green block, red block)")),
    ("the green block, drop it in the yellow bowl", one("in(green block, yellow bowl)")),
    ("I'd like the green block placed in the purple bowl", one("in(green block, purple bowl)")),
    ("get the red block sitting next to the purple bowl", one("near(red block, purple bowl)")),
    ("pick the blue block up and put it on the red block", one("on(blue block, red block)")),
    ("grab the red block, drop it in the purple bowl", one("in(red block, purple bowl)")),
    ("do you see the blue block? put it in the yellow bowl", one("in(blue block, yellow bowl)")),
    ("alright, let's put the red block in the yellow bowl", one("in(red block, yellow bowl)")),
    ("go ahead and stack the blue block on the green block", one("on(blue block, green block)")),
    ("try and put the green block in the yellow bowl", one("in(green block, yellow bowl)")),
    ("I would appreciate it if you could put the blue block in the purple bowl", one("in(blue block, purple bowl)")),
    ("scoot the red block to the right side", one("at(red block, right side)")),
    ("put the blue block upon the red block", one("on(blue block, red block)")),
    ("move the green block to the table's bottom left corner", one("at(green block, bottom left corner)")),
    ("push the red block up against the yellow bowl", one("near(red block, yellow bowl)")),
    ("put the far right block in the yellow bowl", one("in(nth(blocks, 1, right), yellow bowl)")),
    ("put the block closest to the yellow bowl in it", one("in(nearest(blocks, yellow bowl), yellow bowl)")),
    ("move just the red block to the top side", one("at(red block, top side)")),
    ("only move the green block, drop it in the yellow bowl", one("in(green block, yellow bowl)")),
    ("put the red block in the yellow bowl but don't move anything else", one("in(red block, yellow bowl)")),
    ("put the blue block in the purple bowl and keep the bowls where they are",
     "all(in(blue block, purple bowl), unchanged(bowls))"),
    ("put each block on the top side except the blue one",
     "all(forall(x in blocks except blue block: at(x, top side)), not(at(blue block, top side)))"),
    ("two blocks should end up in the yellow bowl", "count(x in blocks: in(x, yellow bowl)) == 2"),
    ("make sure the yellow bowl holds at least two blocks", "count(x in blocks: in(x, yellow bowl)) >= 2"),
    ("build a tower with blue at the bottom, green in the middle and red on top",
     one("on(green block, blue block)", "on(red block, green block)")),
    ("make a stack with red first, then green, then blue",
     one("on(green block, red block)", "on(blue block, green block)")),
    ("stack the blue and red blocks with blue on top", one("on(blue block, red block)")),
    ("set the green block down so it is touching the red block", one("near(green block, red block)")),
    ("leave the blue block off in the yellow bowl", None),
    ("put the blue block off in the yellow bowl", one("in(blue block, yellow bowl)")),
    ("first put the green block in the purple bowl, then put the red block on it",
     one("in(green block, purple bowl)", "on(red block, green block)")),
    ("put the red block on the green block and lastly put the blue block on the red block",
     one("on(red block, green block)", "on(blue block, red block)")),
    ("move the red block to the bottom right. afterwards, put the blue block in the yellow bowl",
     one("at(red block, bottom right corner)", "in(blue block, yellow bowl)")),
    ("each single block goes to the top side", "forall(x in blocks: at(x, top side))"),
    ("move the green block to the lower left", one("at(green block, bottom left corner)")),
    ("put the blue block along the bottom edge", one("at(blue block, bottom side)")),
    ("place the red block on the left", one("at(red block, left side)")),
    ("put the green block in the bowl on the right", one("in(green block, nth(bowls, 1, right))")),
    ("put the red block in the leftmost bowl", one("in(red block, nth(bowls, 1, left))")),
    ("in the yellow bowl, please place the red block", one("in(red block, yellow bowl)")),
    ("put the green block on the blue block and nothing else", one("on(green block, blue block)")),
    ("put the green block in the yellow bowl and the red one as well",
     one("in(green block, yellow bowl)", "in(red block, yellow bowl)")),
    ("put the red block next to the purple bowl, and do the same with the green block",
     one("near(red block, purple bowl)", "near(green block, purple bowl)")),
    ("put the red block beside the green one, to its left", one("left_of(red block, green block)")),
    ("stack the green block on the red block on the blue block",
     one("on(green block, red block)", "on(red block, blue block)")),
    ("put a green block in the purple bowl", one("in(green block, purple bowl)")),
    ("put the blue block exactly in the middle", one("at(blue block, middle)")),
    ("move the blue piece to the left side", one("at(blue block, left side)")),
    ("put all but one of the blocks in the purple bowl", "count(x in blocks: in(x, purple bowl)) == 2"),
    ("line the blocks up from right to left", "line(blocks, horizontal)"),
    ("put the blue block twelve cm to the right of the green block",
     one("right_of(blue block, green block, dist=0.12)")),
    ("put the red block 4 inches below the yellow bowl", one("below(red block, yellow bowl, dist=0.1016)")),
    ("put the green block to the purple bowl's right", one("right_of(green block, purple bowl)")),
    ("gather the blocks near the purple bowl", "forall(x in blocks: near(x, purple bowl))"),
    ("put the red block on the green block, the blue block in the yellow bowl",
     one("on(red block, green block)", "in(blue block, yellow bowl)")),
    ("put the blue block in the purple bowl and never move the green one", one("in(blue block, purple bowl)")),
    ("put the red block on the green block but don't move the green block",
     one("on(red block, green block)", "unchanged(green block)")),
    ("do not touch the red block and put the blue block in the yellow bowl", one("in(blue block, yellow bowl)")),
    ("put the blue block near to the red block", one("near(blue block, red block)")),
    ("get a pair of blocks into the purple bowl", "count(x in blocks: in(x, purple bowl)) == 2"),
    ("put all the blocks except the red and green ones on the top side",
     "all(forall(x in blocks except [red block, green block]: at(x, top side)), not(at(red block, top side)), "
     "not(at(green block, top side)))"),
    ("put the red block at the top right corner and then move the green block there as well",
     one("at(red block, top right corner)", "at(green block, top right corner)")),
    ("put the blue block in the purple bowl and the red block in that same bowl",
     one("in(blue block, purple bowl)", "in(red block, purple bowl)")),
])
def test_everyday_wordings_are_read(text, expected):
    assert read(text) == expected


def test_the_bowl_is_the_only_bowl_and_the_block_is_no_block_of_two():
    assert read("put the blue block in the bowl", ONE_BOWL) == one("in(blue block, purple bowl)")
    assert read("put the block in the bowl", ONE_BOWL) is None


def test_the_other_block_of_two_is_every_block_but_the_one_just_moved():
    assert read("put the red block in the yellow bowl and the other block in the purple bowl", TWO_BLOCKS) == one(
        "in(red block, yellow bowl)", "forall(x in blocks except red block: in(x, purple bowl))")
    # of three blocks, "the other block" could be either of two
    assert read("put the red block in the yellow bowl and the other block in the purple bowl") is None


@pytest.mark.parametrize("text", [
    "make a stack with red on top",                               # one block: no order to read
    "make a stack with green at the bottom, blue and red",        # blue and red: either order
    "build a tower with red at the bottom and blue at the bottom",
    "stack the blue and red blocks with green on top",            # green is not in the named tower
    "put it in the yellow bowl",                                  # "it" with nothing before
    "don't put the red block in the yellow bowl",
    "the red block should get the yellow bowl",                  # a block holds nothing
    "put the red block in the yellow bowl and then take it back out",
    "put every block in the yellow bowl but one",                 # which one?
    "slide the blue block to the left",                           # a move relative to itself, not the left side
    "put the blue block in the middle bowl",                      # of two bowls: none is in the middle
    "put the red block on the bowl on the left",                  # nothing goes on a bowl
    "put the red block in the block on the left",                 # nothing goes in a block
    "put the blue block in the bowl",                             # of two bowls
    "put the red block in the yellow bowl and the red one too",   # the same block again
    "stack the red block on the blue block on the red block",     # a block on itself
    "put the red block next to the green one, on its top",
    "put the red block eleventy cm left of the blue block",
    "gather the blocks",                                          # gather them where?
    "put the red, green and blue blocks in the yellow bowl, the purple bowl",
    "move the green block to the left side but don't move the green block",   # contradicts itself
    "stack all the blocks but don't touch the red block",          # every block moves: not read with a guard
    "put the red block there",                                     # there: nowhere said before
    "put the red block next to the blue block and the green block in the same bowl",  # no bowl said before
    "put the red block in the yellow bowl but don't touch the white block",   # no such object
])
def test_near_misses_stay_unread(text):
    assert read(text) is None
