"""Kill one benchmark worker while it runs a trial, from a thread beside the run (a progress callback is
too late: by the time a record comes back the other workers may be idle between trials)."""
from __future__ import annotations

import os
import signal
import threading
import time


class WorkerKiller:
    """`with WorkerKiller(executor) as k:` SIGKILLs the first worker `executor.busy_pids()` reports (a
    trial in flight, its answer not yet back); `k.killed` holds its pid."""

    def __init__(self, executor, poll_s: float = 0.005, give_up_s: float = 120.0):
        self.executor, self.poll_s, self.give_up_s = executor, poll_s, give_up_s
        self.killed: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="worker-killer")

    def _watch(self) -> None:
        deadline = time.monotonic() + self.give_up_s
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                pids = self.executor.busy_pids()
            except Exception:  # the executor's worker list changed under us: look again
                pids = []
            if pids:
                os.kill(pids[0], signal.SIGKILL)  # the worker process dies as in a crash or an OOM kill
                self.killed.append(pids[0])
                return
            time.sleep(self.poll_s)

    def __enter__(self) -> "WorkerKiller":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
