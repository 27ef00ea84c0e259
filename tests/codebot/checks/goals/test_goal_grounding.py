"""A written spec may name only what its instruction names: colours (after synonyms), the only object of
a named kind, places when the instruction names one; objects reached through a relation the spec states
(quantifiers, selectors) need no licence."""
from __future__ import annotations

from scenes import block, bowl
from codebot.checks.goals import parse_goal
from codebot.checks.goals.grounding import grounding_problems

SCENE = [block("red", 0.10, -0.40), block("blue", -0.10, -0.50), block("cyan", 0.0, -0.3),
         bowl("blue", 0.20, -0.70), bowl("cyan", -0.2, -0.7)]


def ungrounded(spec, instruction, scene=SCENE):
    return [str(p) for p in grounding_problems(parse_goal(spec), instruction, scene)]


def test_named_colours_license_their_objects_synonyms_included():
    assert ungrounded("all(in(red block, blue bowl), unchanged(others))", "put the red block in the blue bowl") == []
    assert ungrounded("in(red block, blue bowl)", "drop the crimson cube into the azure dish") == []


def test_a_colour_the_instruction_never_says_is_not_licensed():
    # the filed case: "move every block to the bowl that shares its colour" read as "into the cyan bowl"
    problems = ungrounded("forall(x in blocks: in(x, cyan bowl))",
                          "move every block to the bowl that shares its colour")
    assert len(problems) == 1 and "names cyan bowl, but the instruction names no cyan bowl" in problems[0]
    # the filed tower: bowls and unnamed colours inside "every block on the table"
    assert ungrounded("stack([blue block, cyan bowl, red block], blue bowl)",
                      "make one tower out of every block on the table")
    assert ungrounded("stack(blocks)", "make one tower out of every block on the table") == []


def test_relations_the_spec_states_need_no_licence_but_their_anchors_do():
    assert ungrounded("at(nearest(blocks, blue bowl), top left corner)",
                      "move the block closest to the blue bowl to the top left corner") == []
    problems = ungrounded("at(nearest(blocks, cyan bowl), top left corner)",
                          "move the block closest to the blue bowl to the top left corner")
    assert len(problems) == 1 and "cyan bowl" in problems[0]


def test_a_colour_said_of_one_kind_does_not_license_the_other():
    assert ungrounded("in(blue block, blue bowl)", "put the red block in the blue bowl")
    assert ungrounded("in(blue block, blue bowl)", "put the blue one in the blue bowl") == []
    assert ungrounded("stack([red block, blue block])", "stack the red and blue blocks") == []


def test_same_colour_licenses_the_other_kind_of_a_named_colour():
    assert ungrounded("in(cyan block, cyan bowl)", "drop the cyan cube into the bowl with the same colour") == []
    assert ungrounded("in(cyan block, blue bowl)", "drop the cyan cube into the bowl with the same colour")
    # "the block that matches the red bowl" / "whichever bowl has its colour": the parser resolves them to names
    assert ungrounded("in(cyan block, blue bowl)", "put the block that matches the cyan bowl into the blue bowl") == []
    assert ungrounded("in(red block, blue bowl)", "put the block that matches the cyan bowl into the blue bowl")
    assert ungrounded("in(cyan block, cyan bowl)", "the cyan block goes in whichever bowl has its colour") == []


def test_the_only_object_of_a_named_kind_and_places():
    one_of_each = [block("red", 0.1, -0.4), bowl("green", 0.2, -0.7)]
    assert ungrounded("in(red block, green bowl)", "put the block in the bowl", one_of_each) == []
    assert ungrounded("in(red block, blue bowl)", "put the block in the bowl")  # two bowls, three blocks: which?
    assert ungrounded("at(red block, top left corner)", "move the red block away") == [
        "names the place 'top left corner', but the instruction names no place (corner, side, middle...)"]
    assert ungrounded("at(red block, top left corner)", "push the red block into the upper left corner") == []
