"""Verdicts on the world state, computed in the trusted sim server after the program process ended.

`judge_world` judges one `Check` (codebot.checks.check: a task template's checker or a validated goal
spec) on the before/after states and returns a `Judgement`. Only these two kinds can say "success";
anything else is unchecked. The world state is the server's own observation, never anything the
program sent.
"""
from __future__ import annotations

from codebot.checks.check import Check, GoalCheck, Judgement, TemplateCheck
from codebot.primitives.protocols import ObjectInfo


def object_infos(objects: list[dict]) -> list[ObjectInfo]:
    """ObjectInfo records from their plain-data form (the wire and the trace)."""
    return [ObjectInfo.from_plain(o) for o in objects]


def _template_instance(check: TemplateCheck):
    from codebot.checks import tasks

    task = tasks.get_task(check.template_id)
    return tasks.TaskInstance(task, check.instruction, dict(check.params), check.scene)


def _samples_disagree(first, second, before: list[dict], after: list[dict]) -> str | None:
    """Why two independently written specs of one instruction cannot be trusted on this outcome (None: they
    give the same verdict on it and on every probe scene around it, codebot.checks.goals.equivalence)."""
    from codebot.checks.goals import to_text
    from codebot.checks.goals.equivalence import equivalent, probe_pairs

    same, how = equivalent(first, second, probe_pairs(object_infos(before), [object_infos(after)]))
    if same:
        return None
    return (f"unchecked: two independently written specs of this instruction disagree ({how}): "
            f"{to_text(first)} vs {to_text(second)}; its meaning is not settled")


def judge_world(check: Check, before: list[dict], after: list[dict]) -> Judgement:
    """The verdict of one check on before/after states (ObjectInfo records in their plain form).
    source: "checker" (a task template's) or "goal spec"; `checker` names which, for the report."""
    if isinstance(check, TemplateCheck):
        instance = _template_instance(check)
        verdict = instance.check(object_infos(before), object_infos(after))
        return Judgement(bool(verdict.success), verdict.reason, "checker",
                         f"template checker ({instance.task.name})", dict(verdict.details or {}))
    if isinstance(check, GoalCheck):
        from codebot.checks.goals import evaluate_goal, load_goal

        goal = load_goal(check.spec)
        verdict = evaluate_goal(goal, object_infos(before), object_infos(after))
        if check.second:
            disagreement = _samples_disagree(goal, load_goal(check.second), before, after)
            if disagreement:
                return Judgement.unchecked(disagreement)
        return Judgement(bool(verdict.success), verdict.reason, "goal spec",
                         f"{check.provenance or 'goal spec'}: {verdict.spec}",
                         {"clauses": [c.__dict__ for c in verdict.clauses]})
    return Judgement.unchecked(f"unknown kind of check {str(getattr(check, 'kind', check))[:40]!r}")
