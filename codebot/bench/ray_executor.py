"""The "ray" executor: one Ray actor per worker, each holding a warm sim and sandbox (the same
bench.worker.init_worker / run_job a worker process runs), fed one trial at a time by this driver.

    codebot bench --executor ray --workers 8                         # a local Ray cluster on this host
    codebot bench --executor ray --ray-address auto --workers 32     # the cluster `ray start` joined here
    codebot bench --executor ray --ray-address ray://head:10001      # Ray Client (needs ray[client])

Every node needs codebot installed (same version) with the extras the run uses. Records come back to the
driver, which writes the reports and the resumable ledger in --out; reference-run traces are written by
the workers under the same absolute --out path (shared storage on a multi-node cluster, else on each node).

A worker that dies (node lost, process killed, out of memory) fails its pending call with a RayActorError:
that trial runs again on a replacement actor, at most config.max_retries times, then is recorded as lost.
Actors get trials only once they are up, so a cluster with fewer free CPUs than --workers still finishes.
"""
from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Iterator

from codebot.bench.executors import RetryBook, lost_record
from codebot.bench.plan import BenchConfig, Job
from codebot.extras import require

# Ray reports usage to anyscale.com unless told not to; the benchmark never reaches the network on its own.
QUIET_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_DISABLE_DOCKER_CPU_WARNING": "1"}
LOCAL_OBJECT_STORE_BYTES = 200 * 1024 * 1024  # records are small; keep a local cluster's shared memory small


def import_ray():
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    return require("ray", "ray")


def connect(address: str | None, workers: int) -> bool:
    """Make sure this process is connected to a Ray cluster; True when this call started one (and so the
    caller shuts it down). address None: a local cluster with `workers` CPUs on 127.0.0.1 only."""
    ray = import_ray()
    if ray.is_initialized():
        return False
    common = {"include_dashboard": False, "log_to_driver": False, "logging_level": "WARNING",
              "configure_logging": False}
    if address:
        ray.init(address=address, **common)
    else:
        ray.init(num_cpus=max(1, int(workers)), object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                 _node_ip_address="127.0.0.1", **common)
    return True


class BenchActor:
    """One warm benchmark worker inside a Ray worker process."""

    def __init__(self, config_dict: dict, registrations: list[dict]):
        from codebot.bench import worker as bench_worker
        from codebot.registry import apply_registrations

        apply_registrations(registrations)
        bench_worker.init_worker(config_dict)
        self._worker = bench_worker

    def ready(self) -> int:
        return os.getpid()

    def run(self, job: Job) -> dict:
        return self._worker.run_job(job)

    def close(self) -> None:
        self._worker.close_worker()


class _Actor:
    def __init__(self, handle, ready_ref):
        self.handle, self.ready_ref = handle, ready_ref
        self.pid: int | None = None
        self.job: Job | None = None
        self.ref = None


class RayExecutor:
    name = "ray"

    def __init__(self, num_cpus: float = 1.0):
        self.num_cpus = float(num_cpus)
        self._book = RetryBook(0, 1)
        self._actors: list[_Actor] = []

    @property
    def retried(self) -> int:
        return self._book.retried

    def busy_pids(self) -> list[int]:
        """Worker processes of actors running a trial right now, its answer not yet back (what a fault
        test kills)."""
        ray = import_ray()
        busy = [a for a in self._actors if a.job is not None and a.ref is not None]
        return [a.pid for a in busy if not ray.wait([a.ref], timeout=0)[0]]

    def run(self, config: BenchConfig, jobs: list[Job]) -> Iterator[tuple[Job, dict]]:
        if not jobs:
            return
        ray = import_ray()
        from ray.exceptions import GetTimeoutError, RayActorError, RayError

        from codebot.registry import runtime_registrations

        workers = max(1, min(int(config.workers), len(jobs)))
        started = connect(config.ray_address, workers)
        config_dict = {**config.to_dict(), "out": str(Path(config.out).resolve())}
        remote_cls = ray.remote(num_cpus=self.num_cpus, max_restarts=0, max_task_retries=0)(BenchActor)
        registrations = runtime_registrations()
        book = self._book = RetryBook(config.max_retries, workers)
        pending = deque(jobs)

        def spawn() -> _Actor:
            handle = remote_cls.remote(config_dict, registrations)
            return _Actor(handle, handle.ready.remote())

        self._actors = [spawn() for _ in range(workers)]
        try:
            while pending or any(a.job is not None for a in self._actors):
                for actor in self._actors:
                    if actor.pid is not None and actor.job is None and pending:
                        actor.job = pending.popleft()
                        actor.ref = actor.handle.run.remote(actor.job)
                waiting = {a.ref if a.pid is not None else a.ready_ref: a for a in self._actors
                           if a.pid is None or a.job is not None}
                if not waiting:
                    break
                done, _ = ray.wait(list(waiting), num_returns=1, timeout=5.0)
                for ref in done:
                    actor = waiting[ref]
                    try:
                        value = ray.get(ref)
                    except (RayActorError, RayError) as exc:
                        # The actor is gone (or could not start): its trial runs again on a replacement.
                        self._actors.remove(actor)
                        job, actor.job = actor.job, None
                        try:
                            ray.kill(actor.handle)
                        except Exception:
                            pass
                        if job is not None and not book.worker_died(job):
                            yield job, lost_record(job, f"{book.why_lost(job)} ({type(exc).__name__})")
                        elif job is not None:
                            pending.appendleft(job)
                        if pending and book.may_respawn():
                            self._actors.append(spawn())
                        continue
                    if actor.pid is None:
                        actor.pid = int(value)
                        continue
                    job, actor.job, actor.ref = actor.job, None, None
                    yield job, value
                if not self._actors:
                    while pending:
                        job = pending.popleft()
                        yield job, lost_record(job, book.why_lost(job))
        finally:
            closing = [a.handle.close.remote() for a in self._actors if a.pid is not None]
            try:
                ray.get(closing, timeout=30)
            except (GetTimeoutError, RayError):
                pass
            for actor in self._actors:
                try:
                    ray.kill(actor.handle)
                except Exception:
                    pass
            self._actors = []
            if started:
                ray.shutdown()
