"""The sim robot node with the Panda, camera topics, and bad parameters."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("rclpy")
pytest.importorskip("pybullet")

from codebot.ros.plumbing.env import wait_until

pytestmark = [pytest.mark.ros, pytest.mark.slow, pytest.mark.timeout(180)]


def test_panda_moves_and_cameras_publish_scaled_rgbd(procs, client):
    from sensor_msgs.msg import CameraInfo, Image

    from codebot.ros.plumbing import convert, topics
    from codebot.ros.robot.ros_robot import RosRobot

    procs.start([sys.executable, "-m", "codebot.ros.nodes.sim_robot_node", "--ros-args", "-r", "__ns:=/arm",
                 "-p", "robot:=panda", "-p", "camera_rate:=5.0", "-p", "camera_width:=128",
                 "-p", "camera_height:=96", "-p", "real_time_factor:=2.0"], "panda")
    got: dict = {}
    t = topics.camera_topics("top")
    client.create_subscription(Image, "/arm/" + t["rgb"], lambda m: got.setdefault("rgb", m), topics.qos_sensor())
    client.create_subscription(Image, "/arm/" + t["depth"], lambda m: got.setdefault("depth", m), topics.qos_sensor())
    client.create_subscription(CameraInfo, "/arm/" + t["info"], lambda m: got.setdefault("info", m),
                               topics.qos_sensor())
    with RosRobot(namespace="/arm", model="panda", connect_timeout=60.0) as robot:
        assert robot.joint_names()[0].startswith("panda_joint")
        robot.move_ee((-0.1, -0.45, 0.2))
        assert np.allclose(robot.ee_pose().position, (-0.1, -0.45, 0.2), atol=0.005)
        assert wait_until(lambda: len(got) == 3, 60), sorted(got)
    rgb, depth = convert.msg_to_image(got["rgb"]), convert.msg_to_image(got["depth"])
    assert rgb.shape == (96, 128, 3) and depth.shape == (96, 128) and depth.dtype == np.float32
    assert rgb.std() > 5, "a rendered scene, not a blank image"
    assert 0.1 < float(np.median(depth)) < 3.0  # metres to the table
    K = convert.camera_info_to_K(got["info"])
    assert got["info"].width == 128 and K[0, 2] == pytest.approx(64, abs=1.0)


def test_ros_camera_gives_frames_with_intrinsics_and_extrinsics(procs, client):
    from codebot import sim
    from codebot.ros.robot.camera import RosCamera

    procs.start([sys.executable, "-m", "codebot.ros.nodes.sim_robot_node", "--ros-args", "-r", "__ns:=/cam",
                 "-p", "camera_rate:=4.0", "-p", "camera_width:=160", "-p", "camera_height:=120"], "cams")
    cam = RosCamera(client, "top", "/cam", wait=60.0)
    frame = cam.capture()
    assert (cam.width, cam.height) == (160, 120) and frame.rgb.shape == (120, 160, 3)
    env = sim.make("tabletop", robot="ur5e", seed=0, render_size=(160, 120))
    try:
        expected = env.cameras["top"]
        assert np.allclose(frame.camera_to_world, expected.camera_to_world, atol=1e-6)
        assert np.allclose(frame.intrinsics, expected.intrinsics, atol=1e-6)
    finally:
        env.close()
    # the pixel at a block's centre deprojects (depth + K + pose) onto that block
    objs = {o.name: o for o in __import__("codebot.ros.robot.perception", fromlist=["x"]).RosPerception(
        client, "/cam").objects()}
    block = np.array(objs["red block"].position)
    cam_pt = np.linalg.inv(frame.camera_to_world) @ np.append(block, 1.0)
    u, v = (frame.intrinsics @ (cam_pt[:3] / cam_pt[2]))[:2]
    z = float(frame.depth[int(round(v)), int(round(u))])
    ray = np.linalg.inv(frame.intrinsics) @ np.array([round(u), round(v), 1.0]) * z
    world = (frame.camera_to_world @ np.append(ray, 1.0))[:3]
    assert np.linalg.norm(world[:2] - block[:2]) < 0.02 and abs(world[2] - block[2]) < 0.03


def test_pose_quaternion_round_trip():
    from codebot.ros.plumbing import convert

    rng = np.random.default_rng(1)
    for _ in range(20):
        q = rng.normal(size=4)
        q /= np.linalg.norm(q)
        T = np.eye(4)
        T[:3, :3], T[:3, 3] = convert.quat_to_matrix(q), rng.normal(size=3)
        back = convert.pose_msg_to_matrix(convert.pose_stamped_msg(T))
        assert np.allclose(back, T, atol=1e-9)


@pytest.mark.parametrize("param, message", [("robot:=kuka", "unknown robot"),
                                            ("blocks:=[magenta]", "unknown colour"),
                                            ("rate:=abc", "could not convert")])
def test_bad_parameters_exit_with_a_clear_error(domain_id, param, message):
    out = subprocess.run([sys.executable, "-m", "codebot.ros.nodes.sim_robot_node", "--ros-args", "-p", param],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and message in out.stderr, out.stderr[-500:]


def test_missing_rclpy_names_the_ros_extra(monkeypatch):
    from codebot.extras import MissingExtraError
    from codebot.ros.plumbing import env

    monkeypatch.setitem(sys.modules, "rclpy", None)
    with pytest.raises(MissingExtraError, match=r"codebot\[ros\]"):
        env.rclpy()
