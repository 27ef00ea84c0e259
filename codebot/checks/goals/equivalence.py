"""When two specs mean the same: equal canonical text, or the same verdict on every probe scene.
Probe scenes are built around real outcomes (the scene before, the scenes after a correct and a wrong
program), plus copies in which one object is jittered by a few cm or displaced by 10 cm, so two
specs that differ only where no outcome can tell them apart are not called different, and two that
differ near a tolerance are."""
from __future__ import annotations

from dataclasses import replace as dc_replace

import numpy as np

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.checks.goals.evaluate import evaluate_goal
from codebot.checks.goals.printer import to_text
from codebot.checks.goals.spec import Formula

Pair = tuple[list[ObjectInfo], list[ObjectInfo]]  # (before, after)


def shifted(obj: ObjectInfo, dx: float, dy: float) -> ObjectInfo:
    """The same box moved in the table plane."""
    p, lo, hi = obj.position, obj.bbox_min, obj.bbox_max
    return dc_replace(obj, position=(p[0] + dx, p[1] + dy, p[2]), bbox_min=(lo[0] + dx, lo[1] + dy, lo[2]),
                      bbox_max=(hi[0] + dx, hi[1] + dy, hi[2]))


def probe_pairs(before: list[ObjectInfo], afters: list[list[ObjectInfo]], seed: int = 0,
                jitters: int = 8, jitter_m: float = 0.03, push_m: float = 0.10) -> list[Pair]:
    """(before, after) probes: each real outcome, the untouched scene, and perturbed outcomes."""
    rng = np.random.default_rng(seed)
    pairs: list[Pair] = [(before, before)]
    for after in afters:
        pairs.append((before, after))
        for _ in range(jitters):
            k = int(rng.integers(len(after)))
            dx, dy = rng.normal(0.0, jitter_m, size=2)
            pairs.append((before, [shifted(o, dx, dy) if i == k else o for i, o in enumerate(after)]))
        for k in range(len(after)):
            angle = rng.uniform(0, 2 * np.pi)
            d = push_m * np.array([np.cos(angle), np.sin(angle)])
            pairs.append((before, [shifted(o, *d) if i == k else o for i, o in enumerate(after)]))
    return pairs


def equivalent(a: Formula, b: Formula, pairs: list[Pair], workspace: Workspace = DEFAULT_WORKSPACE) -> tuple[bool, str]:
    """(same meaning, how it was decided)."""
    if to_text(a) == to_text(b):
        return True, "same canonical form"
    for k, (before, after) in enumerate(pairs):
        va = evaluate_goal(a, before, after, workspace).success
        vb = evaluate_goal(b, before, after, workspace).success
        if va != vb:
            return False, f"differ on probe {k}: {'first' if va else 'second'} says success"
    return True, f"same verdict on all {len(pairs)} probe scenes"
