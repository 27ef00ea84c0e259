"""Gymnasium registration of the tabletop and video/GIF export of a rollout."""
import numpy as np
import pytest

pytest.importorskip("pybullet")  # the sim extra

from codebot import sim
from codebot.primitives.errors import CollisionError, InvalidArgumentError

gym = pytest.importorskip("gymnasium")
iio = pytest.importorskip("imageio.v2")


def test_gym_env_passes_the_checker_and_steps_real_physics():
    import codebot.sim.gym_env  # noqa: F401  (registers codebot/Tabletop-v0)
    from gymnasium.utils.env_checker import check_env

    env = gym.make("codebot/Tabletop-v0", robot="panda", render_mode="rgb_array", render_size=(64, 48))
    try:
        check_env(env.unwrapped, skip_render_check=True)
        obs, info = env.reset(seed=4)
        assert obs["objects_present"].sum() == len(info["objects"])
        target = obs["objects"][0]
        obs, reward, terminated, truncated, info = env.step(np.array([target[0], target[1], 0.2, 0.0, 0.0], np.float32))
        assert "error" not in info
        assert np.allclose(obs["ee_position"], [target[0], target[1], 0.2], atol=3e-3)
        obs, reward, terminated, truncated, info = env.step(np.array([0.9, -0.5, 0.2, 0.0, 0.0], np.float32))
        assert info["error"]["kind"] == "outside_workspace"
        assert env.render().shape == (48, 64, 3)
    finally:
        env.close()


def test_video_and_gif_export(tmp_path):
    with sim.make("tabletop", robot="ur5e", seed=2, render_size=(96, 72)) as env:
        with pytest.raises(InvalidArgumentError):
            env.stop_recording(tmp_path / "none.mp4")
        with pytest.raises(InvalidArgumentError, match="camera"):
            env.start_recording(camera="side")
        env.start_recording(camera="front", fps=10, every_n_steps=24)
        env.robot.move_ee((0.1, -0.5, 0.2))
        env.robot.move_ee((-0.1, -0.4, 0.1))
        mp4 = env.stop_recording(tmp_path / "rollout.mp4")
        env.start_recording(camera="top", fps=10, every_n_steps=24)
        env.robot.move_ee((0.1, -0.5, 0.2))
        gif = env.stop_recording(tmp_path / "rollout.gif")
        env.start_recording()
        with pytest.raises(InvalidArgumentError, match="mp4 or .gif"):
            env.stop_recording(tmp_path / "rollout.avi")
    frames = iio.mimread(mp4)
    assert len(frames) >= 3 and frames[0].shape == (72, 96, 3)
    assert not np.array_equal(frames[0], frames[-1])  # the arm moved in the video
    gif_frames = iio.mimread(gif)
    assert len(gif_frames) >= 2


def test_arm_hitting_the_table_raises_a_collision_error():
    with sim.make("tabletop", robot="ur5e", seed=0) as env:
        q = env.robot.joint_positions().copy()
        q[1] += 1.4  # swing the upper arm down through the table
        with pytest.raises(CollisionError) as info:
            env.robot.move_joints(q)
        assert info.value.to_dict()["kind"] == "collision"


def test_panda_layouts_stay_in_its_reachable_region():
    with sim.make("tabletop", robot="panda", seed=0) as env:
        for seed in range(5):
            env.reset(seed=seed)
            assert all(o.position[1] <= -0.36 + 0.045 for o in env.objects())
