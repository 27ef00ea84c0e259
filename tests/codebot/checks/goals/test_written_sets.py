"""goals/written_sets.py: which objects a written or restated spec's sets may cover and which table sides it may
name (the twentieth session's fresh batch pt1640, pt1681, pt1682, read after their restatement A/B)."""
import pytest

from codebot.checks.goals import load_goal
from codebot.checks.goals.written import written_spec_problems
from codebot.checks.goals.written_sets import quantity_words


def _refused(instruction: str, spec: str) -> list[str]:
    return [str(p) for p in written_spec_problems(load_goal(spec), instruction)]


@pytest.mark.parametrize("instruction, spec", [
    ("put a block in every bowl - which block goes where is up to you",
     "forall(x in blocks: exists(y in bowls: in(x, y)))"),  # every bowl, not every block
    ("build a little tower out of the red, blue and green blocks, any order", "stack(blocks)"),
    ("line up the red and yellow cubes diagonally", "line(blocks, diagonal)"),
    ("move the gray block to whichever edge of the table is nearest to it",
     "all(at(gray block, left side), unchanged(others))"),
    ("push the red block to the far edge", "all(at(red block, left side), unchanged(others))"),
])
def test_a_set_or_side_the_instruction_does_not_say_is_refused(instruction, spec):
    assert _refused(instruction, spec)


@pytest.mark.parametrize("instruction, spec", [
    ("put a block in every bowl", "forall(y in bowls: exists(x in blocks: in(x, y)))"),
    ("put every block in a bowl", "forall(x in blocks: exists(y in bowls: in(x, y)))"),
    ("stack all of the red, blue and green blocks", "stack(blocks)"),  # 'all' said of them: read as every block
    ("stack the blocks", "stack(blocks)"),
    ("push the red block to the far edge", "all(at(red block, top side), unchanged(others))"),
    ("move the red block to the left edge of the table", "all(at(red block, left side), unchanged(others))"),
])
def test_what_the_instruction_says_stays_licensed(instruction, spec):
    assert not [p for p in _refused(instruction, spec) if "names the" in p and "side" in p
                or "names which blocks" in p or "is not asked for" in p]


def test_a_quantity_word_belongs_to_the_noun_after_it():
    assert "every" not in quantity_words("put a block in every single bowl", "blocks")
    assert "every" in quantity_words("put a block in every single bowl", "bowls")
    assert "all" in quantity_words("put all the blocks in the bowl", "blocks")


@pytest.mark.parametrize("instruction, spec, refused", [
    # a tower or line whose place the instruction says (s21 pt1764, read after its restatement A/B)
    ("build one tall pile out of every cube, in the middle of the table", "stack(blocks)", True),
    ("build one tall pile out of every cube, in the middle of the table", "stack(blocks, middle)", False),
    ("line the blocks up horizontally along the bottom edge", "line(blocks, horizontal)", True),
    ("stack all the blocks in the top left corner", "stack(blocks, top left corner)", False),
    # no place of the table: the middle of a tower, a middle bowl, an object's side
    ("stack the blocks: green at the bottom, blue in the middle, red on top", "stack([green block, blue block, "
     "red block])", False),
    ("stack all the blocks on the middle bowl", "stack(blocks, nth(bowls, 2, left))", False),
    ("line up all the blocks horizontally to the left side of the red bowl", "line(blocks, horizontal)", False),
])
def test_a_place_said_for_a_tower_or_line_is_not_dropped(instruction, spec, refused):
    said = any("names no place" in problem for problem in _refused(instruction, spec))
    assert said == refused
