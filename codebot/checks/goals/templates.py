"""The goal spec a task template stands for (each template's file defines it as `goal_text`), so a
template checker and the spec evaluator can be compared trial by trial (benchmarks/spec_agreement.py)."""
from __future__ import annotations

from codebot.checks.goals.parser import parse_goal
from codebot.checks.goals.spec import Formula
from codebot.checks.tasks.base import TaskInstance


def goal_text_for_instance(instance: TaskInstance) -> str:
    """The template's goal spec text; KeyError for a template without one."""
    return instance.task.goal_text(instance)


def goal_for_instance(instance: TaskInstance) -> Formula:
    """The spec whose evaluation agrees with `instance.check` (template checker)."""
    return parse_goal(goal_text_for_instance(instance))
