"""Seeded scene sampling: which objects (when no SceneSpec is given) and where they go."""
from __future__ import annotations

import math

import numpy as np

from codebot.primitives.colors import COLORS
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.workspace import Workspace
from codebot.sim.objects import ObjectSpec, check_color
from codebot.checks.scene import SceneSpec

MIN_DISTANCE = 0.15  # between object centres (m)
EDGE_MARGIN = {"block": 0.04, "bowl": 0.06}  # keep objects this far inside the workspace
# A scene given explicitly ("stack the five blocks"): up to 6 of a kind and 10 objects in all, which the sampler
# below lays out 0.15 m apart on every seed tried (6 blocks and 6 bowls fail about one seed in two).
MAX_PER_KIND = 6
MAX_OBJECTS = 10
RANDOM_MAX_PER_KIND = 4  # a sampled scene, as the Code-as-Policies tabletop's (its seeded scenes stay the same)


def random_scene(rng: np.random.Generator, colors=tuple(COLORS)) -> SceneSpec:
    """1-4 blocks and 1-4 bowls, colours distinct within each kind."""
    n_blocks, n_bowls = (int(v) for v in rng.integers(1, RANDOM_MAX_PER_KIND + 1, size=2))
    blocks = tuple(str(c) for c in rng.choice(colors, size=n_blocks, replace=False))
    bowls = tuple(str(c) for c in rng.choice(colors, size=n_bowls, replace=False))
    return SceneSpec(blocks=blocks, bowls=bowls)


def object_specs(scene: SceneSpec) -> list[ObjectSpec]:
    """Validated object list of a scene (blocks first, in the given order)."""
    if not isinstance(scene, SceneSpec):
        raise InvalidArgumentError(f"scene must be a codebot.checks.scene.SceneSpec, got {type(scene).__name__}")
    specs = []
    for kind, colors in (("block", scene.blocks), ("bowl", scene.bowls)):
        if isinstance(colors, str):
            raise InvalidArgumentError(f"SceneSpec.{kind}s must be a tuple of colours, got the string {colors!r}")
        try:
            colors = tuple(colors)
        except TypeError:
            raise InvalidArgumentError(f"SceneSpec.{kind}s must be a tuple of colours, got {colors!r}") from None
        if len(colors) > MAX_PER_KIND:
            raise InvalidArgumentError(f"at most {MAX_PER_KIND} {kind}s per scene, got {len(colors)}",
                                       kind=kind, count=len(colors))
        for color in colors:
            check_color(color, kind)
        if len(set(colors)) != len(colors):
            raise InvalidArgumentError(f"{kind} colours must be distinct, got {list(colors)}", kind=kind)
        specs.extend(ObjectSpec(kind, color) for color in colors)
    if len(specs) > MAX_OBJECTS:
        raise InvalidArgumentError(f"at most {MAX_OBJECTS} objects per scene, got {len(specs)}", count=len(specs))
    return specs


def sample_layout(rng: np.random.Generator, specs: list[ObjectSpec], workspace: Workspace,
                  min_distance: float = MIN_DISTANCE, attempts: int = 400) -> list[tuple[float, float, float]]:
    """(x, y, yaw) per object, uniformly inside the workspace, every pair >= min_distance apart.
    Blocks get a random yaw; bowls are round so theirs is 0."""
    for _ in range(attempts):
        placed: list[tuple[float, float, float]] = []
        for spec in specs:
            m = EDGE_MARGIN[spec.kind]
            for _try in range(60):
                x = float(rng.uniform(workspace.x[0] + m, workspace.x[1] - m))
                y = float(rng.uniform(workspace.y[0] + m, workspace.y[1] - m))
                if all(math.hypot(x - px, y - py) >= min_distance for px, py, _ in placed):
                    yaw = float(rng.uniform(-math.pi / 4, math.pi / 4)) if spec.kind == "block" else 0.0
                    placed.append((x, y, yaw))
                    break
            else:
                break
        if len(placed) == len(specs):
            return placed
    raise InvalidArgumentError(
        f"could not place {len(specs)} objects {min_distance} m apart inside the workspace", count=len(specs))
