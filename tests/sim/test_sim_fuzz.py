"""Garbage in, structured errors out: a subprocess feeds bad values to every public entry point
and must exit cleanly (a segfault or hang would kill or time out the subprocess)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pybullet")  # the sim extra

ROOT = Path(__file__).resolve().parents[2]
FUZZ = r"""
import math, numpy as np
from codebot import sim
from codebot.primitives.errors import PrimitiveError
from codebot.checks.scene import SceneSpec
BAD = [None, "x", float("nan"), float("inf"), -1e9, 1e9, [], [1, 2], [[1, 2, 3]], {"a": 1}, object(),
       np.full(3, np.nan), np.zeros((2, 2)), b"\x00", True, -0.0, 10**40]
env = sim.make("tabletop", robot=ROBOT, seed=0)
r = env.robot
calls = {
    "move_ee": lambda v: r.move_ee(v),
    "move_ee_yaw": lambda v: r.move_ee((0.0, -0.5, 0.2), yaw=v),
    "move_ee_speed": lambda v: r.move_ee((0.0, -0.5, 0.2), speed=v),
    "move_joints": lambda v: r.move_joints(v),
    "move_joints_scale": lambda v: r.move_joints(r.home_joints, speed_scale=v),
    "traj_times": lambda v: env.execute_joint_trajectory(v, [r.home_joints]),
    "traj_positions": lambda v: env.execute_joint_trajectory([1.0], v),
    "set_joints": lambda v: env.set_joint_positions(v),
    "reset_seed": lambda v: env.reset(seed=v),
    "reset_scene": lambda v: env.reset(scene=v),
    "reset_scene_colour": lambda v: env.reset(scene=SceneSpec(blocks=(v,))),
    "step": lambda v: env.step(v),
    "restore": lambda v: env.restore(v),
    "release": lambda v: env.release(v),
    "recording": lambda v: env.start_recording(camera="front", fps=v),
}
structured = other = 0
for name, call in calls.items():
    for v in BAD:
        try:
            call(v)
        except PrimitiveError:
            structured += 1
        except Exception as e:
            other += 1
            print("UNSTRUCTURED", name, repr(v)[:40], type(e).__name__, str(e)[:120])
        finally:
            r.reset_stop()
print("DONE", structured, other)
"""


@pytest.mark.slow
@pytest.mark.parametrize("robot", ["ur5e", "panda"])
def test_bad_values_never_crash_and_raise_structured_errors(robot):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", f"ROBOT={robot!r}\n" + FUZZ], capture_output=True, text=True,
                         timeout=300, cwd=str(ROOT), env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "DONE" in out.stdout
    assert "UNSTRUCTURED" not in out.stdout, out.stdout[-3000:]
