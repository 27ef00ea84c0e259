"""Validation before a spec may judge anything: names, argument kinds, constants, already-true."""
from __future__ import annotations

from scenes import block, bowl
from codebot.checks.goals import parse_goal, validate_goal

SCENE = [block("red", 0.10, -0.40), block("blue", -0.10, -0.50), bowl("blue", 0.20, -0.70)]


def kinds(spec, instruction=None):
    return [p.kind for p in validate_goal(parse_goal(spec), SCENE, instruction)]


def test_a_fit_spec_has_no_problems():
    assert kinds("all(in(red block, blue bowl), unchanged(others))") == []
    assert kinds("at(nearest(blocks, blue bowl), top left corner)") == []


def test_unknown_names_are_reported_with_the_scene_vocabulary():
    problems = validate_goal(parse_goal("in(crimson cube, blue bowl)"), SCENE)
    assert [p.kind for p in problems] == ["unknown_name"]
    assert "no object or place named 'crimson cube'" in str(problems[0])
    assert "objects: blue block, blue bowl, red block" in str(problems[0])
    assert kinds("at(red block, top left)") == ["unknown_name"]  # 'top left' is not a place: 'top left corner'


def test_constants_are_refused():
    assert kinds("true") == ["constant"]
    assert kinds("all(true, not(false))") == ["constant"]
    assert kinds("all(true, in(red block, blue bowl))") == ["constant"]


def test_places_and_self_relations_in_the_wrong_slot():
    assert kinds("in(top left corner, blue bowl)") == ["bad_argument"]
    assert kinds("left_of(red block, top side)") == ["bad_argument"]
    assert kinds("on(red block, red block)") == ["bad_argument"]


def test_already_true_is_flagged_unless_nothing_should_change():
    assert kinds("unchanged(others)") == ["already_true"]
    assert kinds("left_of(blue block, red block)") == ["already_true"]
    assert kinds("unchanged(objects)", "do nothing") == []
    assert kinds("unchanged(objects)", "leave everything where it is") == []


def test_selectors_that_find_nothing_are_unresolved():
    problems = validate_goal(parse_goal("at(side_of(blocks, right, blue bowl), top side)"), SCENE)
    assert [p.kind for p in problems] == ["unresolved"]
    assert "nothing in the set lies to the right of blue bowl" in str(problems[0])
    assert kinds("at(nth(blocks, 3, left), top side)") == ["unresolved"]


def test_a_tower_holds_blocks_and_only_a_bowl_holds_things():
    assert kinds("stack([red block, blue block])") == []
    assert kinds("stack([red block, blue block], blue bowl)") == []  # a bowl may be the base
    assert kinds("stack([red block, blue bowl, blue block])") == ["bad_argument"]
    assert kinds("stack(objects)") == ["bad_argument"]
    problems = validate_goal(parse_goal("in(red block, blue block)"), SCENE)
    assert [p.kind for p in problems] == ["bad_argument"] and "only a bowl holds things" in str(problems[0])


def test_a_spec_that_contradicts_itself_is_refused():
    problems = validate_goal(parse_goal("all(in(red block, blue bowl), not(in(red block, blue bowl)))"), SCENE)
    assert [p.kind for p in problems] == ["contradiction"]
    assert "both requires and forbids in(red block, blue bowl)" in str(problems[0])
    assert kinds("all(in(red block, blue bowl), not(in(blue block, blue bowl)))") == []
