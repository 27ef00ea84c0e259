"""Wordings of the twentieth session's fresh batch (benchmarks/data/paraphrase_fresh_s20.jsonl, tuning data since
the twenty-first session) and of the restatements the local model gave for the eighteenth and nineteenth batches,
that the parser left unread, each said in my own words: a block chosen by where it is as an exception, "everything
but X" into a bowl, a line with an exception, keep-the-rest tails after two moves, "the leftmost one", questions
and wishes ("it'd be nice if …"), a centre-to-centre distance, one block in each of the four corners. Near misses
stay unread."""
import pytest
from scenes import block, bowl, phrase_reading

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
FOUR = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
        block("cyan", 0.1, -0.55), bowl("yellow", -0.2, -0.3)]
THREE_BOWLS = SCENE + [bowl("cyan", 0.1, -0.3)]
LEFTMOST = "nth(blocks, 1, left)"


@pytest.mark.parametrize("text, expected", [
    ("put every block but the leftmost one in the purple bowl",
     f"all(forall(x in blocks except [{LEFTMOST}]: in(x, purple bowl)), not(in({LEFTMOST}, purple bowl)))"),
    ("all the blocks except the one nearest the yellow bowl go in the yellow bowl",
     "all(forall(x in blocks except [nearest(blocks, yellow bowl)]: in(x, yellow bowl)), "
     "not(in(nearest(blocks, yellow bowl), yellow bowl)))"),
    ("stack all the blocks apart from the leftmost one",
     f"all(stack(blocks except [{LEFTMOST}]), unchanged({LEFTMOST}))"),
    ("put all the blocks except the leftmost one in the bowl", None),  # which bowl?
])
def test_a_block_chosen_by_where_it_is_as_the_exception(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("drop everything apart from the green cube into the yellow dish",
     "all(forall(x in blocks except green block: in(x, yellow bowl)), not(in(green block, yellow bowl)))"),
    ("put everything except the green block on the yellow bowl", None),  # on a bowl: bowls too?
])
def test_everything_but_a_block_into_a_bowl(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("arrange all the blocks in a vertical line apart from the green one",
     "all(line(blocks except green block, vertical), unchanged(green block))"),
    ("line every block up diagonally except the red and blue ones",
     "all(line(blocks except [red block, blue block], diagonal), unchanged(red block, blue block))"),
    ("make a row of the blocks but don't touch the red block", None),  # the row may be built around it
    ("line up all the blocks diagonally and keep the green block where it is", None),  # likewise
])
def test_a_line_with_an_exception(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("put the red block in the yellow bowl and the blue block in the purple bowl and leave the other blocks alone",
     "all(in(red block, yellow bowl), in(blue block, purple bowl), unchanged(blocks except [red block, blue block]))"),
    ("put the red block on the blue block and leave the other ones where they are",
     "all(on(red block, blue block), unchanged(others))"),
    ("move the leftmost block onto the rightmost one",
     "all(on(nth(blocks, 1, left), nth(blocks, 1, right)), unchanged(others))"),
    ("could the two rightmost blocks both go in the yellow bowl?",
     "all(in(nth(blocks, 1, right), yellow bowl), in(nth(blocks, 2, right), yellow bowl), unchanged(others))"),
    ("can the red block go next to the purple bowl? nothing else needs to move",
     "all(near(red block, purple bowl), unchanged(others))"),
    ("i think it would be great if the green block were resting in the purple bowl, if that's okay",
     "all(in(green block, purple bowl), unchanged(others))"),
    ("it'd be nice if the green block were gently in the purple bowl", None),  # a manner no check sees
    ("pick out the green block, then set it down in the yellow bowl",
     "all(in(green block, yellow bowl), unchanged(others))"),
    ("put the red block in any one of the bowls", "all(exists(y in bowls: in(red block, y)), unchanged(others))"),
    ("move the red block so that its centre ends up 5 cm right of the green block's centre",
     "all(right_of(red block, green block, dist=0.05), unchanged(others))"),
    ("put the red block in a bowl of another colour from the red block",
     "all(exists(y in bowls: all(not(same_colour(red block, y)), in(red block, y))), unchanged(others))"),
    ("put the red block in a bowl of another colour from the blue block", None),  # whose colour?
    ("line up the red, green and blue blocks in a straight right-to-left row",
     "all(line([red block, green block, blue block], horizontal), right_of(red block, green block), "
     "right_of(green block, blue block), unchanged(others))"),
])
def test_everyday_forms_of_moves_already_read(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, scene, expected", [
    ("one block in each of the four corners, please", FOUR, "distinct_places(blocks, corners)"),
    ("put one block in each of the corners", SCENE, None),  # three blocks, four corners
])
def test_a_block_in_each_of_the_four_corners(text, scene, expected):
    assert phrase_reading(text, scene) == expected


@pytest.mark.parametrize("text, scene, expected", [
    ("put the blue block in a bowl, only not the yellow one", THREE_BOWLS,
     "all(exists(y in bowls except yellow bowl: in(blue block, y)), unchanged(others))"),
    ("put the blue block in a bowl, just not the yellow one", SCENE, None),  # of two bowls: the purple one, unsaid
])
def test_a_bowl_just_not_that_one(text, scene, expected):
    assert phrase_reading(text, scene) == expected


@pytest.mark.parametrize("text, expected", [
    ("everything should go in the purple bowl", "forall(x in blocks: in(x, purple bowl))"),
    ("put everything on the purple bowl", None),  # on a bowl: which things?
    ("grab the block that is green and put it in the yellow bowl",
     "all(in(green block, yellow bowl), unchanged(others))"),
    ("the block nearest the purple bowl -> into the yellow bowl",
     "all(in(nearest(blocks, purple bowl), yellow bowl), unchanged(others))"),
    ("red block -> bowl on the far left", "all(in(red block, nth(bowls, 1, left)), unchanged(others))"),
    ("take the red block over to whichever corner of the table is closest to it",
     "all(at(red block, nearest(corners, red block)), unchanged(others))"),
    ("send the red block off to the side that's farthest away from it",
     "all(at(red block, farthest(sides, red block)), unchanged(others))"),
    ("pile all the blocks up, one on top of the other, whatever order you want", "stack(blocks)"),
])
def test_more_everyday_forms(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("tower time: red on the bottom, green in the middle and blue up top",
     "all(on(green block, red block), on(blue block, green block), unchanged(others))"),
    ("stack them up: blue at the bottom, then red, with green on top",
     "all(on(red block, blue block), on(green block, red block), unchanged(others))"),
    ("stack them up: blue at the bottom, with green on top", None),  # 'them' is every block: where does red go?
])
def test_a_tower_said_by_colours_alone(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("everything except the red block has to go in the purple bowl",
     "all(forall(x in blocks except red block: in(x, purple bowl)), not(in(red block, purple bowl)))"),
    ("everything but the red block belongs in the purple bowl; the red one stays where it is",
     "all(forall(x in blocks except red block: in(x, purple bowl)), unchanged(red block))"),
    ("put the green block at the top side without shifting anything else",
     "all(at(green block, top side), unchanged(others))"),
    ("drop a block in the purple bowl. any one will do", "exists(x in blocks: in(x, purple bowl))"),
    ("pile the blocks up, just don't use the green one",
     "all(stack(blocks except green block), unchanged(green block))"),
    ("every block in the yellow bowl except the blue one, that one stays out",
     "all(forall(x in blocks except blue block: in(x, yellow bowl)), not(in(blue block, yellow bowl)))"),
    ("move all of the blocks into the yellow bowl, but not the red one",
     "all(forall(x in blocks except red block: in(x, yellow bowl)), not(in(red block, yellow bowl)))"),
    ("make sure the purple bowl holds a single block in it", "count(x in blocks: in(x, purple bowl)) == 1"),
    ("put the red block in the yellow bowl; subsequently put the blue block on the green block",
     "all(in(red block, yellow bowl), on(blue block, green block), unchanged(others))"),
    ("the red block and the blue block: move them both into the purple bowl",
     "all(in(red block, purple bowl), in(blue block, purple bowl), unchanged(others))"),
    ("make sure every block sits within either the yellow bowl or the purple bowl",
     "forall(x in blocks: any(in(x, yellow bowl), in(x, purple bowl)))"),
    ("could all the blocks go in the purple bowl together?", "forall(x in blocks: in(x, purple bowl))"),
    ("make sure all the blocks are not in the purple bowl", None),  # a negation this form does not read
    ("grab whichever block lies closest to the purple bowl and drop it in the yellow bowl",
     "all(in(nearest(blocks, purple bowl), yellow bowl), unchanged(others))"),
    ("stick the little green cube in that yellow dish over there",
     "all(in(green block, yellow bowl), unchanged(others))"),
    ("the small block goes in the yellow bowl", None),  # a size, not a colour
])
def test_everyday_forms_of_the_tuning_set(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("first put the red block in the yellow bowl, and after you've done that put the blue block in the purple bowl, "
     "and then you're done", "all(in(red block, yellow bowl), in(blue block, purple bowl), unchanged(others))"),
    ("at the end, the red block should be resting in the purple bowl and nothing else should have been moved",
     "all(in(red block, purple bowl), unchanged(others))"),
    ("put the red block on the blue block or in the yellow bowl, either works",
     "all(any(on(red block, blue block), in(red block, yellow bowl)), unchanged(others))"),
    ("put some other block on top of the green block, any one",
     "exists(x in blocks except green block: on(x, green block))"),
    ("put another block next to the green block", "exists(x in blocks except green block: near(x, green block))"),
    ("put another block in the yellow bowl", None),  # another than which?
])
def test_sequences_tails_and_another_block(text, expected):
    assert phrase_reading(text, SCENE) == expected


@pytest.mark.parametrize("text, expected", [
    ("put exactly two blocks in the yellow bowl but keep the red block out of it",
     "all(count(x in blocks: in(x, yellow bowl)) == 2, not(in(red block, yellow bowl)))"),
    ("put two blocks in the yellow bowl and keep the red block out of the purple bowl", None),  # another bowl
    ("put the first two blocks from the right in the purple bowl",
     "all(in(nth(blocks, 1, right), purple bowl), in(nth(blocks, 2, right), purple bowl), unchanged(others))"),
    ("move the blue block to the closest edge", "all(at(blue block, nearest(sides, blue block)), unchanged(others))"),
    ("put the blue block in the farthest corner of the table",
     "all(at(blue block, farthest(corners, blue block)), unchanged(others))"),
    ("line up all the blocks along the left side",
     "all(line(blocks, vertical), forall(x in blocks: at(x, left side)))"),
    ("make a horizontal row of all the blocks along the top edge",
     "all(line(blocks, horizontal), forall(x in blocks: at(x, top side)))"),
    ("line up all the blocks horizontally along the left side", None),  # a horizontal line along a vertical side
    ("put all the blocks at the left side", "forall(x in blocks: at(x, left side))"),  # no line asked for
    ("make a horizontal line of the blocks along the bottom edge",  # the place read too (it was left unread)
     "all(line(blocks, horizontal), forall(x in blocks: at(x, bottom side)))"),
])
def test_restatement_forms_read(text, expected):
    assert phrase_reading(text, SCENE) == expected
