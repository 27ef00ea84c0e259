"""The simulation gate's decision, and the twin synced to a robot's perceived scene."""
from __future__ import annotations

import numpy as np
import pytest

from codebot.ros.dispatch.gate import decide, safety_violations


def test_gate_passes_only_verified_safe_programs():
    clean = {"ok": True, "error": None, "call_log": [{"name": "pick", "args": ["red block"]}],
             "safety_violations": []}
    assert decide(True, clean).dispatch and decide(True, clean).passed
    failed = decide(False, clean, "red block is not in the blue bowl")
    assert not failed.dispatch and "red block is not in the blue bowl" in failed.reasons[0]
    unsafe = {"ok": False, "error": {"kind": "outside_workspace", "message": "x=0.90 > 0.30"},
              "call_log": [{"name": "move_to", "error": {"kind": "outside_workspace", "message": "x=0.90 > 0.30"}}]}
    d = decide(True, unsafe)
    assert not d.dispatch and d.reasons == ["safety violation in simulation: move_to: outside_workspace: x=0.90 > 0.30"]
    assert safety_violations({"safety_violations": ["collision: arm hit table"]}) == ["collision: arm hit table"]
    assert not decide(True, None).dispatch  # no sim run, no dispatch


def test_force_is_explicit_and_recorded():
    d = decide(False, {"ok": True}, "no checker", force=True)
    assert d.dispatch and d.forced and not d.passed and d.reasons
    assert d.to_dict()["forced"] is True
    assert decide(True, {"ok": True}, force=True).forced is False  # nothing to force


@pytest.mark.slow
def test_twin_takes_the_robots_object_poses_and_joints(tmp_path):
    pytest.importorskip("pybullet")
    from codebot import sim
    from codebot.ros.dispatch.twin import TwinTarget, scene_of, twin_state, write_twin_state
    from codebot.checks.scene import SceneSpec

    scene = SceneSpec(blocks=("red",), bowls=("blue",))
    robot_env = sim.make("tabletop", robot="ur5e", seed=11, scene=scene)
    try:
        q = robot_env.robot.joint_positions() + np.array([0.3, 0.1, 0.0, 0.0, 0.0, 0.0])
        robot_env.set_joint_positions(q)
        state = twin_state(robot_env.robot.joint_names(), q, robot_env.objects())
        real = {o.name: np.array(o.position) for o in robot_env.objects()}
    finally:
        robot_env.close()
    path = write_twin_state(tmp_path / "state.json", state)
    assert scene_of(state) == {"blocks": ["red"], "bowls": ["blue"]}
    twin = TwinTarget({"robot": "ur5e", "seed": 0, "scene": scene_of(state), "twin_state": str(path)})
    try:
        got = {o.name: np.array(o.position) for o in twin.observe()}
        for name, pos in real.items():
            assert np.allclose(got[name], pos, atol=2e-3), (name, got[name], pos)
        assert np.allclose(twin.backend().robot.joint_positions(), q, atol=1e-3)
        twin.reset({"seed": 4})  # every reset re-syncs from the robot state file
        assert np.allclose(twin.observe()[0].position, real[twin.observe()[0].name], atol=2e-3)
    finally:
        twin.close()
