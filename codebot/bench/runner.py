"""Run a plan of jobs on an executor (worker processes on this host, or Ray actors on a cluster) and collect
one record per job, sorted by (cell, template, trial) whatever the executor or worker count. Every finished
trial is appended to the run directory's ledger as it arrives; with config.resume a re-run skips them."""
from __future__ import annotations

import json
from typing import Callable

from codebot.bench.executors import Executor, get_executor
from codebot.bench.ledger import RunLedger
from codebot.bench.plan import BenchConfig, Job, plan_jobs

Progress = Callable[[dict, int, int], None]  # (record, done, total)


def run_suite(config: BenchConfig, jobs: list[Job] | None = None, progress: Progress | None = None,
              executor: Executor | None = None) -> list[dict]:
    """Run `jobs` (default: the whole plan) and return their records in plan order. `executor` defaults to
    config.executor. Records are plain JSON data, the same whether a trial ran now or was resumed."""
    jobs = list(jobs if jobs is not None else plan_jobs(config))
    ledger = RunLedger(config)
    records: dict[tuple, dict] = ledger.finished(jobs) if config.resume else {}
    ledger.start(fresh=not config.resume)
    if progress:
        for done, key in enumerate(sorted(records), 1):
            progress(records[key], done, len(jobs))
    todo = [job for job in jobs if job.key not in records]
    executor = executor if executor is not None else get_executor(config.executor)
    runs = executor.run(config, todo)
    try:
        for job, record in runs:
            if job.key in records:
                continue  # a duplicate delivery (a worker that died after answering): counted once
            record = json.loads(json.dumps(record, default=str))
            records[job.key] = record
            ledger.append(record)  # infrastructure errors too: the ledger runs them again on resume
            if progress:
                progress(record, len(records), len(jobs))
    finally:
        close = getattr(runs, "close", None)
        if close:
            close()
        ledger.close()
    return [records[j.key] for j in sorted(jobs, key=lambda j: j.key)]
