"""Simulator speed, measured in one run on the same scene, each figure against its baseline:

  step rate      codebot's env.step (with its bookkeeping) / raw p.stepSimulation on the same client
                 (target >= 0.9); blocks of steps interleaved so machine load hits both alike
  pick-and-place wall seconds per scripted pick-and-place and its real-time factor = simulated
                 seconds / wall seconds (target >= 10x), replayed from one snapshot each time
  render         ms per 640x480 RGB-D(+segmentation) frame via Camera.capture(), and raw
                 p.getCameraImage on the same view for reference

Wall time is what a user waits; CPU time (time.process_time) is what this process used, which is
the fairer figure on a machine shared with other jobs -- both are printed.

    .venv/bin/python benchmarks/sim_speed.py [--robot ur5e|panda|both] [--episodes 10] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from codebot import sim
from codebot.sim.scripted import pick_and_place
from codebot.checks.scene import SceneSpec

SCENE = SceneSpec(blocks=("red", "green", "blue"), bowls=("yellow", "pink"))
SEED = 3


def _clock():
    return time.perf_counter(), time.process_time()


def step_rate(env, rounds: int, block: int) -> dict:
    p, c = env.p, env.client
    snap = env.snapshot()
    raw_w, raw_c, ours_w, ours_c = [], [], [], []
    for _ in range(rounds):
        env.restore(snap)
        w0, c0 = _clock()
        for _ in range(block):
            p.stepSimulation(physicsClientId=c)
        w1, c1 = _clock()
        raw_w.append(block / (w1 - w0))
        raw_c.append(block / max(c1 - c0, 1e-9))
        env.restore(snap)
        w0, c0 = _clock()
        env.step(block)
        w1, c1 = _clock()
        ours_w.append(block / (w1 - w0))
        ours_c.append(block / max(c1 - c0, 1e-9))
    env.restore(snap)
    env.release(snap)
    med = statistics.median
    return {"raw_steps_per_s": med(raw_w), "codebot_steps_per_s": med(ours_w),
            "ratio_wall": med(ours_w) / med(raw_w), "ratio_cpu": med(ours_c) / med(raw_c)}


def pick_place_speed(env, episodes: int) -> dict:
    snap = env.snapshot()
    walls, cpus, sims, ok = [], [], [], 0
    for _ in range(episodes):
        env.restore(snap)
        t_sim = env.time
        w0, c0 = _clock()
        ok += pick_and_place(env, "red block", "yellow bowl")
        w1, c1 = _clock()
        walls.append(w1 - w0)
        cpus.append(c1 - c0)
        sims.append(env.time - t_sim)
    env.restore(snap)
    env.release(snap)
    med = statistics.median
    return {"episodes": episodes, "successes": ok, "wall_s": med(walls), "cpu_s": med(cpus), "sim_s": med(sims),
            "rtf_wall": med(sims) / med(walls), "rtf_cpu": med(sims) / med(cpus)}


def render_speed(env, frames: int) -> dict:
    cam = env.cameras["front"]
    p = env.p
    ours_w, ours_c, raw_w = [], [], []
    for _ in range(frames):
        w0, c0 = _clock()
        frame = cam.capture()
        w1, c1 = _clock()
        ours_w.append(w1 - w0)
        ours_c.append(c1 - c0)
        w0, _ = _clock()
        p.getCameraImage(cam.width, cam.height, cam._view, cam._proj, renderer=p.ER_TINY_RENDERER,
                         physicsClientId=env.client)
        raw_w.append(_clock()[0] - w0)
    assert frame.rgb.shape == (480, 640, 3) and frame.depth.shape == (480, 640)
    med = statistics.median
    return {"frames": frames, "capture_ms": 1000 * med(ours_w), "capture_cpu_ms": 1000 * med(ours_c),
            "raw_getCameraImage_ms": 1000 * med(raw_w), "ratio_raw_over_capture": med(raw_w) / med(ours_w)}


def run(robot: str, episodes: int, rounds: int, frames: int) -> dict:
    with sim.make("tabletop", robot=robot, seed=SEED, scene=SCENE, render_size=(640, 480)) as env:
        result = {"robot": robot, "step": step_rate(env, rounds, 240),
                  "pick_place": pick_place_speed(env, episodes), "render": render_speed(env, frames)}
    s, pp, r = result["step"], result["pick_place"], result["render"]
    print(f"[{robot}] step rate: codebot {s['codebot_steps_per_s']:.0f}/s vs raw stepSimulation "
          f"{s['raw_steps_per_s']:.0f}/s -> ratio {s['ratio_wall']:.3f} (cpu {s['ratio_cpu']:.3f}; target >= 0.9)")
    print(f"[{robot}] pick-and-place: {pp['wall_s']:.3f} s wall ({pp['cpu_s']:.3f} s cpu) for {pp['sim_s']:.2f} s "
          f"simulated -> real-time factor {pp['rtf_wall']:.1f}x wall, {pp['rtf_cpu']:.1f}x cpu (target >= 10x); "
          f"{pp['successes']}/{pp['episodes']} succeeded")
    print(f"[{robot}] render 640x480 RGB-D+seg: {r['capture_ms']:.1f} ms/frame ({r['capture_cpu_ms']:.1f} ms cpu); "
          f"raw getCameraImage {r['raw_getCameraImage_ms']:.1f} ms -> ratio {r['ratio_raw_over_capture']:.2f}")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--robot", choices=["ur5e", "panda", "both"], default="both")
    ap.add_argument("--episodes", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=20, help="interleaved step-rate blocks of 240 steps")
    ap.add_argument("--frames", type=int, default=10)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    robots = ["ur5e", "panda"] if args.robot == "both" else [args.robot]
    results = [run(r, args.episodes, args.rounds, args.frames) for r in robots]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
