"""RGB-D cameras: shapes, depth in metres, segmentation labels and a consistent pinhole model."""
import numpy as np
import pytest

pytest.importorskip("pybullet")  # the sim extra

from codebot import sim
from codebot.checks.scene import SceneSpec


@pytest.fixture(scope="module")
def cam_env():
    with sim.make("tabletop", robot="ur5e", seed=4, render_size=(160, 120),
                  scene=SceneSpec(blocks=("red", "blue"), bowls=("green",))) as env:
        yield env


@pytest.mark.parametrize("name", ["top", "front"])
def test_frame_contents(cam_env, name):
    f = cam_env.cameras[name].capture()
    assert f.rgb.shape == (120, 160, 3) and f.rgb.dtype == np.uint8
    assert f.depth.shape == (120, 160) and f.depth.dtype == np.float32
    assert f.seg.shape == (120, 160) and f.seg.dtype == np.int32
    assert f.intrinsics.shape == (3, 3) and f.camera_to_world.shape == (4, 4)
    assert np.allclose(f.camera_to_world[:3, :3].T @ f.camera_to_world[:3, :3], np.eye(3), atol=1e-6)
    assert f.seg_labels == {v: k for k, v in cam_env.object_ids.items()}
    assert set(np.unique(f.seg)) <= set(f.seg_labels) | {-1}
    assert 0.3 < float(np.median(f.depth)) < 3.0


def test_top_camera_sees_each_object_where_the_pinhole_model_puts_it(cam_env):
    f = cam_env.cameras["top"].capture()
    w2c = np.linalg.inv(f.camera_to_world)
    for obj in cam_env.objects():
        body = cam_env.object_ids[obj.name]
        top = np.array([obj.position[0], obj.position[1], obj.bbox_max[2] if obj.kind == "block" else 0.006])
        pc = w2c @ np.r_[top, 1.0]
        u, v = (f.intrinsics @ pc[:3])[:2] / pc[2]
        ys, xs = np.nonzero(f.seg == body)
        assert xs.size > 5, obj.name
        # the mask centre is where the object's centre projects (within a few pixels)
        assert abs(xs.mean() - u) < 4 and abs(ys.mean() - v) < 4, (obj.name, xs.mean(), u, ys.mean(), v)
        if obj.kind == "block":  # depth at the block's top face equals its distance along the axis
            d = float(np.median(f.depth[ys, xs]))
            assert d == pytest.approx(pc[2], abs=0.01)


def test_image_axes_follow_the_workspace_words(cam_env):
    """Top camera: image right is +x ('right'), image up is +y ('top')."""
    f = cam_env.cameras["top"].capture()
    assert np.allclose(f.camera_to_world[:3, 0], [1, 0, 0], atol=1e-6)
    assert np.allclose(f.camera_to_world[:3, 1], [0, -1, 0], atol=1e-6)
    assert np.allclose(f.camera_to_world[:3, 2], [0, 0, -1], atol=1e-6)
