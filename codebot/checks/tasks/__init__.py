"""The Code-as-Policies simulated tabletop suite, re-implemented: 14 instruction templates, each with a
seeded sampler, an instruction parser, an explicit success checker and a reference policy.

The paper's harness and checkers were never published; everything here is our re-implementation.
Importing this package needs numpy only (no simulator).

    from codebot.checks.tasks import TASKS, get_task, match, split_cells
    instance = match("put the red block in the blue bowl")   # -> TaskInstance of template 1
    instance = get_task(2).sample(np.random.default_rng(0), split="unseen")
"""
from codebot.checks.scene import SceneSpec
from codebot.checks.tasks.base import Task, TaskInstance, Verdict
from codebot.checks.tasks.registry import TASKS, Cell, all_tasks, get_task, match, register, split_cells

# Importing the template modules registers them (one @register per template, one template per file).
from codebot.checks.tasks import templates as _templates

__all__ = ["TASKS", "Cell", "SceneSpec", "Task", "TaskInstance", "Verdict", "all_tasks", "get_task",
           "match", "register", "split_cells"]
