"""The evaluator on hand-made scenes: every relation true and false, with the measured values."""
from __future__ import annotations

import pytest

from scenes import BLOCK, block, bowl, in_bowl_block, replace
from codebot.checks.goals import evaluate_goal, parse_goal

RED, BLUE, GREEN = block("red", 0.10, -0.40), block("blue", -0.10, -0.50), block("green", 0.00, -0.65)
BOWL, RED_BOWL = bowl("blue", 0.20, -0.70), bowl("red", -0.20, -0.30)
BEFORE = [RED, BLUE, GREEN, BOWL, RED_BOWL]


def judge(spec, after, before=BEFORE):
    return evaluate_goal(parse_goal(spec), before, after)


def test_in_and_on():
    after = replace(BEFORE, in_bowl_block("red", BOWL))
    assert judge("in(red block, blue bowl)", after).success
    assert judge("on(red block, blue bowl)", after).success  # on a bowl means in it (template 1)
    off = judge("in(red block, blue bowl)", replace(BEFORE, block("red", 0.34, -0.70)))
    assert not off.success and "14 cm from the bowl's centre, tolerance 6 cm" in off.reason
    held = judge("in(red block, blue bowl)", replace(BEFORE, block("red", 0.20, -0.70, 0.15)))
    assert not held.success and "above the bowl's rim" in held.reason
    stacked = replace(BEFORE, block("red", -0.10, -0.50, BLOCK))
    assert judge("on(red block, blue block)", stacked).success
    assert not judge("on(blue block, red block)", stacked).success
    v = judge("on(red block, blue block)", replace(BEFORE, block("red", -0.07, -0.50, BLOCK)))
    assert not v.success and v.clauses[0].measured["horizontal_m"] == pytest.approx(0.03)


def test_at_places_and_middle():
    corner = replace(BEFORE, block("red", -0.25, -0.25))
    assert judge("at(red block, top left corner)", corner).success
    assert not judge("at(red block, top side)", corner).success  # a corner is not also a side
    assert judge("at(red block, top side)", replace(BEFORE, block("red", 0.0, -0.25))).success
    assert judge("at(red block, middle)", replace(BEFORE, block("red", 0.02, -0.52))).success
    far = judge("at(red block, bottom right corner)", BEFORE)
    assert not far.success and "the region reaches 12 cm" in far.reason


def test_directions_with_and_without_distance():
    assert judge("left_of(blue block, red block)", BEFORE).success
    assert not judge("right_of(blue block, red block)", BEFORE).success
    assert judge("above(red block, green block)", BEFORE).success  # above = toward the top side (+y)
    assert judge("below(green block, red block)", BEFORE).success
    after = replace(BEFORE, block("red", 0.20 - 0.06 - 0.055, -0.70))
    assert judge("left_of(red block, blue bowl, dist=a little)", after).success
    assert not judge("left_of(red block, blue bowl, dist=a lot)", after).success
    lot = replace(BEFORE, block("red", 0.20 - 0.06 - 0.18, -0.70))
    assert judge("left_of(red block, blue bowl, dist=a lot)", lot).success
    exact = replace(BEFORE, block("red", 0.00, -0.50 + 0.15))
    assert judge("above(red block, blue block, dist=0.15)", replace(exact, block("red", -0.10, -0.35))).success
    assert not judge("above(red block, blue block, dist=0.30)", replace(exact, block("red", -0.10, -0.35))).success


def test_direction_is_measured_from_where_the_anchor_started():
    after = replace(BEFORE, block("red", -0.20, -0.50), block("blue", -0.35, -0.50))
    assert judge("left_of(red block, blue block)", after).success


def test_near_and_same_colour():
    assert judge("near(red block, blue bowl)", replace(BEFORE, block("red", 0.20, -0.60))).success
    assert not judge("near(red block, blue bowl)", BEFORE).success
    assert judge("same_colour(red block, red bowl)", BEFORE).success
    assert not judge("same_colour(red block, blue bowl)", BEFORE).success


def test_stack_with_and_without_base():
    tower = replace(BEFORE, block("red", 0.0, -0.65, BLOCK), block("blue", 0.0, -0.65, 2 * BLOCK))
    assert judge("stack(blocks)", tower).success
    assert judge("stack(blocks, green block)", tower).success  # the base is the bottom member
    bottom = judge("stack(blocks, red block)", tower)
    assert not bottom.success and "green block is at the bottom" in bottom.reason
    assert not judge("stack(blocks)", BEFORE).success
    corner = replace(BEFORE, *[block(c, -0.24, -0.26, i * BLOCK) for i, c in enumerate(["green", "red", "blue"])])
    assert judge("stack(blocks, top left corner)", corner).success
    assert not judge("stack(blocks, bottom left corner)", corner).success
    on_bowl = replace(BEFORE, in_bowl_block("green", BOWL), in_bowl_block("red", BOWL, 1),
                      in_bowl_block("blue", BOWL, 2))
    assert judge("stack(blocks, blue bowl)", on_bowl).success


def test_line_and_distinct_places():
    row = replace(BEFORE, block("red", -0.1, -0.5), block("blue", 0.0, -0.5), block("green", 0.1, -0.5))
    assert judge("line(blocks, horizontal)", row).success
    v = judge("line(blocks, vertical)", row)
    assert not v.success and "not vertical" in v.reason and v.clauses[0].measured["angle_deg"] == 0.0
    diag = replace(BEFORE, block("red", -0.1, -0.6), block("blue", 0.0, -0.5), block("green", 0.1, -0.4))
    assert judge("line(blocks, diagonal)", diag).success
    corners = replace(BEFORE, block("red", -0.25, -0.25), block("blue", 0.25, -0.25), block("green", 0.25, -0.75))
    assert judge("distinct_places(blocks, corners)", corners).success
    shared = judge("distinct_places(blocks, corners)", replace(corners, block("green", 0.19, -0.27)))
    assert not shared.success and "shares the top right corner" in shared.reason
    sides = replace(BEFORE, block("red", -0.27, -0.5), block("blue", 0.27, -0.5))
    assert judge("distinct_places([red block, blue block], sides)", sides).success


def test_connectives_quantifiers_and_count():
    after = replace(BEFORE, in_bowl_block("red", BOWL), in_bowl_block("blue", BOWL, 1))
    assert judge("count(x in blocks: in(x, blue bowl)) >= 2", after).success
    assert not judge("count(x in blocks: in(x, blue bowl)) == 3", after).success
    assert judge("exists(x in blocks: in(x, blue bowl))", after).success
    assert not judge("forall(x in blocks: in(x, blue bowl))", after).success
    assert judge("forall(x in blocks except green block: in(x, blue bowl))", after).success
    assert judge("any(in(green block, blue bowl), in(red block, blue bowl))", after).success
    assert judge("not(in(green block, blue bowl))", after).success
    assert judge("implies(in(green block, blue bowl), on(green block, red block))", after).success
    verdict = judge("forall(x in blocks: in(x, blue bowl))", after)
    assert "x=green block" in verdict.reason


def test_unchanged_others_excludes_what_the_spec_mentions():
    after = replace(BEFORE, in_bowl_block("red", BOWL))
    assert judge("all(in(red block, blue bowl), unchanged(others))", after).success
    nudged = replace(after, block("green", 0.04, -0.65))  # 4 cm: within the 5 cm 'moved' tolerance
    assert judge("all(in(red block, blue bowl), unchanged(others))", nudged).success
    bumped = replace(after, block("green", 0.08, -0.65))
    v = judge("all(in(red block, blue bowl), unchanged(others))", bumped)
    assert not v.success and v.reason.startswith("unchanged(others) false: green block moved 8 cm")
    assert [c.holds for c in v.clauses] == [True, False]
    assert not judge("unchanged(red block)", after).success


def test_selectors_resolve_on_the_initial_scene():
    # blue block is nearest the red bowl at the start; after it moves, the referent stays the same
    after = replace(BEFORE, block("blue", -0.25, -0.25))
    assert judge("at(nearest(blocks, red bowl), top left corner)", after).success
    assert judge("at(nth(blocks, 1, left), top left corner)", after).success
    assert judge("at(side_of(blocks, left, green block), top left corner)", after).success
    assert not judge("at(farthest(blocks, red bowl), top left corner)", after).success
    assert judge("at(red block, nearest(corners, red bowl))",
                 replace(BEFORE, block("red", -0.25, -0.25))).success


def test_a_fallen_object_fails_every_relation_about_it():
    fallen = replace(BEFORE, block("red", 0.5, -0.4, -0.3))
    v = judge("forall(x in blocks: not(in(x, blue bowl)))", fallen)
    assert not v.success and "red block fell off the table" in v.reason
    assert not judge("not(near(red block, blue bowl))", fallen).success  # not(false) of a fallen block
    assert judge("exists(x in blocks: not(in(x, blue bowl)))", fallen).success  # the others still count


def test_unresolvable_references_are_false_not_errors():
    v = judge("in(purple block, blue bowl)", BEFORE)
    assert not v.success and "no object or place named 'purple block'" in v.reason
    v = judge("at(side_of(blocks, left, red bowl), top side)", BEFORE)
    assert not v.success and "nothing in the set lies to the left of red bowl" in v.reason
