"""Camera perception (RGB-D + segmentation, and HSV colour) agrees with the sim's ground truth."""
import numpy as np
import pytest

from codebot.primitives import perceive
from codebot.primitives.context import bind
from codebot.primitives.perception import hsv, make_perception, rgbd_seg, with_perception
from codebot.primitives.errors import InvalidArgumentError
from prim_programs import CASES
from prim_sim_support import make_env, run_program
from codebot.checks.scene import SceneSpec

TOLERANCE = 0.01  # m, the bar


@pytest.fixture(scope="module")
def env():
    e = make_env("ur5e")
    yield e
    e.close()


def _errors(found, truth):
    by_name = {o.name: o for o in found}
    assert set(by_name) == {o.name for o in truth}, "every object found, nothing invented"
    out = {}
    for o in truth:
        f = by_name[o.name]
        assert (f.kind, f.color) == (o.kind, o.color)
        out[o.name] = float(np.linalg.norm(np.subtract(f.position, o.position)))
    return out


SCENES = [None, SceneSpec(blocks=("red", "green", "blue", "yellow"), bowls=("pink", "cyan", "brown", "gray")),
          SceneSpec(blocks=("purple", "orange", "pink"), bowls=("red", "blue", "green", "yellow"))]


@pytest.mark.parametrize("module", [rgbd_seg, hsv], ids=["rgbd_seg", "hsv"])
@pytest.mark.parametrize("seed", range(6))
def test_camera_perception_matches_ground_truth_within_1cm(env, module, seed):
    env.reset(seed=seed, scene=SCENES[seed % len(SCENES)])
    frame = env.cameras["top"].capture()
    errors = _errors(module.objects_from_frame(frame, env.workspace), env.objects())
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.slow
def test_stacks_and_same_colour_bowls_are_recovered(env):
    """Blocks under a stack, and a block inside the bowl of its own colour (one colour blob). From
    straight above a tidy stack hides its lower blocks completely: the top view alone may miss only
    blocks with another block on them, and merged with the front view it finds everything."""
    from codebot.primitives.perception.views import merge_views

    for key in ("stack all the blocks", "put all the blocks in the bowls with matching colors"):
        _, code, scene = CASES[key]
        env.reset(seed=2, scene=scene)
        run_program(env, code)
        env.robot.home()
        truth = env.objects()
        covered = {b for a, rel, b in env.relations() if rel == "on"}  # blocks with a block on them
        frames = {cam: env.cameras[cam].capture() for cam in ("top", "front")}
        for module in (rgbd_seg, hsv):
            top = module.objects_from_frame(frames["top"], env.workspace)
            missed = {o.name for o in truth} - {o.name for o in top}
            assert missed <= covered, (key, module.__name__, missed)
            for o in top:
                real = next(t for t in truth if t.name == o.name)
                assert np.linalg.norm(np.subtract(o.position, real.position)) < TOLERANCE, (key, o.name)
            both = merge_views([top, module.objects_from_frame(frames["front"], env.workspace)])
            errors = _errors(both, truth)
            assert max(errors.values()) < TOLERANCE, (key, module.__name__, errors)


def test_sources_by_name_drive_the_primitives(env):
    env.reset(seed=1, scene=SceneSpec(blocks=("red", "green"), bowls=("blue",)))
    truth = {o.name: o.position for o in env.objects()}
    for name in ("ground_truth", "rgbd_seg", "hsv", "static"):
        backend = with_perception(env.backend(), name)
        bind(backend)
        try:
            assert sorted(perceive.get_obj_names()) == sorted(truth)
            assert np.linalg.norm(perceive.get_obj_pos("red block") - truth["red block"]) < TOLERANCE
        finally:
            bind(None)
    with pytest.raises(InvalidArgumentError, match="unknown perception source"):
        make_perception("lidar", env.backend())
    with pytest.raises(InvalidArgumentError, match="no camera"):
        make_perception("hsv", env.backend(), camera="wrist")
    both = make_perception("rgbd_seg", env.backend(), camera=("top", "front"))
    assert sorted(o.name for o in both.objects()) == sorted(truth)
    with pytest.raises(InvalidArgumentError, match="needs a detector"):
        make_perception("model", env.backend())


@pytest.mark.slow
def test_pick_and_place_runs_on_hsv_perception(env):
    """The motion primitives work from camera perception alone (no ground truth)."""
    from codebot.checks.tasks import match

    inst = match("put the red block in the blue bowl")
    for seed in range(3):
        env.reset(seed=seed, scene=SceneSpec(blocks=("red", "green"), bowls=("blue", "yellow")))
        before = env.objects()
        run_program(env, "put_first_on_second('red block', 'blue bowl')", with_perception(env.backend(), "hsv"))
        assert inst.check(before, env.objects(), env.workspace).success
