"""Forms from the local model's restatements of the twenty-first fresh batch (tuning since the twenty-second
session) that the parser did not read, or that the licensing rules refused though the instruction asked for them.
Said in my own words."""
import pytest
from scenes import block, bowl, phrase_reading

from codebot.checks.goals import load_goal
from codebot.checks.goals.written import written_spec_problems

FOUR = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("yellow", 0.0, -0.55),
        block("pink", 0.1, -0.55), bowl("gray", -0.2, -0.3), bowl("green", -0.05, -0.3)]
CORNERS = "all(at(red block, top left corner), at(blue block, bottom right corner), unchanged(others))"


@pytest.mark.parametrize("text, expected", [
    ("line up the red block, the blue block and the yellow block vertically",
     "all(line([red block, blue block, yellow block], vertical), unchanged(others))"),
    ("line up the red block, blue block and yellow block horizontally",
     "all(line([red block, blue block, yellow block], horizontal), unchanged(others))"),
    ("line up the red block and the blue block diagonally",
     "all(line([red block, blue block], diagonal), unchanged(others))"),
    ("line up the red bowl and the blue block vertically", None),  # a bowl in a line of blocks
])
def test_a_line_of_named_blocks(text, expected):
    assert phrase_reading(text, FOUR) == expected


@pytest.mark.parametrize("text, expected", [
    ("put the red block at the top left corner and put the blue block diagonally opposite", CORNERS),
    ("put the red block at the top left corner and put the blue cube at the diagonal opposite corner", CORNERS),
    ("put the red block at the top left corner and put the blue block diagonally opposite the red block", CORNERS),
    ("send the red cube to the top left corner and the blue cube to the one diagonally opposite", CORNERS),
    # opposite something else, or a side: no corner is named
    ("put the red block at the top left corner and put the blue block diagonally opposite the pink block", None),
    ("put the red block at the left side and put the blue block diagonally opposite", None),
])
def test_diagonally_opposite_the_corner_just_named(text, expected):
    assert phrase_reading(text, FOUR) == expected


def _problems(spec: str, instruction: str) -> list[str]:
    return [str(p) for p in written_spec_problems(load_goal(spec), instruction)]


@pytest.mark.parametrize("instruction", [
    "one block per bowl, no more, no less",
    "the green bowl should get whichever block sits nearest the gray bowl",
    "each dish receives a single cube",
])
def test_a_bowl_that_gets_blocks_licenses_in(instruction):
    spec = ("forall(y in bowls: count(x in blocks: in(x, y)) == 1)" if "nearest" not in instruction else
            "all(in(nearest(blocks, gray bowl), green bowl), unchanged(others))")
    assert not [p for p in _problems(spec, instruction) if p.startswith("in(")]


def test_a_bowl_beside_which_a_block_goes_still_licenses_no_in():
    assert _problems("all(in(pink block, green bowl), unchanged(others))",
                     "put the pink block beside the green bowl")[0].startswith("in(")
