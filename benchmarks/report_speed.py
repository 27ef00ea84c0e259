"""How long `codebot report` takes over a full reference bench run: 1,100 trials (every cell x template x
50 trials), target under 10 s on 2 cores. The bench directory comes from the real bench runner (the
reference policies through the real sandbox and sim server, ~6 min on 2 workers), made once and reused;
the report is then timed as a user runs it (a fresh `codebot report` process, interpreter start
included), with the default embedding (failed trials' pages) and with every trial's page (--episodes all).
It also times one before/after snapshot as the sim server makes it (render + PNG).

    .venv/bin/python benchmarks/report_speed.py                          # makes results/report_speed/ once
    .venv/bin/python benchmarks/report_speed.py --bench-dir results/x    # an existing bench run directory
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 10.0


def ensure_bench(bench: Path, workers: int) -> int:
    """The number of trials in the bench directory, running the full reference bench there if it has none."""
    reports = list(bench.glob("cap-tabletop-reference-a1.json"))
    if not reports:
        print(f"running the full reference bench into {bench} (1100 trials, {workers} workers) ...", flush=True)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "codebot.cli", "bench", "--trials", "50", "--workers", str(workers),
                        "--out", str(bench)], check=True, cwd=ROOT)
        print(f"bench finished in {time.perf_counter() - t0:.0f} s")
        reports = list(bench.glob("cap-tabletop-reference-a1.json"))
    return len(json.loads(reports[0].read_text())["records"])


def time_report(bench: Path, out: Path, episodes: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "codebot.cli", "report", str(bench), "-o", str(out), "--episodes", episodes],
                   check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t0


def snapshot_cost(n: int) -> dict:
    """ms per before/after image as the sim server makes it: a 256x192 top-camera render and its PNG."""
    from codebot.sandbox import snapshots
    from codebot.sim_target import SimTarget

    target = SimTarget({"robot": "ur5e", "seed": 0})
    out = ROOT / "results" / "report_speed_snapshot.png"
    snapshots.write_png(out, target.snapshot_rgb(snapshots.SIZE))  # warm: the encoder's import
    t0 = time.perf_counter()
    frames = [target.snapshot_rgb(snapshots.SIZE) for _ in range(n)]
    t1 = time.perf_counter()
    for rgb in frames:
        snapshots.write_png(out, rgb)
    t2 = time.perf_counter()
    target.close()
    cost = {"render_ms": round(1000 * (t1 - t0) / n, 1), "png_ms": round(1000 * (t2 - t1) / n, 1),
            "png_kb": round(out.stat().st_size / 1e3, 1)}
    print(f"snapshot: render {cost['render_ms']} ms + PNG {cost['png_ms']} ms ({cost['png_kb']} kB) per image, "
          f"mean of {n}")
    return cost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=ROOT / "results" / "report_speed")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--snapshots", type=int, default=20, help="renders to time (0: skip)")
    args = parser.parse_args()
    trials = ensure_bench(args.bench_dir, args.workers)
    print(f"{trials} trials in {args.bench_dir}; {os.cpu_count()} CPU(s)")
    results = {}
    for episodes in ("auto", "all"):
        out = args.bench_dir / f"report-{episodes}.html"
        walls = [time_report(args.bench_dir, out, episodes) for _ in range(args.repeats)]
        results[episodes] = {"wall_s": [round(w, 2) for w in walls], "median_s": round(statistics.median(walls), 2),
                             "size_mb": round(out.stat().st_size / 1e6, 2)}
        print(f"codebot report --episodes {episodes}: median {statistics.median(walls):.2f} s of {args.repeats} "
              f"({', '.join(f'{w:.2f}' for w in walls)}), {results[episodes]['size_mb']} MB "
              f"(target < {TARGET_S:.0f} s)")
    if args.snapshots:
        results["snapshot"] = snapshot_cost(args.snapshots)
    ok = all(r["median_s"] < TARGET_S for r in results.values() if "median_s" in r)
    (args.bench_dir / "report_speed.json").write_text(json.dumps({"trials": trials, "cpus": os.cpu_count(),
                                                                   "target_s": TARGET_S, **results}, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
