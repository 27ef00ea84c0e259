"""Each template's goal spec agrees with the template's own checker: on a solved hand-made scene
(both succeed), on the untouched scene (both fail), and on jittered near-misses (same verdict)."""
from __future__ import annotations

import numpy as np
import pytest

from scenes import block, replace
from codebot.checks.goals import evaluate_goal, goal_for_instance, goal_text_for_instance, parse_goal, to_text
from codebot.checks.tasks import all_tasks
from codebot.checks.tasks.relations import Scene
from template_scenes import layout, solved

TEMPLATES = [t.template_id for t in all_tasks()]


def _instance_and_scene(task, seed):
    """A sampled instance with a layout that poses it fairly (as the benchmark re-draws layouts)."""
    split = "seen" if task.template_id < 9 else "unseen"
    for k in range(200):
        instance = task.sample(np.random.default_rng(seed * 1000 + k), split)
        before = layout(instance, np.random.default_rng(seed * 1000 + k))
        if instance.scene_problem(before) is None:
            return instance, before
    pytest.skip("no fair layout found")


def test_every_template_has_a_spec_that_round_trips():
    assert len(TEMPLATES) == 14
    for task in all_tasks():
        instance = task.sample(np.random.default_rng(0), "seen" if task.template_id < 9 else "unseen")
        goal = goal_for_instance(instance)
        assert parse_goal(to_text(goal)) == goal
        assert to_text(goal) == to_text(parse_goal(goal_text_for_instance(instance)))


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_solved_scene_passes_both(template_id):
    task = next(t for t in all_tasks() if t.template_id == template_id)
    for seed in range(3):
        instance, before = _instance_and_scene(task, seed)
        after = solved(instance, before)
        checker = instance.check(before, after)
        spec = evaluate_goal(goal_for_instance(instance), before, after)
        assert checker.success, checker.reason
        assert spec.success, spec.reason
        untouched_checker = instance.check(before, before)
        untouched_spec = evaluate_goal(goal_for_instance(instance), before, before)
        assert not untouched_checker.success and not untouched_spec.success


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_near_misses_get_the_same_verdict(template_id):
    """Jitter one object of a solved scene by a few cm: checker and spec must agree every time."""
    task = next(t for t in all_tasks() if t.template_id == template_id)
    rng = np.random.default_rng(template_id)
    verdicts = []
    for seed in range(25):
        instance, before = _instance_and_scene(task, seed)
        after = solved(instance, before)
        victim = after[int(rng.integers(len(after)))]
        dx, dy = rng.normal(0.0, 0.04, size=2)
        if victim.kind == "block":
            moved = block(victim.color, victim.position[0] + dx, victim.position[1] + dy, victim.bbox_min[2])
            after = replace(after, moved)
        checker = instance.check(before, after).success
        spec = evaluate_goal(goal_for_instance(instance), before, after)
        assert checker == spec.success, (instance.instruction, checker, spec.reason)
        verdicts.append(checker)
    assert len(verdicts) == 25 and any(verdicts)  # some jitters stay inside the tolerances


def test_spec_reason_quotes_the_failing_clause_with_values():
    task = next(t for t in all_tasks() if t.name == "pick_place")
    instance = task.parse("put the red block in the blue bowl")
    scene = Scene([])
    assert scene.get("red block") is None
    from scenes import bowl
    before = [block("red", 0.1, -0.4), bowl("blue", -0.1, -0.6), block("green", 0.2, -0.6)]
    after = replace(before, block("red", -0.1 + 0.14, -0.6))
    verdict = evaluate_goal(goal_for_instance(instance), before, after)
    assert not verdict.success and not instance.check(before, after).success
    assert verdict.reason.startswith("in(red block, blue bowl) false: red block 14 cm from the bowl's centre")
    assert "tolerance 6 cm" in verdict.reason
