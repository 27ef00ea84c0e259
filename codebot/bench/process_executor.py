"""The "process" executor: W spawned worker processes on this host (each owns its own sim, since pybullet
holds the GIL), or the trials in this process when W = 1.

Each worker has its own pipe and the driver hands it one job at a time, so the driver always knows which
trial a worker holds: when a worker dies (killed, out of memory, a crash in native code), that trial runs
again on a fresh worker (bounded by config.max_retries) instead of being lost, and a shared queue's lock
cannot be left held by the dead process.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from multiprocessing.connection import wait
from typing import Iterator

from codebot.bench import worker as bench_worker
from codebot.bench.executors import RetryBook, lost_record
from codebot.bench.plan import BenchConfig, Job
from codebot.registry import apply_registrations, runtime_registrations

_PARENT_POLL_S = 1.0


def _worker_main(config_dict: dict, conn, parent_pid: int, registrations: list[dict]) -> None:
    apply_registrations(registrations)  # a spawned interpreter: what the parent registered at run time
    bench_worker.init_worker(config_dict)
    try:
        while True:
            if not conn.poll(_PARENT_POLL_S):
                if os.getppid() != parent_pid:
                    break  # the run was killed: do not go on as an orphan
                continue
            job = conn.recv()
            if job is None:
                break
            conn.send(bench_worker.run_job(job))
    except (EOFError, OSError, KeyboardInterrupt):
        pass
    finally:
        bench_worker.close_worker()


class _Slot:
    def __init__(self, ctx, config_dict: dict, index: int):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(config_dict, child, os.getpid(), runtime_registrations()),
                                daemon=False, name=f"codebot-bench-{index}")
        self.proc.start()
        child.close()
        self.job: Job | None = None

    def send(self, job: Job) -> bool:
        try:
            self.conn.send(job)
        except (OSError, ValueError):
            return False
        self.job = job
        return True

    def stop(self, timeout: float) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(timeout)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


class ProcessExecutor:
    name = "process"

    def __init__(self, start_method: str = "spawn"):
        self.start_method = start_method
        self._book = RetryBook(0, 1)
        self._slots: list[_Slot] = []

    @property
    def retried(self) -> int:
        return self._book.retried

    def busy_pids(self) -> list[int]:
        """Worker processes running a trial right now, its answer not yet sent (what a fault test kills)."""
        return [s.proc.pid for s in self._slots if s.job is not None and s.proc.is_alive() and not s.conn.poll(0)]

    def run(self, config: BenchConfig, jobs: list[Job]) -> Iterator[tuple[Job, dict]]:
        workers = max(1, min(int(config.workers), len(jobs)))
        if not jobs:
            return
        if workers == 1:
            yield from self._run_here(config, jobs)
        else:
            yield from self._run_pool(config, jobs, workers)

    def _run_here(self, config: BenchConfig, jobs: list[Job]) -> Iterator[tuple[Job, dict]]:
        bench_worker.init_worker(config.to_dict())
        try:
            for job in jobs:
                yield job, bench_worker.run_job(job)
        finally:
            bench_worker.close_worker()

    def _run_pool(self, config: BenchConfig, jobs: list[Job], workers: int) -> Iterator[tuple[Job, dict]]:
        ctx = mp.get_context(self.start_method)
        config_dict = config.to_dict()
        book = self._book = RetryBook(config.max_retries, workers)
        pending = deque(jobs)
        self._slots = [_Slot(ctx, config_dict, i) for i in range(workers)]
        spawned = workers
        try:
            while pending or any(s.job is not None for s in self._slots):
                for slot in self._slots:
                    if slot.job is None and pending and slot.proc.is_alive():
                        job = pending.popleft()
                        if not slot.send(job):
                            pending.appendleft(job)
                if not self._slots:
                    break
                ready = wait([s.conn for s in self._slots] + [s.proc.sentinel for s in self._slots], timeout=5.0)
                for slot in list(self._slots):
                    record = None
                    if slot.conn in ready:
                        try:
                            record = slot.conn.recv()
                        except (EOFError, OSError):
                            record = None
                    if record is not None and slot.job is not None:
                        job, slot.job = slot.job, None
                        yield job, record
                        continue
                    if slot.proc.is_alive() and slot.proc.sentinel not in ready:
                        continue
                    slot.proc.join(1)
                    if slot.proc.is_alive():
                        continue
                    # The worker is gone: its trial runs again (bounded), on a replacement worker.
                    self._slots.remove(slot)
                    slot.conn.close()
                    job, slot.job = slot.job, None
                    if job is not None:
                        if book.worker_died(job):
                            pending.appendleft(job)
                        else:
                            yield job, lost_record(job, book.why_lost(job))
                    if pending and book.may_respawn():
                        self._slots.append(_Slot(ctx, config_dict, spawned))
                        spawned += 1
                if not self._slots:
                    while pending:  # no worker left and none may be started: what remains is lost
                        job = pending.popleft()
                        yield job, lost_record(job, book.why_lost(job))
        finally:
            for slot in self._slots:
                slot.stop(timeout=30)
            self._slots = []
