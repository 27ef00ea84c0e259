"""Exact replay: a seeded rollout is bit-identical in two fresh processes and after restore();
snapshots are released (no leak)."""
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pybullet")  # the sim extra

from codebot import sim
from codebot.primitives.errors import InvalidArgumentError
from codebot.sim.scripted import pick_and_place

ROOT = Path(__file__).resolve().parents[2]
ROLLOUT = """
import json
from codebot import sim
from codebot.sim.scripted import pick_and_place
env = sim.make("tabletop", robot={robot!r}, seed={seed})
names = list(env.object_ids)
block = [n for n in names if n.endswith("block")][0]
bowl = [n for n in names if n.endswith("bowl")][0]
initial = env.state()
ok = pick_and_place(env, block, bowl)
print("RESULT" + json.dumps({{"ok": ok, "initial": initial, "final": env.state()}}, sort_keys=True))
"""


def _rollout_in_new_process(robot: str, seed: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", ROLLOUT.format(robot=robot, seed=seed)], capture_output=True,
                         text=True, timeout=300, cwd=str(ROOT), env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT"))
    return json.loads(line[len("RESULT"):])


@pytest.mark.slow
@pytest.mark.parametrize("robot", ["ur5e", "panda"])
def test_seeded_rollout_is_identical_across_processes(robot):
    a = _rollout_in_new_process(robot, 11)
    b = _rollout_in_new_process(robot, 11)
    assert a["ok"] and b["ok"]
    # json keeps every float's exact repr, so equality here is bit-identity of poses and joints
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    c = _rollout_in_new_process(robot, 12)
    assert c["initial"]["objects"] != a["initial"]["objects"]


@pytest.mark.parametrize("robot", ["ur5e", "panda"])
def test_restore_then_replay_is_bit_identical(robot):
    with sim.make("tabletop", robot=robot, seed=21) as env:
        names = list(env.object_ids)
        block = [n for n in names if n.endswith("block")][0]
        bowl = [n for n in names if n.endswith("bowl")][0]
        env.robot.move_ee((0.0, -0.5, 0.25))  # a non-trivial state to snapshot
        snap = env.snapshot()
        t0 = env.time
        assert pick_and_place(env, block, bowl)
        first = json.dumps(env.state(), sort_keys=True)
        env.restore(snap)
        assert env.time == t0
        assert (block, "in", bowl) not in env.relations()
        assert pick_and_place(env, block, bowl)
        assert json.dumps(env.state(), sort_keys=True) == first
        env.release(snap)
        with pytest.raises(InvalidArgumentError, match="released"):
            env.restore(snap)


def test_snapshot_of_an_old_scene_is_rejected(ur5e_env):
    snap = ur5e_env.snapshot()
    ur5e_env.reset(seed=1)
    with pytest.raises(InvalidArgumentError):
        ur5e_env.restore(snap)
    with pytest.raises(InvalidArgumentError):
        ur5e_env.restore("not a snapshot")


def test_released_snapshots_do_not_leak(ur5e_env):
    ur5e_env.reset(seed=0)
    for _ in range(10):  # warm up allocators
        ur5e_env.release(ur5e_env.snapshot())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(100):  # an unreleased PyBullet state costs ~0.8 MB: 100 would add ~80 MB
        snap = ur5e_env.snapshot()
        ur5e_env.restore(snap)
        ur5e_env.release(snap)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 20_000, f"peak memory grew {grown_kb} kB over 100 snapshot/release cycles"
    assert ur5e_env._snapshots == []
