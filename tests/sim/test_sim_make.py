"""sim.make, registries, scenes, layout, state, relations and argument errors (real PyBullet)."""
import json
import math

import pytest

pytest.importorskip("pybullet")  # the sim extra

from codebot import sim
from codebot.primitives.context import Backend
from codebot.primitives.errors import InvalidArgumentError, RobotConnectionError
from codebot.primitives.protocols import Camera, Perception, Robot
from codebot.primitives.workspace import DEFAULT_WORKSPACE
from codebot.sim.layout import MIN_DISTANCE
from codebot.checks.scene import SceneSpec


def test_registries_name_both_robots_and_the_tabletop():
    assert {"ur5e", "panda"} <= set(sim.ROBOTS)
    assert "tabletop" in sim.ENVS


def test_make_builds_the_scene_with_named_objects():
    with sim.make("tabletop", robot="ur5e", seed=1,
                  scene=SceneSpec(blocks=("red", "green"), bowls=("blue",))) as env:
        assert set(env.object_ids) == {"red block", "green block", "blue bowl"}
        assert isinstance(env.robot, Robot)
        assert isinstance(env.ground_truth, Perception)
        assert set(env.cameras) == {"top", "front"}
        assert all(isinstance(c, Camera) for c in env.cameras.values())
        backend = env.backend()
        assert isinstance(backend, Backend) and backend.robot is env.robot and backend.workspace == env.workspace
        infos = {o.name: o for o in env.objects()}
        assert infos["red block"].kind == "block" and infos["red block"].color == "red"
        assert infos["blue bowl"].kind == "bowl"
        # a block rests on the table: its bbox centre is half its size up
        assert infos["red block"].position[2] == pytest.approx(0.02, abs=2e-3)
        assert env.objects() == env.ground_truth.objects()


@pytest.mark.parametrize("seed", range(8))
def test_random_scenes_respect_counts_spacing_and_workspace(ur5e_env, seed):
    ur5e_env.reset(seed=seed)
    objs = ur5e_env.objects()
    blocks = [o for o in objs if o.kind == "block"]
    bowls = [o for o in objs if o.kind == "bowl"]
    assert 1 <= len(blocks) <= 4 and 1 <= len(bowls) <= 4
    assert len({o.color for o in blocks}) == len(blocks) and len({o.color for o in bowls}) == len(bowls)
    for o in objs:
        assert DEFAULT_WORKSPACE.contains(o.position), o
    for i, a in enumerate(objs):
        for b in objs[i + 1:]:
            d = math.hypot(a.position[0] - b.position[0], a.position[1] - b.position[1])
            assert d >= MIN_DISTANCE - 2e-3, (a.name, b.name, d)


def test_same_seed_same_scene_and_reset_changes_layout(ur5e_env):
    first = ur5e_env.reset(seed=5)
    other = ur5e_env.reset(seed=6)
    again = ur5e_env.reset(seed=5)
    assert json.dumps(first["objects"], sort_keys=True) == json.dumps(again["objects"], sort_keys=True)
    assert json.dumps(first["objects"], sort_keys=True) != json.dumps(other["objects"], sort_keys=True)
    ur5e_env.reset()  # no seed: a new layout drawn from the env's own seeded stream
    assert ur5e_env.seed is not None


def test_state_is_json_and_complete(ur5e_env):
    ur5e_env.reset(seed=2, scene=SceneSpec(blocks=("yellow",), bowls=("pink", "gray")))
    st = json.loads(json.dumps(ur5e_env.state()))
    assert set(st["objects"]) == {"yellow block", "pink bowl", "gray bowl"}
    assert len(st["objects"]["yellow block"]["position"]) == 3
    assert len(st["objects"]["yellow block"]["orientation"]) == 4
    assert st["robot"]["name"] == "ur5e" and len(st["robot"]["joints"]) == 6
    assert st["relations"] == [] and st["time"] == 0.0


def test_relations_in_and_on_from_real_physics(ur5e_env):
    env = ur5e_env
    env.reset(seed=3, scene=SceneSpec(blocks=("red", "green"), bowls=("blue",)))
    p, c = env.p, env.client
    bowl = env.objects()[2].position
    # drop the red block into the bowl, then the green block onto the red one
    p.resetBasePositionAndOrientation(env.object_ids["red block"], [bowl[0], bowl[1], 0.05], [0, 0, 0, 1],
                                      physicsClientId=c)
    p.resetBasePositionAndOrientation(env.object_ids["green block"], [bowl[0], bowl[1], 0.1], [0, 0, 0, 1],
                                      physicsClientId=c)
    env.step(240)
    rel = env.relations()
    assert ("red block", "in", "blue bowl") in rel
    assert ("green block", "on", "red block") in rel
    assert ("green block", "in", "blue bowl") not in rel


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_scene_of_six_blocks_and_four_bowls_lays_out_apart_and_at_rest(seed):
    blocks, bowls = ("red", "green", "blue", "cyan", "pink", "gray"), ("yellow", "purple", "orange", "brown")
    with sim.make("tabletop", seed=seed, scene=SceneSpec(blocks=blocks, bowls=bowls)) as env:
        infos = env.objects()
        assert {o.name for o in infos} == {f"{c} block" for c in blocks} | {f"{c} bowl" for c in bowls}
        for i, a in enumerate(infos):
            for b in infos[i + 1:]:
                gap = math.dist(a.position[:2], b.position[:2])
                assert gap >= MIN_DISTANCE - 0.01, f"{a.name} and {b.name} are {gap:.3f} m apart"
        for o in infos:
            assert DEFAULT_WORKSPACE.x[0] <= o.position[0] <= DEFAULT_WORKSPACE.x[1], o
            if o.kind == "block":  # at rest on the table, not on another object
                assert o.position[2] == pytest.approx(0.02, abs=3e-3), o


@pytest.mark.parametrize("kwargs, words", [
    (dict(robot="kuka"), ["kuka", "panda", "ur5e"]),
    (dict(robot=3), ["robot"]),
    (dict(scene=SceneSpec(blocks=("mauve",))), ["mauve", "blue", "purple"]),
    (dict(scene=SceneSpec(bowls=("red", "red"))), ["distinct"]),
    (dict(scene=SceneSpec(blocks=("red", "green", "blue", "cyan", "pink", "gray", "brown"))), ["at most 6"]),
    (dict(scene=SceneSpec(blocks=("red", "green", "blue", "cyan", "pink", "gray"),
                          bowls=("red", "green", "blue", "cyan", "pink"))), ["at most 10 objects", "11"]),
    (dict(seed=-1), ["seed"]),
    (dict(seed=1.5), ["seed"]),
    (dict(render_size=(0, 10)), ["render_size"]),
    (dict(render_size="big"), ["render_size"]),
])
def test_bad_arguments_raise_clear_errors(kwargs, words):
    with pytest.raises(InvalidArgumentError) as info:
        sim.make("tabletop", **kwargs)
    for w in words:
        assert w in str(info.value)
    assert info.value.to_dict()["kind"] == "invalid_argument"


def test_unknown_environment_lists_valid_names():
    with pytest.raises(InvalidArgumentError, match="tabletop"):
        sim.make("kitchen")


def test_unknown_keyword_is_a_clear_error():
    with pytest.raises(InvalidArgumentError, match="colour_count"):
        sim.make("tabletop", colour_count=3)


def test_step_count_is_checked(ur5e_env):
    for bad in (-1, 1.5, "10", True, 10**9):
        with pytest.raises(InvalidArgumentError, match="step count"):
            ur5e_env.step(bad)


def test_close_is_idempotent_and_a_context_manager():
    env = sim.make("tabletop", robot="panda", seed=0)
    env.close()
    env.close()
    for call in (env.objects, env.state, env.snapshot, lambda: env.step(1), lambda: env.reset(seed=1)):
        with pytest.raises(InvalidArgumentError, match="closed"):
            call()
    for call in (env.robot.home, env.robot.joint_positions, lambda: env.robot.move_ee((0, -0.5, 0.2))):
        with pytest.raises(RobotConnectionError, match="closed"):
            call()
    with sim.make("tabletop", robot="panda", seed=0) as env2:
        assert env2.objects()
