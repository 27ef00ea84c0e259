"""Do the 14 template checkers and the goal-spec evaluator agree? For every trial of the suite (the
same instances and layout seeds `codebot bench` draws), the template's reference policy runs in the
sim (codebot.sandbox.WorkerPool) and its before/after scenes are judged twice: by `instance.check`
and by `evaluate_goal(goal_for_instance(instance), ...)`. Every disagreement is listed.

    .venv/bin/python benchmarks/spec_agreement.py --trials 10 --workers 2
    .venv/bin/python benchmarks/spec_agreement.py --trials 1 --splits SA/SI,UA/UI   # one per template
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from codebot.checks.judge import object_infos
from codebot.bench.plan import CELL_NAMES, BenchConfig, Job, plan_jobs
from codebot.checks.goals import evaluate_goal, goal_for_instance, to_text
from codebot.checks.tasks import get_task


def trial(pool, job: Job, config: BenchConfig) -> dict:
    """One suite trial: fair layout, reference policy, both verdicts."""
    task = get_task(job.template_id)
    instance = task.sample(np.random.default_rng(job.seed), job.split)
    scene = {"blocks": list(instance.scene.blocks), "bowls": list(instance.scene.bowls)}
    record = {"cell": job.cell, "template": task.name, "template_id": job.template_id, "trial": job.trial,
              "instruction": instance.instruction, "spec": to_text(goal_for_instance(instance))}
    for attempt in range(config.layout_tries):
        seed = job.layout_seed(config.seed, attempt)
        reset = {"robot": config.robot, "seed": seed, "scene": scene}
        if instance.scene_problem(object_infos(pool.observe(reset=reset, timeout_s=60))) is None:
            break
    else:
        record.update(error="no fair layout", agree=None)
        return record
    result = pool.run(instance.reference_policy(), reset=reset, timeout_s=config.timeout_s,
                      call_budget=config.call_budget)
    before, after = object_infos(result.objects_before), object_infos(result.objects_after)
    checker = instance.check(before, after)
    spec = evaluate_goal(goal_for_instance(instance), before, after)
    record.update(layout_seed=seed, program=result.exit_reason, checker=bool(checker.success),
                  checker_reason=checker.reason, spec_success=bool(spec.success), spec_reason=spec.reason,
                  agree=bool(checker.success) == bool(spec.success))
    return record


def agreement(config: BenchConfig, workers: int = 1, progress=None) -> dict:
    """Run the planned trials; summary counts plus every record."""
    from codebot.sandbox import WorkerPool

    jobs = plan_jobs(config)
    pool = WorkerPool("sim", {"robot": config.robot}, size=workers)
    try:
        with ThreadPoolExecutor(max_workers=workers) as ex:
            records = []
            for rec in ex.map(lambda j: trial(pool, j, config), jobs):
                records.append(rec)
                if progress:
                    progress(rec)
    finally:
        pool.close()
    judged = [r for r in records if r["agree"] is not None]
    return {"trials": len(records), "judged": len(judged),
            "disagreements": sum(not r["agree"] for r in judged),
            "checker_successes": sum(r["checker"] for r in judged),
            "spec_successes": sum(r["spec_success"] for r in judged),
            "records": records}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=10, help="trials per template per split cell")
    ap.add_argument("--splits", default=",".join(CELL_NAMES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--robot", default="ur5e")
    ap.add_argument("--out", default="results/spec_agreement.json")
    args = ap.parse_args(argv)
    config = BenchConfig(splits=tuple(args.splits.split(",")), trials=args.trials, seed=args.seed,
                         robot=args.robot)
    t0 = time.perf_counter()

    def show(r):
        mark = {True: "agree", False: "DISAGREE", None: "skipped"}[r["agree"]]
        print(f"  {r['cell']} t{r['template_id']:02d} #{r['trial']}: {mark} checker={r.get('checker')} "
              f"spec={r.get('spec_success')}  {r['spec']}", flush=True)

    result = agreement(config, args.workers, show)
    result["wall_s"] = round(time.perf_counter() - t0, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "records"}, indent=1))
    for r in result["records"]:
        if r["agree"] is False:
            print(f"DISAGREE {r['template']} {r['instruction']!r}: checker {r['checker_reason']} "
                  f"| spec {r['spec_reason']}")
    return 0 if result["disagreements"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
