"""Suite throughput of `codebot bench` with 1 vs 2 worker processes (target: >= 1.6x), and the wall
time of the full reference run (every cell x template x 50 trials; target: <= 15 min on 2 cores).
With --executor ray: the Ray executor with 2 actors against the process executor with 2 workers on the
same 40 jobs (target: >= 0.9x), and whether their per-trial results are identical.

    .venv/bin/python benchmarks/bench_scaling.py                # scaling on a fixed slice
    .venv/bin/python benchmarks/bench_scaling.py --full         # plus the full reference run
    .venv/bin/python benchmarks/bench_scaling.py --executor ray --out results/bench_scaling

Both sides run the same jobs (same seeds), measured in this run; the figure printed is the ratio
against the baseline. Results also land in --out (default benchmarks/results/) as JSON. The Ray side is
timed from its executor's start (actors spawned and warmed, like the worker processes), not counting the
local cluster's own start-up, which is printed apart (on a real cluster it is already running).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from codebot.bench import BenchConfig, plan_jobs, run_suite, write_reports

SLICE_TEMPLATES = (1, 3, 6, 8, 9, 13)
FULL_BUDGET_S = 15 * 60


def timed(config: BenchConfig) -> tuple[float, list[dict]]:
    t0 = time.perf_counter()
    records = run_suite(config)
    return time.perf_counter() - t0, records


# Per-trial fields that must agree between executors (everything but timings and paths).
SAME_FIELDS = ("cell", "template_id", "trial", "seed", "layout_seed", "layouts_rejected", "instruction", "params",
               "scene", "success", "success_at_turn", "turns", "verdict", "error", "details")


def compare_executors(args, out: Path) -> dict:
    """Process vs Ray executor, 2 workers each, on the same jobs, alternating --repeats times."""
    from codebot.bench.ray_executor import connect, import_ray

    ray = import_ray()
    t0 = time.perf_counter()
    connect(None, args.workers)  # a local cluster; the executor reuses it
    cluster_s = time.perf_counter() - t0
    print(f"local Ray cluster started in {cluster_s:.1f} s (not counted below)")
    walls: dict[str, list[float]] = {"process": [], "ray": []}
    fields: dict[str, list] = {}
    n = 0
    try:
        for rep in range(args.repeats):
            for executor in ("process", "ray"):
                config = BenchConfig(templates=SLICE_TEMPLATES, trials=args.trials, workers=args.workers,
                                     executor=executor, out=str(out / f"executors-{executor}-{rep}"))
                n = len(plan_jobs(config))
                wall, records = timed(config)
                walls[executor].append(wall)
                same = [{k: r.get(k) for k in SAME_FIELDS} for r in records]
                fields.setdefault(executor, same)
                ok = sum(r["success"] for r in records)
                print(f"[{rep + 1}/{args.repeats}] {executor:7s} executor, {args.workers} workers: {n} jobs in "
                      f"{wall:.1f} s = {60 * n / wall:.1f} jobs/min ({ok}/{n} succeeded)")
    finally:
        ray.shutdown()
    rate = {k: round(60 * n * len(v) / sum(v), 2) for k, v in walls.items()}
    ratio = rate["ray"] / rate["process"]
    identical = fields["ray"] == fields["process"]
    differ = [(a["cell"], a["template_id"], a["trial"]) for a, b in zip(fields["process"], fields["ray"]) if a != b]
    print(f"throughput: process {rate['process']:.1f} jobs/min, ray {rate['ray']:.1f} jobs/min; "
          f"ray / process = {ratio:.2f}x (target >= 0.9x)")
    print(f"per-trial results identical between executors: {'yes' if identical else 'NO ' + str(differ)}")
    return {"slice_templates": SLICE_TEMPLATES, "jobs": n, "workers": args.workers, "repeats": args.repeats,
            "ray_cluster_start_s": round(cluster_s, 2),
            "wall_s": {k: [round(w, 2) for w in v] for k, v in walls.items()},
            "jobs_per_min": rate, "ratio_ray_vs_process": round(ratio, 3), "target_ratio": 0.9,
            "identical": identical, "differing_trials": differ, "cpu_cores": os.cpu_count()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=4, help="trials per template and cell in the slice")
    ap.add_argument("--full", action="store_true", help="also time the full reference run")
    ap.add_argument("--full-trials", type=int, default=50)
    ap.add_argument("--full-workers", type=int, default=2)
    ap.add_argument("--out", default="benchmarks/results")
    ap.add_argument("--executor", choices=("process", "ray"), default="process",
                    help="ray: compare the Ray executor with the process executor (same jobs, same run)")
    ap.add_argument("--workers", type=int, default=2, help="--executor ray: workers on each side")
    ap.add_argument("--repeats", type=int, default=1, help="--executor ray: alternating rounds of both")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"cpu cores visible: {os.cpu_count()}")
    if args.executor == "ray":
        report = compare_executors(args, out)
        (out / "bench_scaling_ray.json").write_text(json.dumps(report, indent=1))
        print(f"wrote {out / 'bench_scaling_ray.json'}")
        return 0 if report["identical"] else 1

    runs = {}
    for workers in (1, 2):
        config = BenchConfig(templates=SLICE_TEMPLATES, trials=args.trials, workers=workers,
                             out=str(out / f"scaling-w{workers}"))
        n = len(plan_jobs(config))
        wall, records = timed(config)
        runs[workers] = {"jobs": n, "wall_s": round(wall, 2), "jobs_per_min": round(60 * n / wall, 2),
                         "successes": sum(r["success"] for r in records)}
        print(f"{workers} worker(s): {n} jobs in {wall:.1f} s = {60 * n / wall:.1f} jobs/min "
              f"({runs[workers]['successes']}/{n} succeeded)")
    ratio = runs[2]["jobs_per_min"] / runs[1]["jobs_per_min"]
    print(f"throughput, 2 workers vs 1 worker (baseline, same run): {ratio:.2f}x (target >= 1.6x)")
    report = {"slice_templates": SLICE_TEMPLATES, "scaling": runs, "ratio_2_vs_1": round(ratio, 3)}

    if args.full:
        config = BenchConfig(trials=args.full_trials, workers=args.full_workers, out=str(out / "full-reference"))
        n = len(plan_jobs(config))
        wall, records = timed(config)
        write_reports(records, config)
        ok = sum(r["success"] for r in records)
        print(f"full reference run: {n} trials with {args.full_workers} workers in {wall / 60:.1f} min; "
              f"{wall / FULL_BUDGET_S:.2f}x the 15 min budget; success {ok}/{n} = {100 * ok / n:.1f} %")
        report["full"] = {"trials": n, "workers": args.full_workers, "wall_s": round(wall, 1),
                          "budget_ratio": round(wall / FULL_BUDGET_S, 3), "successes": ok}
    (out / "bench_scaling.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
