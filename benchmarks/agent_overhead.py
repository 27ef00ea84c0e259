"""Agent overhead, measured in one run (issue 4):

1. sandbox start: cold worker (spawn -> target built -> ready) and warm start (run() call -> program
   starts executing; target <= 0.3 s);
2. per-primitive-call overhead in the sandbox vs a direct in-process call of the same primitive;
3. local-backend tok/s vs raw xllamacpp tok/s on the same loaded model and prompt (target >= 0.9);
4. NL -> verified policy time with LLM time excluded (target <= 1 s), vs running the same program
   directly in-process on the sim (the baseline, no sandbox / prompt / checker);
5. sandbox v2 (issue 11), each against the sandbox of --baseline-rev measured in the same run (that
   revision is checked out into a temporary git worktree and measured by its own copy of this script):
   episode start (run() -> program process reported, fork from the zygote included; target <= 0.05 s),
   primitive call round trip (target <= 200 us), and with --suite-trials N the reference suite's wall
   time (`codebot bench --llm reference`, target <= 1.3x the baseline's).

Usage: .venv/bin/python benchmarks/agent_overhead.py [--skip-llm] [--reps N]
       [--baseline-rev 6312fec] [--suite-trials 2 --suite-workers 2]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

INSTRUCTION = "put the red block in the blue bowl"
PROGRAM = "put_first_on_second('red block', 'blue bowl')"
SCENE = {"blocks": ["red", "blue"], "bowls": ["blue", "red"]}


def bench_sandbox_start(reps: int) -> dict:
    from codebot.sandbox import WorkerPool

    t0 = time.perf_counter()
    pool = WorkerPool("sim", {"robot": "ur5e", "seed": 0, "scene": SCENE}, size=1)
    pool.wait_ready()
    cold = time.perf_counter() - t0
    warm, episode, spawn = [], [], []
    for i in range(reps):
        r = pool.run("x = 1", reset={"seed": i, "scene": SCENE})
        # from the run() call until the program's first line runs: take worker + reset + observe + send
        warm.append(r.timings["total_s"] - r.timings.get("exec_s", 0.0))
        # a whole episode of a trivial program, scene reset and observation excluded: in v2 the fork
        # from the zygote, the lock-down, the program and its report, the reap
        episode.append(r.timings["total_s"] - r.timings.get("reset_s", 0.0) - r.timings.get("observe_s", 0.0))
        spawn.append(r.timings.get("spawn_s", float("nan")))
    return {"pool": pool, "cold_start_s": cold, "warm_start_s": statistics.median(warm),
            "episode_start_s": statistics.median(episode), "zygote_fork_s": statistics.median(spawn)}


def bench_call_overhead(pool, n: int) -> dict:
    from codebot import primitives
    from codebot import sim
    from codebot.primitives import context
    from codebot.primitives.registry import allowed_names

    primitives.load_all()
    env = sim.make("tabletop", robot="ur5e", seed=0, scene=sim_scene())
    context.bind(env.backend())
    fn = allowed_names()["get_obj_pos"]
    # Interleaved, best of 3 each: the machine is shared, the minimum is the least disturbed figure.
    direct_runs, sandbox_runs = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(n):
            fn("red block")
        direct_runs.append((time.perf_counter() - t0) / n)
        r = pool.run(f"for i in range({n}):\n    get_obj_pos('red block')", reset={"seed": 0, "scene": SCENE},
                     call_budget=n + 10)
        assert r.ok, r.error
        sandbox_runs.append(r.timings["exec_s"] / n)
    env.close()
    direct, sandboxed = min(direct_runs), min(sandbox_runs)
    return {"direct_call_us": direct * 1e6, "sandbox_call_us": sandboxed * 1e6,
            "call_overhead_us": (sandboxed - direct) * 1e6, "call_ratio": sandboxed / direct}


def sim_scene():
    from codebot.checks.scene import SceneSpec

    return SceneSpec(blocks=tuple(SCENE["blocks"]), bowls=tuple(SCENE["bowls"]))


def bench_tokens(reps: int, max_tokens: int) -> dict:
    from codebot.llm import make_llm

    llm = make_llm("local")
    prompt = "# Python: helper functions for a robot that stacks blocks\n" + "\n".join(
        f"# block {i} sits at x={i * 0.05:.2f}" for i in range(20)) + "\ndef stack_all(blocks):\n"
    request = {"prompt": prompt, "max_tokens": max_tokens, "temperature": 0.0, "top_k": 1, "seed": 0,
               "cache_prompt": True, "ignore_eos": True}
    llm.server.handle_completions(dict(request))  # fill the prompt cache: both sides then only generate
    raw, wrapped = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        reply = llm.server.handle_completions(dict(request))
        raw.append(reply["usage"]["completion_tokens"] / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        llm.complete(prompt, max_tokens=max_tokens, temperature=0.0)
        wrapped.append(llm.last_stats["completion_tokens"] / (time.perf_counter() - t0))
    r, w = statistics.median(raw), statistics.median(wrapped)
    return {"raw_tok_s": r, "backend_tok_s": w, "tok_s_ratio": w / r}


def bench_nl_to_verified(reps: int) -> dict:
    from codebot import primitives
    from codebot import sim
    from codebot.agent import Agent, AgentConfig
    from codebot.llm import make_llm
    from codebot.primitives import context

    # Baseline: the same program executed directly in-process on a fresh scene, no agent around it.
    primitives.load_all()
    from codebot.primitives.registry import allowed_names

    env = sim.make("tabletop", robot="ur5e", seed=0, scene=sim_scene())
    context.bind(env.backend())
    base = []
    for i in range(reps):
        env.reset(seed=i, scene=sim_scene())
        t0 = time.perf_counter()
        exec(PROGRAM, dict(allowed_names()))
        base.append(time.perf_counter() - t0)
    env.close()
    llm = make_llm("replay", entries=[{"when_contains": [f"# {INSTRUCTION}."], "completion": PROGRAM}])
    with tempfile.TemporaryDirectory() as traces, \
            Agent(AgentConfig(llm="replay", trace_dir=traces), llm=llm) as agent:
        agent.pool.wait_ready()
        non_llm, parts, ok = [], [], True
        for i in range(reps):
            agent.config.seed = i
            ep = agent.run(INSTRUCTION)
            ok = ok and ep.success
            non_llm.append(ep.timings["non_llm_s"])
            parts.append(ep.timings)
    med = min(non_llm)  # least-disturbed run on a shared machine; the median is printed too
    base_med = min(base)
    return {"nl_to_verified_s": med, "nl_to_verified_median_s": statistics.median(non_llm),
            "direct_program_s": base_med, "nl_ratio": med / base_med,
            "agent_overhead_s": med - base_med, "all_verified": ok,
            "breakdown": {k: round(statistics.median(p[k] for p in parts), 4) for k in parts[0]}}


def bench_reference_suite(trials: int, workers: int, cwd: Path) -> tuple[float, str]:
    """Wall time of `codebot bench --llm reference` run from the checkout at `cwd`, and its successes."""
    import os
    import subprocess

    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "PYTHONPATH": str(cwd)}
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "codebot.cli", "bench", "--suite", "cap-tabletop", "--llm",
                               "reference", "--trials", str(trials), "--workers", str(workers), "--out", out],
                              cwd=cwd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        records = [r for f in Path(out).glob("*.json") for r in json.loads(f.read_text()).get("records", [])]
    if done.returncode != 0 and not records:
        raise RuntimeError(f"reference suite failed in {cwd}: {done.stdout[-1500:]}{done.stderr[-1500:]}")
    ok = sum(bool(r.get("success")) for r in records)
    failed = sorted({f"t{r.get('template_id')} {r.get('cell')}" for r in records if not r.get("success")})
    return wall, f"{ok}/{len(records)}" + (f" (failed: {', '.join(failed)})" if failed else "")


def measure_baseline(rev: str, reps: int, calls: int, suite_trials: int, suite_workers: int) -> dict:
    """The same sandbox measurements with the code of `rev`, in a temporary git worktree."""
    import os
    import subprocess

    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=repo, check=True,
                       capture_output=True)
        try:
            out_json = Path(tmp) / "baseline.json"
            env = {**os.environ, "PYTHONPATH": str(tree)}  # ahead of the editable install of this checkout
            subprocess.run([sys.executable, str(tree / "benchmarks" / "agent_overhead.py"), "--skip-llm",
                            "--reps", str(reps), "--calls", str(calls), "--json", str(out_json)],
                           cwd=tree, env=env, check=True, capture_output=True, text=True)
            base = json.loads(out_json.read_text())
            if suite_trials:
                base["suite_wall_s"], base["suite_success"] = bench_reference_suite(suite_trials, suite_workers, tree)
            return base
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=repo, capture_output=True)


_FIRST_PROGRAM = """
import json, sys, time
from codebot.agent import Agent, AgentConfig
with Agent(AgentConfig(llm="local", attempts=1, trace_dir=sys.argv[1])) as agent:
    gen = agent.generator  # loads the model, then restores or computes the prompt prefix
    scene = [{"name": "red block"}, {"name": "blue bowl"}]
    messages = gen.program_messages("put the red block in the blue bowl", scene)
    code = gen.generate(messages, "put the red block in the blue bowl")
    print(json.dumps({"ready_unix": time.time(), "prefix": agent.llm.last_prefix_stats, "code": code}))
"""


def bench_cold_start() -> dict:
    """A fresh process (interpreter start -> model loaded -> first program written), once with no saved
    prompt-prefix state (it computes and saves it) and once restoring that state; same machine, same run."""
    import os
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CODEBOT_PREFIX_STATE_DIR": str(Path(tmp) / "kv")}
        runs = []
        for _ in range(2):
            t0 = time.time()
            done = subprocess.run([sys.executable, "-c", _FIRST_PROGRAM, str(Path(tmp) / "traces")], env=env,
                                  capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                raise RuntimeError(done.stderr[-2000:])
            info = json.loads(done.stdout.strip().splitlines()[-1])
            runs.append({"first_program_s": info["ready_unix"] - t0, "prefix": info["prefix"], "code": info["code"]})
    cold, warm = runs
    return {"cold_first_program_s": cold["first_program_s"], "restored_first_program_s": warm["first_program_s"],
            "cold_start_speedup": cold["first_program_s"] / warm["first_program_s"],
            "prefix_saved": cold["prefix"], "prefix_restored": warm["prefix"],
            "same_program": cold["code"] == warm["code"]}


_REPAIR_CASE = ("put the red block in the blue bowl", "put_first_on_second('blue bowl', 'red block')\n",
                "Turn 1 failed: the check 'red block in blue bowl' does not hold: red block is 0.21 m from blue bowl. "
                "The program picked up 'blue bowl' and put it on 'red block'.")


def bench_candidates(k: int, reps: int) -> dict:
    """A repair turn's LLM time: one greedy candidate (one slot) vs k candidates (greedy + sampled) decoded
    together in k parallel slots; the same prompt, both models warm with the prompt prefix in every slot."""
    from codebot.agent import Agent, AgentConfig

    instruction, wrong, feedback = _REPAIR_CASE
    scene = [{"name": "red block"}, {"name": "blue bowl"}]
    out: dict = {"candidates": k}
    with tempfile.TemporaryDirectory() as tmp:
        for label, n in (("one", 1), ("parallel", k)):
            with Agent(AgentConfig(llm="local", candidates=n, trace_dir=tmp)) as agent:
                gen = agent.generator
                temps = [0.0] + [agent.config.candidate_temperature] * (n - 1)
                walls, tokens = [], []
                for rep in range(reps):
                    # every repair turn brings new feedback: a prompt tail the cache has not seen
                    messages = gen.repair_messages(gen.program_messages(instruction, scene), wrong,
                                                   feedback.replace("0.21 m", f"0.{21 + rep} m"))
                    before = len(gen.calls)
                    t0 = time.perf_counter()
                    gen.complete_many(messages, "repair", temps, prefix=gen.query_prefix)
                    walls.append(time.perf_counter() - t0)
                    tokens.append(sum(c.stats.get("completion_tokens") or 0 for c in gen.calls[before:]))
                out[f"{label}_llm_s"] = statistics.median(walls)
                out[f"{label}_tokens"] = statistics.median(tokens)
    out["parallel_vs_one"] = out["parallel_llm_s"] / out["one_llm_s"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--tokens", type=int, default=32)
    ap.add_argument("--skip-llm", action="store_true")
    ap.add_argument("--baseline-rev", help="git revision whose sandbox is the baseline (e.g. 6312fec)")
    ap.add_argument("--suite-trials", type=int, default=0, help="also time the reference suite at N trials/cell")
    ap.add_argument("--suite-workers", type=int, default=2)
    ap.add_argument("--cold-start", action="store_true",
                    help="also time a fresh process to its first program, without and with a saved prompt prefix")
    ap.add_argument("--candidates", type=int, default=0,
                    help="also time K candidates in parallel slots vs one candidate on a repair prompt")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    out: dict = {}
    start = bench_sandbox_start(args.reps)
    pool = start.pop("pool")
    out.update(start)
    out.update(bench_call_overhead(pool, args.calls))
    pool.close()
    out.update(bench_nl_to_verified(args.reps))
    if not args.skip_llm:
        out.update(bench_tokens(max(3, args.reps // 2), args.tokens))
    if args.cold_start:
        out.update(bench_cold_start())
    if args.candidates > 1:
        out.update(bench_candidates(args.candidates, max(2, args.reps // 2)))
    if args.suite_trials:
        out["suite_wall_s"], out["suite_success"] = bench_reference_suite(args.suite_trials, args.suite_workers,
                                                                          Path(__file__).resolve().parents[1])
    base = (measure_baseline(args.baseline_rev, args.reps, args.calls, args.suite_trials, args.suite_workers)
            if args.baseline_rev else None)
    print(f"sandbox cold start (spawn -> sim built):      {out['cold_start_s']:.3f} s")
    print(f"sandbox warm start (run() -> program starts): {out['warm_start_s']:.3f} s   (target <= 0.3 s)")
    print(f"primitive call: direct {out['direct_call_us']:.1f} us, sandboxed {out['sandbox_call_us']:.1f} us "
          f"-> overhead {out['call_overhead_us']:.1f} us/call, ratio {out['call_ratio']:.2f}x vs direct")
    if "tok_s_ratio" in out:
        print(f"local backend {out['backend_tok_s']:.2f} tok/s vs raw xllamacpp {out['raw_tok_s']:.2f} tok/s "
              f"-> ratio {out['tok_s_ratio']:.3f}   (target >= 0.9)")
    print(f"NL -> verified policy, LLM excluded: {out['nl_to_verified_s']:.3f} s vs direct program run "
          f"{out['direct_program_s']:.3f} s -> ratio {out['nl_ratio']:.2f}x (+{out['agent_overhead_s']:.3f} s); "
          f"target <= 1 s; median {out['nl_to_verified_median_s']:.3f} s; all verified: {out['all_verified']}")
    print("  breakdown (median):", json.dumps(out["breakdown"]))
    if "cold_start_speedup" in out:
        print(f"cold run -> first program: {out['cold_first_program_s']:.1f} s without a saved prefix (computes and "
              f"saves {out['prefix_saved'].get('tokens')} tokens) vs {out['restored_first_program_s']:.1f} s restoring "
              f"it ({out['prefix_restored'].get('seconds')} s) -> {out['cold_start_speedup']:.2f}x   (target >= 3x); "
              f"same program: {out['same_program']}")
    if "parallel_vs_one" in out:
        print(f"repair turn LLM time: {out['candidates']} candidates in parallel slots {out['parallel_llm_s']:.1f} s "
              f"({out['parallel_tokens']:.0f} tokens) vs one candidate {out['one_llm_s']:.1f} s "
              f"({out['one_tokens']:.0f} tokens) -> {out['parallel_vs_one']:.2f}x   (target <= 1.6x)")
    if "episode_start_s" in out:
        print(f"episode start (run() -> program reported, zygote fork {out['zygote_fork_s'] * 1e3:.1f} ms): "
              f"{out['episode_start_s']:.4f} s   (target <= 0.05 s)")
    if base is not None:
        out["baseline"] = base
        old_episode = base.get("episode_start_s", base["warm_start_s"])
        print(f"vs {args.baseline_rev} (same run): episode start {out['episode_start_s']:.4f} s vs "
              f"{old_episode:.4f} s ({out['episode_start_s'] / old_episode:.2f}x); primitive call round trip "
              f"{out['sandbox_call_us']:.1f} us vs {base['sandbox_call_us']:.1f} us "
              f"({out['sandbox_call_us'] / base['sandbox_call_us']:.2f}x; target <= 200 us); "
              f"NL -> verified {out['nl_to_verified_s']:.3f} s vs {base['nl_to_verified_s']:.3f} s")
        if "suite_wall_s" in out and "suite_wall_s" in base:
            print(f"reference suite ({args.suite_trials} trials/cell, {args.suite_workers} workers): "
                  f"{out['suite_wall_s']:.1f} s vs {base['suite_wall_s']:.1f} s -> "
                  f"{out['suite_wall_s'] / base['suite_wall_s']:.2f}x   (target <= 1.3x); successes "
                  f"{out['suite_success']} vs {base['suite_success']}")
    elif "suite_wall_s" in out:
        print(f"reference suite ({args.suite_trials} trials/cell): {out['suite_wall_s']:.1f} s, {out['suite_success']}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
