"""Suite throughput of `codebot bench` with 1 vs 2 worker processes (target: >= 1.6x), and the wall
time of the full reference run (every cell x template x 50 trials; target: <= 15 min on 2 cores).

    .venv/bin/python benchmarks/bench_scaling.py                # scaling on a fixed slice
    .venv/bin/python benchmarks/bench_scaling.py --full         # plus the full reference run

Both worker counts run the same jobs (same seeds), measured in this run; the figure printed is the
ratio against the 1-worker baseline. Results also land in benchmarks/results/ as JSON.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=4, help="trials per template and cell in the slice")
    ap.add_argument("--full", action="store_true", help="also time the full reference run")
    ap.add_argument("--full-trials", type=int, default=50)
    ap.add_argument("--full-workers", type=int, default=2)
    ap.add_argument("--out", default="benchmarks/results")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"cpu cores visible: {os.cpu_count()}")

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
