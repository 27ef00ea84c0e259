"""Where a benchmark's trials run. An Executor takes the jobs still to do and yields each one's record as
it finishes, exactly once per job, in any order; run_suite records, orders and reports them, so results
do not depend on the executor.

    process   W worker processes on this host (the default; one in-process worker when W = 1)
    ray       W Ray actors on a Ray cluster (a local one, or --ray-address auto | ray://host:port)

Both keep one warm sim per worker (bench.worker.init_worker / run_job, the same code), and both re-run a
trial whose worker died under it (up to config.max_retries times, on a fresh worker) before giving it a
"benchmark infrastructure error" record: a killed worker loses no trial and counts none twice.
"""
from __future__ import annotations

from typing import Iterator, Protocol

from codebot.bench.plan import BenchConfig, Job
from codebot.registry import Registry

# name -> "module:Class", imported only when chosen (ray is an optional extra); plugins: "codebot.executors".
EXECUTORS = Registry("executor", "codebot.executors")
EXECUTORS.builtin("process", "codebot.bench.process_executor:ProcessExecutor")
EXECUTORS.builtin("ray", "codebot.bench.ray_executor:RayExecutor")


class Executor(Protocol):
    name: str
    retried: int  # trials re-run because their worker died

    def run(self, config: BenchConfig, jobs: list[Job]) -> Iterator[tuple[Job, dict]]:
        """Yield (job, record) once per job as each finishes; closing the iterator stops the workers."""
        ...


def get_executor(name: str, **options) -> Executor:
    return EXECUTORS.get(name)(**options)  # an unknown name: UnknownNameError (a ValueError) lists the known


def lost_record(job: Job, why: str) -> dict:
    """The record of a trial no worker could finish (never a success; re-run on resume)."""
    return {"cell": job.cell, "category": job.category, "split": job.split, "template_id": job.template_id,
            "trial": job.trial, "seed": job.seed, "success": False, "success_at_turn": None, "turns": 0,
            "verdict": "benchmark infrastructure error", "error": why, "wall_s": 0.0}


class RetryBook:
    """Bounded re-runs of trials whose worker died, and a bound on replacement workers, shared by the
    executors so both count the same way."""

    def __init__(self, max_retries: int, workers: int):
        self.max_retries = max(0, int(max_retries))
        self.deaths: dict[tuple, int] = {}
        self.retried = 0
        self.respawns_left = max(1, workers) * (self.max_retries + 1)

    def worker_died(self, job: Job | None) -> bool:
        """Note a death; True when `job` (the trial it was running) should run again."""
        if job is None:
            return False
        n = self.deaths[job.key] = self.deaths.get(job.key, 0) + 1
        if n > self.max_retries:
            return False
        self.retried += 1
        return True

    def may_respawn(self) -> bool:
        if self.respawns_left <= 0:
            return False
        self.respawns_left -= 1
        return True

    def why_lost(self, job: Job) -> str:
        n = self.deaths.get(job.key, 0)
        return (f"benchmark worker died under this trial {n} time(s)" if n
                else "no benchmark worker left to run this trial")
