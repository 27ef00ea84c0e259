"""`codebot run` wall time on a warm machine (model file in the page cache, the prompt prefix's KV state saved),
the default program prompt against the fixed one (`--no-goal-in-prompt --examples 0`), interleaved in one run.

Each configuration runs once untimed first (it saves its prefix state if it has none), then --reps times,
alternating; wall = the whole CLI process, start to exit, as a user waits for it.

    .venv/bin/python benchmarks/warm_run.py [--reps 3] [--instruction "put the red block in the blue bowl"]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

CONFIGS = {"default prompt": [], "fixed prompt": ["--no-goal-in-prompt", "--examples", "0"]}


def one_run(instruction: str, extra: list[str], trace_dir: str) -> tuple[float, bool]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "codebot.cli", "run", instruction, "--llm", "local",
                          "--trace-dir", trace_dir, *extra], capture_output=True, text=True, timeout=600)
    return time.perf_counter() - t0, out.returncode == 0 and "VERIFIED SUCCESS" in out.stdout


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--instruction", default="put the red block in the blue bowl")
    args = ap.parse_args(argv)
    walls: dict[str, list[float]] = {name: [] for name in CONFIGS}
    with tempfile.TemporaryDirectory() as traces:
        for extra in CONFIGS.values():
            one_run(args.instruction, extra, traces)
        for _ in range(args.reps):
            for name, extra in CONFIGS.items():
                wall, ok = one_run(args.instruction, extra, traces)
                walls[name].append(wall)
                print(f"{name}: {wall:.2f} s{'' if ok else ' (not verified)'}", flush=True)
    med = {name: statistics.median(w) for name, w in walls.items()}
    print(" | ".join(f"{name}: median {m:.2f} s (of {len(walls[name])})" for name, m in med.items())
          + f" | ratio {med['default prompt'] / med['fixed prompt']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
