"""Every registered primitive passes the conformance checker, its examples run in the sim."""
import pytest

from codebot import primitives
from codebot.primitives.registry import REGISTRY, check_primitives
from prim_sim_support import make_env
from codebot.checks.scene import SceneSpec

# The examples name red/green/blue blocks and bowls; seed 0 lays them out so every example applies
# (e.g. the red block has room to be pushed 10 cm to the left).
SCENE = SceneSpec(blocks=("red", "green", "blue"), bowls=("red", "green", "blue"))
SEED = 0


@pytest.mark.slow
def test_every_registered_primitive_conforms_and_runs_in_sim():
    primitives.load_all()
    env = make_env("ur5e", seed=SEED, scene=SCENE)
    said = []

    def fresh_backend():
        env.reset(seed=SEED, scene=SCENE)
        backend = env.backend()
        backend.speak = said.append
        return backend

    try:
        problems = check_primitives(fresh_backend)
    finally:
        env.close()
    assert problems == []
    assert said == ["Putting the red block in the blue bowl."]
    assert {"pick", "place", "get_obj_pos", "say"} <= set(REGISTRY)
