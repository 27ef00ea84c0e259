"""Every checker on hand-made scenes: a scene where the goal holds passes, near misses fail with a reason."""
import pytest

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE as WS
from codebot.checks.tasks import match

BLOCK = 0.04
BOWL_D, BOWL_H = 0.16, 0.06


def block(color, x, y, z=0.0):
    h = BLOCK / 2
    return ObjectInfo(f"{color} block", "block", color, (x, y, z + h), (x - h, y - h, z), (x + h, y + h, z + BLOCK))


def bowl(color, x, y):
    r = BOWL_D / 2
    return ObjectInfo(f"{color} bowl", "bowl", color, (x, y, BOWL_H / 2), (x - r, y - r, 0.0), (x + r, y + r, BOWL_H))


def in_bowl_block(color, b):
    return block(color, b.position[0] + 0.01, b.position[1], 0.008)


def check(instruction, initial, final):
    inst = match(instruction)
    assert inst is not None, instruction
    return inst.check(initial, final, WS)


def test_pick_place_on_bowl_and_block():
    init = [block("red", 0.1, -0.4), block("green", -0.1, -0.6), bowl("blue", 0.0, -0.5)]
    good = [in_bowl_block("red", init[2]), init[1], init[2]]
    assert check("pick up the red block and place it on the blue bowl", init, good).success
    beside = [block("red", 0.0, -0.5 + 0.12), init[1], init[2]]
    v = check("pick up the red block and place it on the blue bowl", init, beside)
    assert not v.success and "not in the blue bowl" in v.reason
    on_green = [block("red", -0.1, -0.6, BLOCK), init[1], init[2]]
    assert check("put the red block on the green block", init, on_green).success
    offset = [block("red", -0.1 + 0.03, -0.6, BLOCK), init[1], init[2]]
    assert not check("put the red block on the green block", init, offset).success
    # moving a distractor is not allowed
    pushed = [in_bowl_block("red", init[2]), block("green", 0.1, -0.6), init[2]]
    v = check("pick up the red block and place it on the blue bowl", init, pushed)
    assert not v.success and "green block was moved" in v.reason


def test_stack_all_blocks():
    init = [block("red", 0.1, -0.4), block("green", -0.1, -0.6), block("blue", 0.2, -0.7)]
    tower = [block("green", -0.1, -0.6), block("red", -0.1, -0.6, BLOCK), block("blue", -0.105, -0.6, 2 * BLOCK)]
    assert check("stack all the blocks", init, tower).success
    two_piles = [block("green", -0.1, -0.6), block("red", -0.1, -0.6, BLOCK), block("blue", 0.2, -0.7)]
    v = check("stack all the blocks", init, two_piles)
    assert not v.success and "blue block" in v.reason


def test_all_blocks_on_corner_and_side():
    init = [block("red", 0.1, -0.4), block("green", -0.1, -0.6)]
    corner = [block("red", -0.25, -0.25), block("green", -0.25, -0.25, BLOCK)]
    assert check("put all the blocks on the top left corner", init, corner).success
    assert not check("put all the blocks on the top right corner", init, corner).success
    side = [block("red", 0.0, -0.24), block("green", 0.06, -0.24)]
    assert check("put all the blocks on the top side", init, side).success
    # the top-left corner region is not the top side
    assert not check("put all the blocks on the top side", init, corner).success
    half = [block("red", 0.0, -0.24), block("green", 0.0, -0.5)]
    v = check("put all the blocks on the top side", init, half)
    assert not v.success and "green block is not on the top side" in v.reason


def test_blocks_in_bowl_and_matching_and_mismatched():
    b1, b2 = bowl("blue", 0.1, -0.5), bowl("red", -0.15, -0.6)
    init = [block("blue", 0.0, -0.3), block("red", 0.2, -0.7), b1, b2]
    both_blue = [in_bowl_block("blue", b1), block("red", 0.1, -0.5, BOWL_H - 0.02), b1, b2]
    assert check("put the blocks in the blue bowl", init, both_blue).success
    assert not check("put the blocks in the red bowl", init, both_blue).success
    matched = [in_bowl_block("blue", b1), in_bowl_block("red", b2), b1, b2]
    assert check("put all the blocks in the bowls with matching colors", init, matched).success
    assert not check("put the blocks in the bowls with mismatched colors", init, matched).success
    swapped = [in_bowl_block("blue", b2), in_bowl_block("red", b1), b1, b2]
    assert check("put the blocks in the bowls with mismatched colors", init, swapped).success
    assert not check("put all the blocks in the bowls with matching colors", init, swapped).success
    # held high above the bowl does not count
    floating = [block("blue", 0.1, -0.5, 0.25), in_bowl_block("red", b2), b1, b2]
    assert not check("put all the blocks in the bowls with matching colors", init, floating).success


def test_different_corners():
    init = [block("red", 0.1, -0.4), block("green", -0.1, -0.6), block("blue", 0.0, -0.5)]
    good = [block("red", 0.25, -0.25), block("green", -0.25, -0.75), block("blue", -0.25, -0.25)]
    assert check("put all the blocks in different corners", init, good).success
    shared = [block("red", 0.25, -0.25), block("green", 0.22, -0.27, 0.0), block("blue", -0.25, -0.25)]
    v = check("put all the blocks in different corners", init, shared)
    assert not v.success and "shares" in v.reason


def test_stack_on_place():
    init = [block("red", 0.1, -0.4), block("green", -0.1, -0.6)]
    tower = [block("red", 0.25, -0.75), block("green", 0.25, -0.75, BLOCK)]
    assert check("stack all the blocks on the bottom right corner", init, tower).success
    assert not check("stack all the blocks on the bottom left corner", init, tower).success
    apart = [block("red", 0.25, -0.75), block("green", 0.2, -0.72)]
    assert not check("stack all the blocks on the bottom right corner", init, apart).success


def test_block_beside_bowl_uses_initial_referent():
    b = bowl("blue", 0.0, -0.5)
    init = [block("red", -0.2, -0.5), block("green", 0.15, -0.45), b]
    inst = match("pick up the block to the left of the blue bowl and place it on the top right corner")
    assert inst.scene_problem(init, WS) is None
    good = [block("red", 0.25, -0.25), init[1], b]
    assert inst.check(init, good, WS).success
    wrong = [init[0], block("green", 0.25, -0.25), b]
    v = inst.check(init, wrong, WS)
    assert not v.success and v.details["referent"] == "red block"
    ambiguous = [block("red", -0.2, -0.5), block("green", -0.15, -0.45), b]
    assert "ambiguous" in inst.scene_problem(ambiguous, WS)


def test_block_by_distance():
    b = bowl("blue", 0.0, -0.5)
    init = [block("red", 0.12, -0.5), block("green", -0.25, -0.7), b]
    near = match("pick up the block closest to the blue bowl and place it on the left side")
    far = match("pick up the block farthest from the blue bowl and place it on the left side")
    moved_red = [block("red", -0.26, -0.5), init[1], b]
    assert near.check(init, moved_red, WS).success
    assert not far.check(init, moved_red, WS).success
    tie = [block("red", 0.12, -0.5), block("green", -0.12, -0.51), b]
    assert "ambiguous" in near.scene_problem(tie, WS)


def test_nth_block_from_direction():
    init = [block("red", -0.2, -0.5), block("green", 0.0, -0.4), block("blue", 0.2, -0.6)]
    inst = match("pick up the second block from the left and place it on the bottom side")
    assert inst.params["ordinal"] == "second"
    good = [init[0], block("green", 0.0, -0.76), init[2]]
    assert inst.check(init, good, WS).success
    third_right = match("pick up the third block from the right and place it on the bottom side")
    v = third_right.check(init, good, WS)
    assert not v.success and v.details["referent"] == "red block"
    fourth = match("pick up the fourth block from the top and place it on the bottom side")
    assert fourth.scene_problem(init, WS) == "no block fits the description"


def test_block_offset_from_bowl():
    b = bowl("blue", 0.1, -0.5)
    init = [block("red", 0.0, -0.3), b]
    little = match("pick up the red block and place it a little to the left of the blue bowl")
    lot = match("pick up the red block and place it a lot to the left of the blue bowl")
    near = [block("red", 0.1 - 0.08 - 0.05, -0.5), b]
    far = [block("red", 0.1 - 0.08 - 0.25, -0.52), b]
    assert little.check(init, near, WS).success and not lot.check(init, near, WS).success
    assert lot.check(init, far, WS).success and not little.check(init, far, WS).success
    sideways = [block("red", 0.1 - 0.08 - 0.05, -0.65), b]
    assert not little.check(init, sideways, WS).success
    wrong_side = [block("red", 0.1 + 0.08 + 0.05, -0.5), b]
    assert not little.check(init, wrong_side, WS).success
    # "a lot to the right" of a bowl at the right edge cannot fit in the workspace
    edge = [init[0], bowl("blue", 0.2, -0.5)]
    assert "no room" in match("pick up the red block and place it a lot to the right of the blue bowl"
                              ).scene_problem(edge, WS)


def test_corner_by_bowl():
    b = bowl("blue", 0.15, -0.7)
    init = [block("red", 0.0, -0.4), b]
    near = match("pick up the red block and place it in the corner closest to the blue bowl")
    far = match("pick up the red block and place it in the corner farthest from the blue bowl")
    at_br = [block("red", 0.26, -0.76), b]
    at_tl = [block("red", -0.26, -0.24), b]
    assert near.check(init, at_br, WS).success and not near.check(init, at_tl, WS).success
    assert far.check(init, at_tl, WS).success and not far.check(init, at_br, WS).success


@pytest.mark.parametrize("line,points,ok", [
    ("horizontal", [(-0.1, -0.5), (0.0, -0.5), (0.1, -0.505)], True),
    ("horizontal", [(-0.1, -0.5), (0.0, -0.45), (0.1, -0.5)], False),  # bent
    ("vertical", [(0.0, -0.4), (0.0, -0.5), (0.01, -0.6)], True),
    ("vertical", [(-0.1, -0.5), (0.0, -0.5), (0.1, -0.5)], False),  # wrong orientation
    ("diagonal", [(-0.1, -0.6), (0.0, -0.5), (0.1, -0.4)], True),
    ("diagonal", [(-0.1, -0.4), (0.0, -0.5), (0.1, -0.6)], True),
    ("diagonal", [(-0.02, -0.5), (0.0, -0.5), (0.02, -0.5)], False),  # overlapping, too short
])
def test_blocks_in_line(line, points, ok):
    colors = ["red", "green", "blue"]
    init = [block(c, 0.2 * i - 0.2, -0.3 - 0.1 * i) for i, c in enumerate(colors)]
    final = [block(c, x, y) for c, (x, y) in zip(colors, points)]
    assert check(f"put all the blocks in a {line} line", init, final).success is ok


def test_missing_or_fallen_objects_fail_cleanly():
    init = [block("red", 0.1, -0.4), bowl("blue", 0.0, -0.5)]
    v = check("put the red block in the blue bowl", init, [init[1]])
    assert not v.success and "not in the final scene" in v.reason
    fell = [block("red", 0.5, -0.4, -0.8), init[1]]
    v = check("put the red block in the blue bowl", init, fell)
    assert not v.success and "fell off the table" in v.reason


def test_goal_already_holding_is_a_scene_problem():
    b = bowl("blue", 0.0, -0.5)
    init = [in_bowl_block("red", b), b]
    assert "already holds" in match("put the red block in the blue bowl").scene_problem(init, WS)


def test_tower_in_bowl_counts_but_block_held_above_does_not():
    b = bowl("blue", 0.0, -0.5)
    init = [block("red", 0.1, -0.4), block("green", -0.1, -0.6), block("pink", 0.2, -0.6), b]
    floor = 0.008
    tower = [block("red", 0.0, -0.5, floor), block("green", 0.0, -0.5, floor + BLOCK),
             block("pink", 0.0, -0.5, floor + 2 * BLOCK), b]
    assert check("put the blocks in the blue bowl", init, tower).success
    held = [block("red", 0.0, -0.5, floor), block("green", -0.1, -0.6), block("pink", 0.0, -0.5, 0.2), b]
    v = check("put the blocks in the blue bowl", init, held)
    assert not v.success and "pink block is not in the blue bowl" in v.reason
