"""Helpers for the tests that run primitives in the PyBullet tabletop (skipped without the sim extra)."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from codebot.primitives import context
from codebot.primitives.registry import allowed_names


def make_env(robot: str = "ur5e", seed: int = 0, scene=None):
    pytest.importorskip("pybullet")
    from codebot import sim

    return sim.make("tabletop", robot=robot, seed=seed, scene=scene)


def run_program(env, code: str, backend=None) -> None:
    """Run program source with only the core primitives and numpy in scope, bound to the env."""
    context.bind(backend or env.backend())
    try:
        namespace = dict(allowed_names())
        namespace["np"] = np
        exec(compile(code, "<program>", "exec"), namespace)
    finally:
        context.bind(None)


def fair_layouts(env, instance, scene, count: int, first_seed: int = 0):
    """Yield (seed, initial objects) for `count` seeded layouts the task considers fair."""
    seed, done = first_seed, 0
    while done < count:
        env.reset(seed=seed, scene=scene)
        before = env.objects()
        if instance.scene_problem(before, env.workspace) is None:
            done += 1
            yield seed, before
        seed += 1
        assert seed < first_seed + 10 * count, "the sampler keeps drawing unfair layouts"


def instance_for(phrase: str, scene):
    from codebot.checks.tasks import match

    inst = match(phrase)
    assert inst is not None, f"no task template parses {phrase!r}"
    return dataclasses.replace(inst, scene=scene)
