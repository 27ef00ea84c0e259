"""The goal spec each of the 14 task templates stands for, so a template checker and the spec
evaluator can be compared trial by trial (benchmarks/spec_agreement.py)."""
from __future__ import annotations

from codebot.checks.goals.parser import parse_goal
from codebot.checks.goals.spec import Formula
from codebot.checks.tasks.attributes import ORDINALS
from codebot.checks.tasks.base import TaskInstance

_MATCHING = "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))"
_MISMATCHED = ("forall(x in blocks: all(exists(y in bowls: in(x, y)), "
               "forall(y in bowls: not(all(same_colour(x, y), in(x, y))))))")
_DIRECTION_RELATION = {"left": "left_of", "right": "right_of", "top": "above", "bottom": "below"}


def goal_text_for_instance(instance: TaskInstance) -> str:
    p, name = instance.params, instance.task.name
    if name == "pick_place":
        rel = "in" if p["target"].endswith("bowl") else "on"
        return f"all({rel}({p['block']}, {p['target']}), unchanged(others))"
    if name == "stack_all_blocks":
        return "stack(blocks)"
    if name == "all_blocks_on_place":
        return f"forall(x in blocks: at(x, {p['place']}))"
    if name == "blocks_in_bowl":
        return f"forall(x in blocks: in(x, {p['bowl']}))"
    if name == "matching_bowls":
        return _MATCHING
    if name == "block_beside_bowl_to_place":
        return f"all(at(side_of(blocks, {p['direction']}, {p['bowl']}), {p['place']}), unchanged(others))"
    if name == "block_by_distance_to_place":
        how = "nearest" if p["distance"] == "closest" else "farthest"
        return f"all(at({how}(blocks, {p['bowl']}), {p['place']}), unchanged(others))"
    if name == "nth_block_to_place":
        return (f"all(at(nth(blocks, {ORDINALS[p['ordinal']]}, {p['direction']}), {p['place']}), "
                f"unchanged(others))")
    if name == "different_corners":
        return "distinct_places(blocks, corners)"
    if name == "mismatched_bowls":
        return _MISMATCHED
    if name == "stack_on_place":
        return f"stack(blocks, {p['place']})"
    if name == "block_offset_from_bowl":
        rel = _DIRECTION_RELATION[p["direction"]]
        return (f"all({rel}({p['block']}, {p['bowl']}, dist={p['amount']}), "
                f"unchanged(objects except {p['block']}))")
    if name == "block_to_corner_by_bowl":
        how = "nearest" if p["distance"] == "closest" else "farthest"
        return f"all(at({p['block']}, {how}(corners, {p['bowl']})), unchanged(objects except {p['block']}))"
    if name == "blocks_in_line":
        return f"line(blocks, {p['line']})"
    raise KeyError(f"no goal spec for task template {name!r}")


def goal_for_instance(instance: TaskInstance) -> Formula:
    """The spec whose evaluation agrees with `instance.check` (template checker)."""
    return parse_goal(goal_text_for_instance(instance))
