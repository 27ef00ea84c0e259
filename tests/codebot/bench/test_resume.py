"""The run directory's ledger (finished trials survive a killed run; a re-run skips them) and the process
executor re-running the trial of a worker that was killed under it."""
import json

import pytest

from codebot.bench import BenchConfig
from codebot.bench.ledger import LedgerMismatchError, RunLedger, ledger_path
from codebot.bench.plan import Job
from worker_killer import WorkerKiller

KEYS = ("cell", "template_id", "trial", "seed", "layout_seed", "instruction", "success", "verdict", "error")


def _job(trial: int) -> Job:
    return Job("SA/SI", "long_horizon", "seen", 1, trial, 1000 + trial)


def _record(job: Job, **extra) -> dict:
    return {"cell": job.cell, "template_id": job.template_id, "trial": job.trial, "seed": job.seed,
            "success": True, "verdict": "ok", **extra}


def test_ledger_keeps_finished_trials_cuts_a_torn_line_and_reruns_infrastructure_errors(tmp_path):
    config = BenchConfig(out=str(tmp_path))
    jobs = [_job(t) for t in range(4)]
    ledger = RunLedger(config)
    ledger.start(fresh=True)
    ledger.append(_record(jobs[0]))
    ledger.append(_record(jobs[1], verdict="benchmark infrastructure error", success=False))
    ledger.append(_record(jobs[2], success=False))
    ledger.append(_record(jobs[2], success=True, verdict="again"))  # last one per key wins
    ledger.close()
    with open(ledger_path(config), "ab") as fh:
        fh.write(b'{"key": [0, 1, 3], "record": {"cell": "SA/')  # the run was killed mid-write
    done = RunLedger(config).finished(jobs)
    assert sorted(k[2] for k in done) == [0, 2]
    assert done[jobs[2].key]["verdict"] == "again"
    assert ledger_path(config).read_bytes().endswith(b"\n")  # the torn line is gone...
    again = RunLedger(config)
    again.start(fresh=False)
    again.append(_record(jobs[3]))  # ...so the next line is whole
    again.close()
    assert sorted(k[2] for k in RunLedger(config).finished(jobs)) == [0, 2, 3]
    # A trial whose instance seed differs (another plan) is not taken for this one.
    assert RunLedger(config).finished([Job("SA/SI", "long_horizon", "seen", 1, 0, 7)]) == {}


def test_ledger_refuses_trials_of_a_differently_configured_run(tmp_path):
    RunLedger(BenchConfig(out=str(tmp_path), seed=0)).start(fresh=True)
    with pytest.raises(LedgerMismatchError, match="seed.*--no-resume"):
        RunLedger(BenchConfig(out=str(tmp_path), seed=1)).finished([_job(0)])
    # Worker count, executor and the server's address do not change a result: the same run resumes.
    same = BenchConfig(out=str(tmp_path), workers=8, executor="ray", llm_opts={"base_url": "http://x:1/v1"})
    assert RunLedger(same).finished([_job(0)]) == {}


class Counting:
    """An executor wrapper that remembers which jobs it was asked to run."""

    def __init__(self, inner):
        self.inner, self.ran, self.name = inner, [], inner.name

    @property
    def retried(self):
        return self.inner.retried

    def run(self, config, jobs):
        self.ran.extend(jobs)
        yield from self.inner.run(config, jobs)


def _slice(tmp_path, name, **kw):
    return BenchConfig(templates=(1, 7), splits=("SA/SI",), trials=2, out=str(tmp_path / name), **kw)


@pytest.mark.slow
def test_resume_runs_only_the_unfinished_trials_and_gives_the_same_records(tmp_path):
    pytest.importorskip("pybullet")
    from codebot.bench import plan_jobs, run_suite
    from codebot.bench.process_executor import ProcessExecutor

    fresh = run_suite(_slice(tmp_path, "fresh"))
    config = _slice(tmp_path, "resumed", resume=True)
    jobs = plan_jobs(config)
    run_suite(config, jobs[:2])  # a run that stopped half-way
    counting = Counting(ProcessExecutor())
    resumed = run_suite(config, executor=counting)
    assert [j.key for j in counting.ran] == [j.key for j in jobs[2:]]
    assert [{k: r.get(k) for k in KEYS} for r in resumed] == [{k: r.get(k) for k in KEYS} for r in fresh]
    counting = Counting(ProcessExecutor())
    assert run_suite(config, executor=counting) == resumed and counting.ran == []
    lines = ledger_path(config).read_text().splitlines()[1:]
    assert sorted(tuple(json.loads(line)["key"]) for line in lines) == sorted(j.key for j in jobs)


@pytest.mark.slow
def test_a_killed_worker_process_loses_no_trial_and_counts_none_twice(tmp_path):
    pytest.importorskip("pybullet")
    from codebot.bench import run_suite
    from codebot.bench.process_executor import ProcessExecutor

    executor = ProcessExecutor()
    config = _slice(tmp_path, "killed", workers=2)
    with WorkerKiller(executor) as killer:
        records = run_suite(config, executor=executor)
    assert killer.killed and executor.retried == 1
    assert [(r["template_id"], r["trial"]) for r in records] == [(1, 0), (1, 1), (7, 0), (7, 1)]
    assert all(r["success"] and not r["error"] for r in records), records
    lines = ledger_path(config).read_text().splitlines()[1:]
    assert len(lines) == 4 and len({json.dumps(json.loads(x)["key"]) for x in lines}) == 4
