"""Pick-and-place success and cost of the LLM-facing motion primitives, against the simulator's own
scripted pick-and-place (sim.scripted) as the baseline, measured in one run on the same layouts;
plus camera perception accuracy against ground truth.

  success        put_first_on_second(block, bowl-or-block) over seeded layouts, judged by the scene's
                 relations after the move; primitives' rate / scripted rate, and the rate vs the
                 99 % target the benchmark suite needs
  time           wall seconds per pick-and-place: primitives / scripted (what the extra perception,
                 alignment and in-hand correction cost)
  perception     position error (mm, max and mean) and ms per objects() of the rgbd_seg and hsv
                 sources vs ground truth on the same frames

Both motion variants start from the same snapshot of each layout, and alternate which goes first.

    .venv/bin/python benchmarks/primitives_pick_place.py [--robot ur5e|panda] [--layouts 20] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from codebot import primitives
from codebot import sim
from codebot.primitives import context, motion
from codebot.primitives.errors import PrimitiveError
from codebot.primitives.perception import hsv, rgbd_seg
from codebot.sim.scripted import pick_and_place
from codebot.checks.scene import SceneSpec

SCENE = SceneSpec(blocks=("red", "green", "blue"), bowls=("yellow", "pink"))
TARGET_SUCCESS = 0.99


def tasks_for(env) -> list[tuple[str, str]]:
    """One pick-and-place per block: the first two into the bowls, the last onto the first block."""
    return [("red block", "yellow bowl"), ("green block", "pink bowl"), ("blue block", "red block")]


def run_primitives(env, obj: str, target: str) -> bool:
    context.bind(env.backend())
    try:
        motion.put_first_on_second(obj, target)
    except PrimitiveError:
        return False
    finally:
        context.bind(None)
    env.step(24)
    relation = "in" if target.endswith("bowl") else "on"
    return (obj, relation, target) in env.relations()


def run_scripted(env, obj: str, target: str) -> bool:
    try:
        return pick_and_place(env, obj, target)
    except PrimitiveError:
        return False


def motion_figures(env, layouts: int) -> dict:
    results = {"primitives": [], "scripted": []}
    times = {"primitives": [], "scripted": []}
    runners = {"primitives": run_primitives, "scripted": run_scripted}
    for seed in range(layouts):
        env.reset(seed=seed, scene=SCENE)
        snap = env.snapshot()
        order = ["primitives", "scripted"] if seed % 2 == 0 else ["scripted", "primitives"]
        for variant in order:
            env.restore(snap)
            for obj, target in tasks_for(env):
                t0 = time.perf_counter()
                ok = runners[variant](env, obj, target)
                times[variant].append(time.perf_counter() - t0)
                results[variant].append(ok)
                if not ok:
                    break  # later moves in this layout depend on this one
        env.release(snap)
    out = {}
    for v in results:
        out[v] = {"attempts": len(results[v]), "successes": int(sum(results[v])),
                  "success_rate": float(np.mean(results[v])) if results[v] else 0.0,
                  "wall_s_per_pick_place": statistics.median(times[v]) if times[v] else float("nan")}
    out["success_ratio_primitives_vs_scripted"] = (out["primitives"]["success_rate"]
                                                   / max(out["scripted"]["success_rate"], 1e-9))
    out["time_ratio_primitives_vs_scripted"] = (out["primitives"]["wall_s_per_pick_place"]
                                                / out["scripted"]["wall_s_per_pick_place"])
    return out


def perception_figures(env, layouts: int) -> dict:
    out = {}
    errors = {"rgbd_seg": [], "hsv": []}
    ms = {"rgbd_seg": [], "hsv": []}
    missing = {"rgbd_seg": 0, "hsv": 0}
    for seed in range(layouts):
        env.reset(seed=seed, scene=None)
        truth = {o.name: o for o in env.objects()}
        frame = env.cameras["top"].capture()
        for name, module in (("rgbd_seg", rgbd_seg), ("hsv", hsv)):
            t0 = time.perf_counter()
            found = {o.name: o for o in module.objects_from_frame(frame, env.workspace)}
            ms[name].append((time.perf_counter() - t0) * 1000)
            for n, o in truth.items():
                if n in found:
                    errors[name].append(float(np.linalg.norm(np.subtract(found[n].position, o.position))))
                else:
                    missing[name] += 1
    for name in errors:
        out[name] = {"max_error_mm": 1000 * max(errors[name]), "mean_error_mm": 1000 * float(np.mean(errors[name])),
                     "missed_objects": missing[name], "ms_per_frame": statistics.median(ms[name])}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--robot", default="ur5e", choices=["ur5e", "panda"])
    ap.add_argument("--layouts", type=int, default=20)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    primitives.load_all()
    env = sim.make("tabletop", robot=args.robot, seed=0, scene=SCENE)
    try:
        m = motion_figures(env, args.layouts)
        p = perception_figures(env, args.layouts)
    finally:
        env.close()
    print(f"robot {args.robot}, {args.layouts} layouts, 3 pick-and-places each (2 into bowls, 1 stack)")
    for v in ("primitives", "scripted"):
        r = m[v]
        print(f"  {v:10s} success {r['successes']}/{r['attempts']} = {100 * r['success_rate']:.1f} %   "
              f"median {r['wall_s_per_pick_place']:.2f} s per pick-and-place")
    print(f"  success ratio primitives / scripted baseline: {m['success_ratio_primitives_vs_scripted']:.3f}")
    print(f"  success ratio primitives / {TARGET_SUCCESS:.0%} target: "
          f"{m['primitives']['success_rate'] / TARGET_SUCCESS:.3f}")
    print(f"  time ratio primitives / scripted baseline: {m['time_ratio_primitives_vs_scripted']:.2f}")
    for name, r in p.items():
        print(f"  perception {name:8s} max error {r['max_error_mm']:.1f} mm (ratio to the 10 mm bar "
              f"{r['max_error_mm'] / 10:.2f}), mean {r['mean_error_mm']:.1f} mm, missed {r['missed_objects']}, "
              f"{r['ms_per_frame']:.0f} ms per frame")
    if args.json:
        args.json.write_text(json.dumps({"robot": args.robot, "layouts": args.layouts, "motion": m,
                                         "perception": p}, indent=2))


if __name__ == "__main__":
    main()
