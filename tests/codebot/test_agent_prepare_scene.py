"""The scene built for a free instruction (no task template) holds every object its referents name, read
with the phrase parser's reader, so the parser can then read the instruction on that scene."""
import pytest

from codebot.agent_prepare import MAX_PER_KIND, scene_from_instruction
from codebot.checks.goals import normalize_instruction
from codebot.checks.goals.phrases import phrase_spec
from codebot.primitives.colors import SEEN_COLORS
from codebot.primitives.protocols import ObjectInfo


def scene(text, seed=0):
    return scene_from_instruction(normalize_instruction(text)[0], seed)


def objects(spec):
    """The scene laid out in two rows (blocks below, bowls above), as benchmarks/check_heldout.py does."""
    out = [ObjectInfo(f"{c} block", "block", c, (-0.2 + 0.1 * i, -0.55, 0.02), (-0.22 + 0.1 * i, -0.57, 0.0),
                      (-0.18 + 0.1 * i, -0.53, 0.04)) for i, c in enumerate(spec.blocks)]
    return out + [ObjectInfo(f"{c} bowl", "bowl", c, (-0.2 + 0.15 * i, -0.3, 0.0225), (-0.26 + 0.15 * i, -0.36, 0.0),
                             (-0.14 + 0.15 * i, -0.24, 0.045)) for i, c in enumerate(spec.bowls)]


def test_every_colour_of_a_list_gets_its_object():
    s = scene("put the red and blue blocks in the purple bowl")
    assert {"red", "blue"} <= set(s.blocks) and "purple" in s.bowls


def test_a_colour_without_a_noun_gets_the_kind_the_reader_can_use():
    s = scene("put the red one in the yellow one")
    assert "red" in s.blocks and "yellow" in s.bowls
    assert "red" not in s.bowls and "yellow" not in s.blocks  # no distractor makes 'the red one' ambiguous


def test_a_plate_is_a_bowl_as_before():
    s = scene("put the red block on the blue plate")
    assert "red" in s.blocks and "blue" in s.bowls


def test_matching_colours_get_both_kinds():
    s = scene("put the red block in the bowl of the same colour")
    assert "red" in s.blocks and "red" in s.bowls
    s = scene("sort the blocks into bowls by colour")
    assert s is not None and set(s.blocks) == set(s.bowls) and len(s.blocks) == 3


@pytest.mark.parametrize("text, blocks", [
    ("put both blocks in the yellow bowl", 2),
    ("put all three blocks in the purple bowl", 3),
    ("put four blocks in the green bowl", 4),
    ("put two blocks in the green bowl", 3),  # at least two: the usual three
])
def test_counts_set_how_many_blocks(text, blocks):
    assert len(scene(text).blocks) == blocks


def test_either_bowl_means_two_bowls_and_nothing_named_means_no_scene():
    assert len(scene("put the blue block in either bowl").bowls) == 2
    assert scene("wave at the camera") is None


def test_scenes_stay_within_the_layout_limits_and_take_the_seen_colours_first():
    from codebot.sim.layout import MAX_OBJECTS, MAX_PER_KIND as LAYOUT_MAX

    assert MAX_PER_KIND == LAYOUT_MAX
    s = scene("put four blocks in the green bowl")
    assert len(s.blocks) == 4 and set(s.blocks) <= set(SEEN_COLORS) | {"green"}
    s = scene("put six blocks in the green bowl")  # one more than the seen colours: a further colour joins them
    assert len(s.blocks) == 6 and set(SEEN_COLORS) <= set(s.blocks)
    s = scene("put 9 blocks in the green bowl")
    assert len(s.blocks) == MAX_PER_KIND and len(s.blocks) + len(s.bowls) <= MAX_OBJECTS


@pytest.mark.parametrize("text", [
    "put the red and blue blocks in the purple bowl",
    "pick up the red and green blocks and put them in the yellow bowl",
    "put the green one on the blue one",
    "put the red one in the yellow one",
    "drop the red block into its matching bowl",
    "put both blocks in the yellow bowl",
    "put all three blocks in the purple bowl",
    "put the blue block in either bowl",
    "make a stack of the red and blue blocks",
    "move the red block so it's next to the purple bowl",
])
def test_the_phrase_parser_reads_the_instruction_on_the_scene_built_for_it(text):
    for seed in range(3):
        normalized = normalize_instruction(text)[0]
        assert phrase_spec(normalized, objects(scene_from_instruction(normalized, seed))) is not None, seed


@pytest.mark.parametrize("text", ["put the red block in the bowl",
                                  "put the red block in the yellow bowl and the other block in the purple bowl"])
def test_the_only_bowl_and_the_other_block_get_a_scene_the_parser_reads_them_on(text):
    s = scene(text)
    assert phrase_spec(normalize_instruction(text)[0], objects(s)) is not None, s
