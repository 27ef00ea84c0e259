"""Goal specs: a small typed language of relations over scene objects and places, evaluated by
deterministic checkers that share the task templates' geometry (codebot/checks/tasks/relations.py).
numpy only; no simulator import.

    from codebot.checks.goals import parse_goal, evaluate_goal, validate_goal
    goal = parse_goal("all(in(red block, blue bowl), unchanged(others))")
    problems = validate_goal(goal, objects_before, instruction)      # [] when fit to judge
    verdict = evaluate_goal(goal, objects_before, objects_after)     # GoalVerdict
"""
from codebot.checks.goals.evaluate import ClauseResult, GoalVerdict, evaluate_goal
from codebot.checks.goals.grammar import goal_grammar
from codebot.checks.goals.normalize import missing_colours, missing_in_scene, normalize_instruction
from codebot.checks.goals.parser import GoalSyntaxError, parse_goal
from codebot.checks.goals.printer import from_json, to_json, to_text
from codebot.checks.goals.selectors import SpecError
from codebot.checks.goals.spec import Formula
from codebot.checks.goals.templates import goal_for_instance, goal_text_for_instance
from codebot.checks.goals.validate import Problem, validate_goal


def load_goal(spec) -> Formula:
    """A Formula from its text form, its JSON text (starting with '{') or a decoded JSON dict."""
    if isinstance(spec, dict):
        return from_json(spec)
    if isinstance(spec, str) and spec.lstrip().startswith("{"):
        return from_json(spec)
    return parse_goal(spec)


__all__ = ["ClauseResult", "Formula", "GoalSyntaxError", "GoalVerdict", "Problem", "SpecError",
           "evaluate_goal", "from_json", "goal_for_instance", "goal_grammar", "goal_text_for_instance",
           "load_goal", "missing_colours", "missing_in_scene", "normalize_instruction", "parse_goal", "to_json",
           "to_text", "validate_goal"]
