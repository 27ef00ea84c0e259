"""Robot control in real physics: accurate straight-line tool motion, gripper, limits and errors."""
import math

import numpy as np
import pytest

pytest.importorskip("pybullet")  # the sim extra

from codebot.primitives.errors import (EmergencyStopError, InvalidArgumentError, JointLimitError,
                               OutsideWorkspaceError, UnreachableError, VelocityLimitError)
from codebot.primitives.workspace import Workspace


def test_move_ee_reaches_the_target_along_a_straight_line(env):
    env.reset(seed=0)
    r = env.robot
    r.move_ee((0.1, -0.45, 0.2), yaw=0.0)
    start = np.array(r.ee_pose().position)
    target = np.array((-0.15, -0.6, 0.1))
    trace = []
    env.world.add_hook(lambda step: trace.append(r.ee_pose().position))
    try:
        r.move_ee(target, yaw=0.3)
    finally:
        env.world._hooks.clear()
    end = np.array(r.ee_pose().position)
    assert np.linalg.norm(end - target) < 2e-3
    # tool pointing down with the asked yaw (a parallel gripper is symmetric under a half turn)
    m = np.array(env.p.getMatrixFromQuaternion(r.ee_pose().orientation)).reshape(3, 3)
    assert m[2, 2] == pytest.approx(-1.0, abs=1e-3)
    assert abs(math.remainder(r.ee_yaw() - 0.3, math.pi)) < 0.01
    line = (target - start) / np.linalg.norm(target - start)
    deviation = max(np.linalg.norm((np.array(p) - start) - np.dot(np.array(p) - start, line) * line)
                    for p in trace)
    assert deviation < 5e-3, deviation
    assert len(trace) > 20  # it moved in physics, over many steps


def test_gripper_grasps_only_real_objects(env):
    env.reset(seed=0)
    r = env.robot
    r.open_gripper()
    assert not r.close_gripper()  # nothing between the fingers
    assert not r.is_grasping()
    r.open_gripper()


def test_workspace_violation_names_the_axis(env):
    with pytest.raises(OutsideWorkspaceError) as info:
        env.robot.move_ee((0.52, -0.5, 0.2))
    assert "x=0.52 > 0.30" in str(info.value)
    assert info.value.to_dict()["kind"] == "outside_workspace"
    with pytest.raises(OutsideWorkspaceError, match="z="):
        env.robot.move_ee((0.0, -0.5, -0.05))


@pytest.mark.parametrize("bad", [(float("nan"), -0.5, 0.2), (0.0, float("inf"), 0.1), (0.1, -0.5), "abc", None])
def test_nan_or_malformed_targets_are_invalid(env, bad):
    before = env.robot.joint_positions()
    with pytest.raises(InvalidArgumentError):
        env.robot.move_ee(bad)
    assert np.allclose(env.robot.joint_positions(), before, atol=1e-3)


def test_bad_yaw_and_speed(env):
    with pytest.raises(InvalidArgumentError, match="yaw"):
        env.robot.move_ee((0.0, -0.5, 0.2), yaw=float("nan"))
    with pytest.raises(InvalidArgumentError, match="speed"):
        env.robot.move_ee((0.0, -0.5, 0.2), speed=-1)
    with pytest.raises(VelocityLimitError, match="exceeds"):
        env.robot.move_ee((0.0, -0.5, 0.2), speed=5.0)


def test_unreachable_pose_raises(env):
    # a workspace larger than the arm's reach: the target passes the workspace check, IK fails
    old = env.robot.workspace
    env.robot.workspace = Workspace(x=(-3, 3), y=(-3, 3), z=(0, 2))
    try:
        with pytest.raises(UnreachableError) as info:
            env.robot.move_ee((0.0, -1.6, 0.2))
        assert "cannot" in str(info.value)
    finally:
        env.robot.workspace = old


def test_joint_limit_violations(env):
    r = env.robot
    lim = r.joint_limits()
    q = r.joint_positions().copy()
    q[0] = lim.upper[0] + 0.2
    with pytest.raises(JointLimitError) as info:
        r.move_joints(q)
    assert r.joint_names()[0] in str(info.value)
    with pytest.raises(JointLimitError):
        env.set_joint_positions(q)
    with pytest.raises(InvalidArgumentError):
        r.move_joints(q[:-1])
    with pytest.raises(VelocityLimitError):
        r.move_joints(r.joint_positions(), speed_scale=3.0)


def test_joint_trajectory_executes_and_checks_limits(env):
    env.reset(seed=0)
    r = env.robot
    q0 = r.joint_positions()
    q1 = q0 + 0.2
    env.execute_joint_trajectory([0.5, 1.0], [q0 + 0.1, q1])
    assert np.allclose(r.joint_positions(), q1, atol=5e-3)
    with pytest.raises(VelocityLimitError) as info:  # 0.5 rad in 0.05 s
        env.execute_joint_trajectory([0.05], [q1 - 0.5])
    assert "rad/s" in str(info.value)
    with pytest.raises(InvalidArgumentError, match="increasing"):
        env.execute_joint_trajectory([1.0, 0.5], [q1, q1])
    with pytest.raises(InvalidArgumentError):
        env.execute_joint_trajectory([1.0], [q1[:2]])
    with pytest.raises(InvalidArgumentError, match="NaN"):
        env.execute_joint_trajectory([1.0], [np.full_like(q1, np.nan)])
    bad = q1.copy()
    bad[1] = r.joint_limits().lower[1] - 0.1
    with pytest.raises(JointLimitError):
        env.execute_joint_trajectory([3.0], [bad])
    assert np.allclose(r.joint_positions(), q1, atol=5e-3)  # nothing moved on a rejected trajectory


def test_emergency_stop_blocks_motion_until_reset(env):
    r = env.robot
    r.stop()
    with pytest.raises(EmergencyStopError):
        r.move_ee((0.0, -0.5, 0.2))
    with pytest.raises(EmergencyStopError):
        r.home()
    r.reset_stop()
    r.home()
    assert np.allclose(r.joint_positions(), r.home_joints, atol=5e-3)
    env.reset(seed=0)
    assert not r.stopped


def test_plan_move_ee_does_not_move_and_its_plan_executes(env):
    env.reset(seed=0)
    r = env.robot
    q_before = r.joint_positions()
    times, path = r.plan_move_ee((0.05, -0.55, 0.12), yaw=0.2)
    assert np.allclose(r.joint_positions(), q_before, atol=1e-6)
    assert times[0] == 0.0 and np.all(np.diff(times) > 0) and path.shape == (len(times), len(q_before))
    env.execute_joint_trajectory(times[1:], path[1:])
    assert np.allclose(r.ee_pose().position, (0.05, -0.55, 0.12), atol=2e-3)
    with pytest.raises(OutsideWorkspaceError):
        r.plan_move_ee((0.05, -0.95, 0.12))
