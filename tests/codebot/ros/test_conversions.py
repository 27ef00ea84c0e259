"""Message conversions and trajectory maths (rclpy message classes, no DDS)."""
import numpy as np
import pytest

pytest.importorskip("rclpy")

from codebot.ros.plumbing import convert
from codebot.ros.robot.trajectory import check_limits, sample, time_parameterize
from codebot.primitives.errors import InvalidArgumentError, JointLimitError, VelocityLimitError
from codebot.primitives.protocols import ObjectInfo


def test_images_round_trip_rgb_and_depth():
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 255, (12, 17, 3), dtype=np.uint8)
    depth = rng.random((12, 17), dtype=np.float32)
    assert np.array_equal(convert.msg_to_image(convert.image_to_msg(rgb, "rgb8")), rgb)
    assert np.array_equal(convert.msg_to_image(convert.image_to_msg(depth, "32FC1")), depth)
    with pytest.raises(InvalidArgumentError):
        convert.image_to_msg(depth, "rgb8")
    msg = convert.image_to_msg(rgb, "rgb8")
    msg.data = bytes(msg.data)[:10]
    with pytest.raises(InvalidArgumentError, match="shorter"):
        convert.msg_to_image(msg)


def test_camera_info_keeps_intrinsics():
    K = np.array([[100.0, 0, 80], [0, 100.0, 60], [0, 0, 1]])
    msg = convert.camera_info_msg(K, 160, 120, "cam")
    assert np.allclose(convert.camera_info_to_K(msg), K) and msg.p[2] == 80


def test_trajectory_round_trip_reorders_and_validates():
    names = ["a", "b", "c"]
    q = np.arange(6, dtype=float).reshape(2, 3)
    msg = convert.trajectory_msg(names, [0.5, 1.25], q)
    t, pos = convert.trajectory_arrays(msg, ["c", "a", "b"])
    assert np.allclose(t, [0.5, 1.25]) and np.allclose(pos, q[:, [2, 0, 1]])
    with pytest.raises(InvalidArgumentError, match="do not match"):
        convert.trajectory_arrays(msg, ["a", "b", "x"])
    msg.points[1].time_from_start = convert.duration_msg(0.1)
    with pytest.raises(InvalidArgumentError, match="increase"):
        convert.trajectory_arrays(msg, names)


def test_joint_state_lookup_by_name():
    msg = convert.joint_state_msg(["b", "a"], [2.0, 1.0])
    assert np.allclose(convert.joint_state_positions(msg, ["a", "b"]), [1.0, 2.0])
    assert convert.joint_state_positions(msg, ["a", "z"]) is None


def test_objects_json_round_trip_and_malformed():
    o = ObjectInfo("red block", "block", "red", (0.1, -0.5, 0.02), (0.08, -0.52, 0.0), (0.12, -0.48, 0.04), 0.3)
    stamp, objs = convert.objects_from_json(convert.objects_to_json([o], 5.0))
    assert stamp == 5.0 and objs == [o]
    with pytest.raises(InvalidArgumentError):
        convert.objects_from_json("{not json")


def test_perceived_object_array_round_trip_keeps_every_field():
    pytest.importorskip("codebot_interfaces.msg")
    from codebot.ros.plumbing import perceived

    objs = [ObjectInfo("red block", "block", "red", (0.1, -0.5, 0.02), (0.08, -0.52, 0.0), (0.12, -0.48, 0.04), 0.3),
            ObjectInfo("blue bowl", "bowl", "blue", (-0.2, -0.4, 0.03), (-0.28, -0.48, 0.0), (-0.12, -0.32, 0.06),
                       -2.5, visible=False, score=0.75)]
    stamp, back = perceived.objects_from_msg(perceived.objects_to_msg(objs, 12.25))
    assert stamp == 12.25 and [o.name for o in back] == ["red block", "blue bowl"]
    for a, b in zip(objs, back):
        assert (a.kind, a.color, a.visible, a.score) == (b.kind, b.color, b.visible, b.score)
        assert np.allclose(a.position, b.position) and np.allclose(a.bbox_min, b.bbox_min)
        assert np.allclose(a.bbox_max, b.bbox_max) and np.isclose(a.yaw, b.yaw)


def test_time_parameterisation_respects_velocity_limits():
    q = np.array([[0.0, 0.0], [0.5, 0.1], [1.0, 0.2], [1.5, 0.2]])
    vmax = np.array([1.0, 0.5])
    t, v = time_parameterize(q, vmax, speed_scale=0.5)
    check_limits(t, q, [-3, -3], [3, 3], vmax * 0.5, tolerance=1e-6)
    assert t[0] == 0.0 and np.all(np.diff(t) > 0) and np.all(v[0] == 0) and np.all(v[-1] == 0)
    with pytest.raises(VelocityLimitError):
        check_limits(t / 4, q, [-3, -3], [3, 3], vmax)
    with pytest.raises(JointLimitError):
        check_limits(t, q, [-3, -3], [1.0, 3], vmax)
    pos, vel = sample(t, q, (t[1] + t[2]) / 2)
    assert np.allclose(pos, (q[1] + q[2]) / 2) and np.allclose(vel, (q[2] - q[1]) / (t[2] - t[1]))
    assert np.allclose(sample(t, q, 99.0)[0], q[-1])
