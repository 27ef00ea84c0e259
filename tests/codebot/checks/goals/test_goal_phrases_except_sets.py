"""Readings that leave several blocks, or a block chosen by a selector, out of a set: the spec language reads only a
bare name after 'except', so the parser writes anything else as a bracketed list (it used to write
'blocks except red block, blue block' and 'blocks except farthest(...)', readings its own spec parser rejected, so
the instruction or its restatement ended unread)."""
import pytest
from scenes import block, bowl, phrase_reading

from codebot.checks.goals import parse_goal
from codebot.checks.goals.phrase_refs import except_set

SCENE = [block("red", .4, -.2), block("blue", .5, .1), block("green", .6, .2), block("yellow", .45, .25),
         bowl("green", .55, -.1), bowl("yellow", .7, .0)]


def test_except_set_brackets_anything_but_one_bare_name():
    assert except_set("blocks", ["red block"]) == "blocks except red block"
    assert except_set("blocks", ["red block", "blue block", "red block"]) == "blocks except [red block, blue block]"
    assert except_set("blocks", ["farthest(blocks, green bowl)"]) == "blocks except [farthest(blocks, green bowl)]"
    for text in ("blocks except [red block, blue block]", "blocks except [farthest(blocks, green bowl)]"):
        parse_goal(f"forall(x in {text}: in(x, yellow bowl))")  # raises if the language does not read it


@pytest.mark.parametrize("instruction, reading", [
    ("put the red block in the green bowl, the blue block in the green bowl, and the rest of the blocks in the "
     "yellow bowl",
     "all(in(red block, green bowl), in(blue block, green bowl), forall(x in blocks except [red block, blue block]: "
     "in(x, yellow bowl)), unchanged(others))"),
    ("put the red block and the blue block in the green bowl and don't let any other block end up in that bowl",
     "all(in(red block, green bowl), in(blue block, green bowl), forall(x in blocks except [red block, blue block]: "
     "not(in(x, green bowl))), unchanged(others))"),
    ("put the block farthest from the green bowl in the green bowl and leave the other blocks where they are",
     "all(in(farthest(blocks, green bowl), green bowl), unchanged(blocks except [farthest(blocks, green bowl)]))"),
])
def test_several_or_chosen_blocks_left_out_read_as_a_list(instruction, reading):
    assert phrase_reading(instruction, SCENE) == reading
