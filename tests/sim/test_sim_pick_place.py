"""Scripted pick-and-place of every block colour into a bowl on random layouts, both robots,
real physics and real finger contacts (the Done-when bar is >= 19/20 per robot)."""
import numpy as np
import pytest

pytest.importorskip("pybullet")  # the sim extra

from codebot import sim
from codebot.primitives.colors import COLORS
from codebot.primitives.errors import PrimitiveError
from codebot.sim.scripted import pick_and_place
from codebot.checks.scene import SceneSpec

EPISODES = 20


def _episode_scene(i: int) -> tuple[SceneSpec, str, str]:
    rng = np.random.default_rng(1000 + i)
    colors = list(COLORS)
    color = colors[i % len(colors)]  # every colour twice in 20 episodes
    others = [c for c in colors if c != color]
    blocks = (color,) + tuple(str(c) for c in rng.choice(others, size=int(rng.integers(0, 4)), replace=False))
    bowls = tuple(str(c) for c in rng.choice(colors, size=int(rng.integers(1, 5)), replace=False))
    bowl = bowls[int(rng.integers(len(bowls)))]
    return SceneSpec(blocks=blocks, bowls=bowls), f"{color} block", f"{bowl} bowl"


@pytest.mark.slow
@pytest.mark.parametrize("robot", ["ur5e", "panda"])
def test_pick_and_place_each_colour_into_a_bowl(robot):
    successes, failures = 0, []
    with sim.make("tabletop", robot=robot, seed=0) as env:
        for i in range(EPISODES):
            scene, block, bowl = _episode_scene(i)
            env.reset(seed=500 + i, scene=scene)
            try:
                ok = pick_and_place(env, block, bowl)
            except PrimitiveError as err:
                ok = False
                failures.append((i, block, bowl, err.to_dict()["message"]))
            else:
                if not ok:
                    failures.append((i, block, bowl, env.relations()))
            successes += ok
            # the checker is the scene itself: the block ends inside that bowl, nothing else moved in
            if ok:
                assert (block, "in", bowl) in env.relations()
    assert successes >= 19, f"{robot}: {successes}/{EPISODES}; failures: {failures}"
