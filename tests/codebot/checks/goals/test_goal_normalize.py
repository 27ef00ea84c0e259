"""Instruction synonyms before template matching, and colours the scene lacks."""
from __future__ import annotations

import pytest

from scenes import block, bowl
from codebot.checks.goals import missing_colours, missing_in_scene, normalize_instruction
from codebot.checks.tasks import match


@pytest.mark.parametrize("said, meant, template", [
    ("Drop the crimson cube into the azure bowl", "drop the red block into the blue bowl", None),
    ("put the scarlet box in the navy dish", "put the red block in the blue bowl", "pick_place"),
    ("Make one tower out of every block", "stack all the blocks", "stack_all_blocks"),
    ("build a tower of all the cubes", "stack all the blocks", "stack_all_blocks"),
    ("put the blocks in the bowls that share their colour", "put the blocks in the bowls with matching colors",
     "matching_bowls"),
    ("put each block in the bowl of its colour", "put all the blocks in the bowls with matching colors",
     "matching_bowls"),
    ("move the blocks into the same colour bowls", "move the blocks into the bowls with matching colors",
     "matching_bowls"),
    ("put the grey block on the emerald block", "put the gray block on the green block", "pick_place"),
])
def test_synonyms_reach_the_template(said, meant, template):
    text, notes = normalize_instruction(said)
    assert text == meant
    assert notes  # every mapping is recorded
    instance = match(text)
    assert (instance.task.name if instance else None) == template


@pytest.mark.parametrize("said, meant", [
    ("grn blk on the yllw bwl", "green block on the yellow bowl"),  # note-style shorthand
    ("put teh bluee block in the purpel bowl", "put the blue block in the purple bowl"),  # one slip each
    ("put the brown blok in the orange bowel", "put the brown block in the orange bowl"),
    ("put the pink bolck on the cyan blocks", "put the pink block on the cyan blocks"),  # two neighbours swapped
])
def test_shorthand_and_one_letter_slips_are_mapped_and_noted(said, meant):
    text, notes = normalize_instruction(said)
    assert text == meant
    assert notes


@pytest.mark.parametrize("said", [
    "pick block up and put it in the bowl",  # 'pick' is one slip from 'pink', but a word of its own
    "put the red block in the bowl, then read the label",  # three-letter colours are never guessed at
    "put the pine block on the link block",  # words of their own, next to a noun
    "put the red one on the blue one",
    "put the green ball in the blue bowl",  # two letters from 'bowl': not a slip
])
def test_words_that_are_not_slips_are_left_alone(said):
    assert normalize_instruction(said) == (said, [])


def test_plain_instructions_are_left_alone():
    assert normalize_instruction("put the red block in the blue bowl") == ("put the red block in the blue bowl", [])


def test_missing_colours_are_named_before_any_llm_call():
    scene = [block("red", 0, -0.4), block("blue", 0.1, -0.5), bowl("blue", -0.1, -0.6)]
    assert missing_colours("put the crimson cube in the azure bowl", scene) is None
    msg = missing_colours("put the purple block in the blue bowl", scene)
    assert msg == "no purple object in this scene (objects: blue block, blue bowl, red block)"
    assert missing_colours("stack the black blocks", scene).startswith("no black object")
    assert missing_colours("stack all the blocks", scene) is None


def test_a_named_object_the_scene_lacks_is_named_though_its_colour_is_there():
    scene = [block("red", 0, -0.4), block("blue", 0.1, -0.5), bowl("blue", -0.1, -0.6)]
    said = "put the red cube in the red dish"
    msg = missing_in_scene(said, normalize_instruction(said)[0], scene)
    assert msg == "no red bowl in this scene (objects: blue block, blue bowl, red block)"
    assert missing_in_scene("put the teal block in the red bowl", "put the cyan block in the red bowl", scene) \
        .startswith("no teal object")  # an absent colour is named first, in the instruction's own word
    for fine in ("put the red block in the blue bowl", "stack the blue blocks", "put the red one in the blue bowl",
                 "move every block into a bowl"):
        assert missing_in_scene(fine, fine, scene) is None, fine
