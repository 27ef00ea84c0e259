"""Shared machinery of the Code-as-Policies templates: instruction parsing, scene drawing, object lookup for
checkers."""
from __future__ import annotations

import re

import numpy as np

from codebot.primitives.colors import SEEN_COLORS, UNSEEN_COLORS
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import Workspace
from codebot.checks.tasks.attributes import attributes, fill_colors, normalize
from codebot.checks.scene import SceneSpec
from codebot.checks.tasks.base import Task, TaskInstance, Verdict
from codebot.checks.tasks.relations import Scene, fell, moved

ALL_COLORS = SEEN_COLORS + UNSEEN_COLORS


class CapTask(Task):
    """Base of the 14 templates. Subclasses set the object-count ranges their scenes draw from."""

    blocks_range: tuple[int, int] = (2, 4)  # inclusive
    bowls_range: tuple[int, int] = (1, 2)
    # The instruction's form, matched against the normalised text: one pattern, or several tried in order.
    _pattern: re.Pattern | None = None
    _patterns: tuple[re.Pattern, ...] = ()

    # ---- instructions -----------------------------------------------------------------------------
    def parse(self, instruction: str) -> TaskInstance | None:
        """The instance an instruction names: the first pattern that fits the whole normalised text hands
        its match to `from_match`; None when none fits."""
        text = normalize(instruction)
        for pattern in self._patterns or (self._pattern,):
            m = pattern.fullmatch(text) if pattern is not None else None
            if m:
                return self.from_match(m)
        return None

    def from_match(self, m: re.Match) -> TaskInstance | None:
        """The instance a matched instruction names (its groups are the template's slots)."""
        raise NotImplementedError(f"{type(self).__name__} sets _pattern but not from_match")

    # ---- scenes ---------------------------------------------------------------------------------
    def draw_scene(self, rng: np.random.Generator, split: str, blocks: list[str] = (),
                   bowls: list[str] = (), n_blocks: int | None = None,
                   n_bowls: int | None = None) -> SceneSpec:
        """Named objects first, then distractors of the split's colours, unique per kind."""
        pool = attributes(split)["colors"]
        if n_blocks is None:
            n_blocks = int(rng.integers(self.blocks_range[0], self.blocks_range[1] + 1))
        if n_bowls is None:
            n_bowls = int(rng.integers(self.bowls_range[0], self.bowls_range[1] + 1))
        blocks = list(blocks) + fill_colors(rng, pool, list(blocks), n_blocks - len(blocks))
        bowls = list(bowls) + fill_colors(rng, pool, list(bowls), n_bowls - len(bowls))
        return SceneSpec(blocks=tuple(blocks), bowls=tuple(bowls))

    def default_scene(self, blocks: list[str] = (), bowls: list[str] = (),
                      n_blocks: int | None = None, n_bowls: int | None = None) -> SceneSpec:
        """A scene for a parsed instruction: the objects it names plus fixed distractors."""
        n_blocks = max(len(blocks), self.blocks_range[1] if n_blocks is None else n_blocks)
        n_bowls = max(len(bowls), self.bowls_range[0] if n_bowls is None else n_bowls)
        blocks = list(blocks) + fill_colors(None, ALL_COLORS, list(blocks), n_blocks - len(blocks))
        bowls = list(bowls) + fill_colors(None, ALL_COLORS, list(bowls), n_bowls - len(bowls))
        return SceneSpec(blocks=tuple(blocks), bowls=tuple(bowls))

    def instance(self, instruction: str, params: dict, scene: SceneSpec) -> TaskInstance:
        return TaskInstance(task=self, instruction=instruction, params=dict(params), scene=scene)


class Judge:
    """Collects checker findings: object lookups with clear failure reasons, then a Verdict."""

    def __init__(self, initial: list[ObjectInfo], final: list[ObjectInfo], workspace: Workspace):
        self.before = Scene(initial)
        self.after = Scene(final)
        self.workspace = workspace
        self.failures: list[str] = []
        self.details: dict = {}

    def final(self, name: str) -> ObjectInfo | None:
        obj = self.after.get(name)
        if obj is None:
            self.failures.append(f"{name} is not in the final scene")
        elif fell(obj, self.workspace):
            self.failures.append(f"{name} fell off the table")
            return None
        return obj

    def initial(self, name: str) -> ObjectInfo | None:
        obj = self.before.get(name)
        if obj is None:
            self.failures.append(f"{name} is not in the initial scene")
        return obj

    def require(self, ok: bool, failure: str) -> bool:
        if not ok:
            self.failures.append(failure)
        return ok

    def others_unmoved(self, keep_still: list[str]) -> None:
        """Objects the instruction does not mention must stay where they were."""
        for name in keep_still:
            before = self.before.get(name)
            if before is None:
                continue
            if moved(before, self.after.get(name)):
                self.failures.append(f"{name} was moved but the instruction does not mention it")

    def verdict(self, success_reason: str) -> Verdict:
        if self.failures:
            return Verdict(False, "; ".join(self.failures), self.details)
        return Verdict(True, success_reason, self.details)


def py(value) -> str:
    """A Python literal for generated reference-policy code."""
    return repr(value)
