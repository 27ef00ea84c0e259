"""Run a plan of jobs in W worker processes (spawned; each owns its own sim, since pybullet holds the
GIL) and collect one record per job, sorted by (cell, template, trial) whatever the worker count."""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time
from typing import Callable

from codebot.bench.plan import BenchConfig, Job, plan_jobs
from codebot.bench import worker as bench_worker
from codebot.registry import apply_registrations, runtime_registrations

Progress = Callable[[dict, int, int], None]  # (record, done, total)


def _process_main(config_dict: dict, jobs: "mp.Queue", results: "mp.Queue", parent_pid: int,
                  registrations: list[dict]) -> None:
    apply_registrations(registrations)  # a spawned interpreter: what the parent registered at run time
    bench_worker.init_worker(config_dict)
    try:
        while True:
            if os.getppid() != parent_pid:
                break  # the run was killed: do not go on with its queue as an orphan
            job = jobs.get()
            if job is None:
                break
            results.put(("start", job, None))
            results.put(("done", job, bench_worker.run_job(job)))
    finally:
        bench_worker.close_worker()


def _lost(job: Job, why: str) -> dict:
    return {"cell": job.cell, "category": job.category, "split": job.split, "template_id": job.template_id,
            "trial": job.trial, "seed": job.seed, "success": False, "success_at_turn": None, "turns": 0,
            "verdict": "benchmark infrastructure error", "error": why, "wall_s": 0.0}


def run_suite(config: BenchConfig, jobs: list[Job] | None = None, progress: Progress | None = None) -> list[dict]:
    jobs = list(jobs if jobs is not None else plan_jobs(config))
    workers = max(1, min(int(config.workers), len(jobs)))
    records: dict[tuple, dict] = {}
    if workers == 1:
        bench_worker.init_worker(config.to_dict())
        try:
            for job in jobs:
                records[job.key] = bench_worker.run_job(job)
                if progress:
                    progress(records[job.key], len(records), len(jobs))
        finally:
            bench_worker.close_worker()
        return [records[j.key] for j in sorted(jobs, key=lambda j: j.key)]

    ctx = mp.get_context("spawn")
    job_q, result_q = ctx.Queue(), ctx.Queue()
    for job in jobs:
        job_q.put(job)
    for _ in range(workers):
        job_q.put(None)
    procs = [ctx.Process(target=_process_main, args=(config.to_dict(), job_q, result_q, os.getpid(),
                                                            runtime_registrations()), daemon=False,
                         name=f"codebot-bench-{i}") for i in range(workers)]
    for p in procs:
        p.start()
    in_flight: dict[str, Job] = {}  # worker-independent: keyed by job key text
    try:
        while len(records) < len(jobs):
            try:
                kind, job, record = result_q.get(timeout=2.0)
            except queue.Empty:
                if not any(p.is_alive() for p in procs):
                    # Every worker is gone: whatever has no record was lost with them.
                    for job in jobs:
                        if job.key not in records:
                            records[job.key] = _lost(job, "benchmark worker process died")
                            if progress:
                                progress(records[job.key], len(records), len(jobs))
                continue
            if kind == "start":
                in_flight[str(job.key)] = job
                continue
            in_flight.pop(str(job.key), None)
            records[job.key] = record
            if progress:
                progress(record, len(records), len(jobs))
    finally:
        deadline = time.monotonic() + 30
        for p in procs:
            p.join(timeout=max(0.1, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(5)
    return [records[j.key] for j in sorted(jobs, key=lambda j: j.key)]
