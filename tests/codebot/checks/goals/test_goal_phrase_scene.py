"""scene_needs: what an instruction names, read with the phrase parser's reader."""
from codebot.checks.goals import normalize_instruction
from codebot.checks.goals.phrase_scene import scene_needs


def needs(text):
    return scene_needs(normalize_instruction(text)[0])


def test_named_objects_lists_and_synonyms():
    n = needs("put the crimson cube and the blue block in the violet dish")
    assert n.blocks == ("red", "blue") and n.bowls == ("purple",) and not n.loose


def test_a_loose_colour_takes_the_kind_the_parser_reads_and_is_marked_loose():
    n = needs("put the red one in the yellow one")
    assert n.blocks == ("red",) and n.bowls == ("yellow",) and n.loose == ("red", "yellow")
    assert needs("hand me the green one").blocks == ("green",)  # unreadable either way: a block


def test_matching_counts_and_either():
    assert needs("drop the red block into its matching bowl").bowls == ("red",)
    assert needs("put both blocks in the yellow bowl").block_count == 2
    assert needs("put at least two blocks in the yellow bowl").min_blocks == 2
    assert needs("put the red block in either bowl").bowl_count == 2
    assert needs("wave at the camera").empty


def test_the_bowl_means_one_bowl_and_the_other_block_two_blocks():
    n = needs("put the red block in the bowl")
    assert n.bowl_count == 1 and n.blocks == ("red",) and n.block_count is None
    assert needs("put the block in the bowl").block_count == 1
    assert needs("put the red block in the yellow bowl and the other block in the purple bowl").block_count == 2
    # a selector after it, or a coloured bowl named: not the only one of its kind
    assert needs("put the red block in the bowl nearest the blue block").bowl_count is None
    assert needs("put the red block in the bowl on the left").bowl_count is None
    assert needs("put the block closest to the yellow bowl in the purple bowl").block_count is None


def test_half_of_the_blocks_gets_blocks_that_halve_and_a_shade_pairs_colours():
    assert needs("put half of the blocks in the yellow bowl").block_count == 4
    n = needs("put every block in the bowl of the same shade")
    assert n.matching
