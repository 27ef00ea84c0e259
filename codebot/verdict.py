"""Verdicts on the world state, computed in the trusted sim server after the program process ended.

A check names where the verdict comes from: a task template's checker (the instruction matched one
of the templates) or a validated goal spec. Only these two can say "success"; anything else is
unchecked. The world state is the server's own observation, never anything the program sent.
"""
from __future__ import annotations

from typing import Any

from codebot.primitives.protocols import ObjectInfo


def object_infos(objects: list[dict]) -> list[ObjectInfo]:
    """ObjectInfo records from their plain-data form (the wire and the trace)."""
    return [ObjectInfo.from_plain(o) for o in objects]


def template_check(instance) -> dict:
    """Check with a task template's checker, for one TaskInstance (template, params and scene)."""
    return {"kind": "template", "template_id": instance.task.template_id, "instruction": instance.instruction,
            "params": instance.params, "scene": instance.scene.to_plain()}


def goal_check(spec: str, provenance: str) -> dict:
    """Check with a validated goal spec (its text form); `provenance` says who wrote and validated it,
    e.g. "goal spec (LLM-written, validated)"."""
    return {"kind": "goal", "spec": spec, "provenance": provenance}


def _template_instance(check: dict):
    from codebot.checks import tasks

    task = tasks.get_task(int(check["template_id"]))
    return tasks.TaskInstance(task, str(check.get("instruction", "")), dict(check.get("params") or {}),
                              tasks.SceneSpec.from_plain(check.get("scene") or {}))


def judge_world(check: dict[str, Any], before: list[dict], after: list[dict]) -> dict[str, Any]:
    """{"success", "reason", "source", "checker", "details"} for one check on before/after states.
    source: "checker" (a task template's) or "goal spec"; `checker` names which, for the report."""
    kind = check.get("kind")
    if kind == "template":
        instance = _template_instance(check)
        verdict = instance.check(object_infos(before), object_infos(after))
        return {"success": bool(verdict.success), "reason": verdict.reason, "source": "checker",
                "checker": f"template checker ({instance.task.name})", "details": dict(verdict.details or {})}
    if kind == "goal":
        from codebot.checks.goals import evaluate_goal, load_goal

        goal = load_goal(str(check.get("spec", "")))
        verdict = evaluate_goal(goal, object_infos(before), object_infos(after))
        return {"success": bool(verdict.success), "reason": verdict.reason, "source": "goal spec",
                "checker": f"{check.get('provenance') or 'goal spec'}: {verdict.spec}",
                "details": {"clauses": [c.__dict__ for c in verdict.clauses]}}
    return {"success": False, "source": "unchecked", "checker": "none", "details": {},
            "reason": f"unknown kind of check {str(kind)[:40]!r}"}
