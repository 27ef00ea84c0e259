"""Task seam: an instruction template, a seeded sampler, a success checker and a reference policy.

Checkers look only at perceived objects before and after a run (`ObjectInfo` lists), so they are
testable on hand-made scenes and run the same on the sim twin or on a robot's perception.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.checks.scene import SceneSpec


@dataclass(frozen=True)
class Verdict:
    success: bool
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class TaskInstance:
    """One concrete episode: the instruction, the parameters it was made from and the scene."""

    task: "Task"
    instruction: str
    params: dict[str, Any]
    scene: SceneSpec

    def check(self, initial: list[ObjectInfo], final: list[ObjectInfo],
              workspace: Workspace = DEFAULT_WORKSPACE) -> Verdict:
        return self.task.check(self, initial, final, workspace)

    def reference_policy(self) -> str:
        """Python source of a program over the primitives that solves this instance."""
        return self.task.reference_policy(self)

    def scene_problem(self, objects: list[ObjectInfo],
                      workspace: Workspace = DEFAULT_WORKSPACE) -> str | None:
        """Why a laid-out scene cannot pose this instruction fairly, or None when it can."""
        return self.task.scene_problem(self, objects, workspace)


class Task(ABC):
    """Subclasses document Task / Randomization / Success in their docstring (ManiSkill style)."""

    name: str = ""
    template_id: int = 0
    category: str = ""  # "long_horizon" | "spatial"

    @abstractmethod
    def sample(self, rng: np.random.Generator, split: str = "seen") -> TaskInstance:
        """A random instance using the attributes of `split` ('seen' or 'unseen')."""

    @abstractmethod
    def parse(self, instruction: str) -> TaskInstance | None:
        """The instance an instruction names, or None when it does not fit this template."""

    @abstractmethod
    def check(self, instance: TaskInstance, initial: list[ObjectInfo], final: list[ObjectInfo],
              workspace: Workspace) -> Verdict: ...

    @abstractmethod
    def reference_policy(self, instance: TaskInstance) -> str: ...

    def goal_text(self, instance: TaskInstance) -> str:
        """The goal spec (text form) this template's checker stands for, so checker and spec evaluator can
        be compared trial by trial (benchmarks/spec_agreement.py); each built-in template defines it."""
        raise KeyError(f"no goal spec for task template {self.name!r}")

    def scene_problem(self, instance: TaskInstance, objects: list[ObjectInfo],
                      workspace: Workspace = DEFAULT_WORKSPACE) -> str | None:
        """Why this layout cannot pose the instruction fairly (its goal already holds; templates add
        ambiguous referents), or None. Benchmarks re-draw the layout seed until this is None."""
        if self.check(instance, objects, objects, workspace).success:
            return "the goal already holds in the initial scene"
        return None
