"""Warm sandbox workers: pre-started sim servers that have already built their target and their
zygote, so a program process starts in milliseconds. A server that crashes, hangs or is killed is
replaced; the orchestrator (this process) only ever sees a ProgramResult."""
from __future__ import annotations

import atexit
import json
import signal
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

from codebot.sandbox.result import ProgramResult
from codebot.sandbox.validator import ValidationError, validate_code
from codebot.sandbox.worker import STARTUP_TIMEOUT_S, WorkerProcess, WorkerStartError

if TYPE_CHECKING:  # the pool serves every target; only the sim's resets need the task package
    from codebot.checks.check import Check
    from codebot.reset_config import ResetConfig

DEFAULT_LIMITS = {"memory_mb": 1024}
# A worker whose program lost its robot is not reused: its DDS participant can keep a killed robot's stale
# shared-memory state (eProsima/Fast-DDS#5469; seen as a restarted robot's objects never reaching it).
RETIRE_AFTER_ERROR_KINDS = frozenset({"robot_connection", "commander_lost"})
TRUSTED_WORK_MARGIN_S = 60.0  # reset, observation, video encoding and the checker, beyond the program's own time
# RLIMIT_CPU is the backstop behind the server's wall timeout, not a second timeout racing it: a busy
# loop must end as 'timed out', not as a killed process whose half-written message reads as a protocol
# violation.
CPU_LIMIT_MARGIN_S = 1.0
class WorkerPool:
    """`size` warm workers for one target (and one fixed part of its config, e.g. the robot).

    run(code, reset=...) takes an idle worker, resets its target to `reset` (seed, scene), runs the
    program and returns the worker to the pool; a worker that crashed or timed out is killed and a
    fresh one is started in the background.
    """

    def __init__(self, target: str = "sim", config: dict | None = None, size: int = 1,
                 limits: dict | None = None, groups: list[str] | None = None, prestart: bool = True):
        self.target = target
        self.config = dict(config or {})
        self.size = max(1, int(size))
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.groups = groups
        self._idle: list[WorkerProcess] = []
        self._starting: list[WorkerProcess] = []
        self._busy = 0  # taken and not yet given back or replaced
        self._lock = threading.Condition()
        self._closed = False
        self.last_start_error: str | None = None
        self.start_crashes: list[str] = []  # workers that died by a signal while starting (each retried once)
        self.primitive_names: set[str] = set()  # what the workers expose (from their ready message)
        if prestart:
            for _ in range(self.size):
                self._spawn_async()
        _LIVE_POOLS.add(self)

    # ------------------------------------------------------------------------------ worker supply
    def _spawn_async(self) -> None:
        worker = WorkerProcess(self.target, self.config, self.limits, self.groups)
        with self._lock:
            self._starting.append(worker)

        def wait():
            try:
                ready = worker.wait_ready()
                self.primitive_names = set(ready.get("primitives", ()))
                ok = True
            except WorkerStartError as exc:
                self.last_start_error = str(exc)
                ok = False
            with self._lock:
                self._starting.remove(worker)
                if ok and not self._closed:
                    self._idle.append(worker)
                elif ok:
                    worker.close()
                self._lock.notify_all()

        threading.Thread(target=wait, daemon=True, name="codebot-worker-start").start()

    def _take(self, timeout: float = STARTUP_TIMEOUT_S) -> WorkerProcess:
        deadline = time.monotonic() + timeout
        retried = False
        with self._lock:
            while True:
                if self._closed:
                    raise RuntimeError("worker pool is closed")
                while self._idle:
                    worker = self._idle.pop(0)
                    if worker.alive():
                        self._busy += 1
                        return worker
                    worker.kill()
                # Never more than `size` workers: a busy one is waited for, not joined by a fresh one. (A
                # persistent world, the MCP sim robot, is one worker: a second would be a second world.)
                if not self._starting and self._busy < self.size:
                    if self.last_start_error:
                        error, self.last_start_error = self.last_start_error, None
                        # A native crash while starting (seen once in a loaded hunt, in a ros dispatch worker):
                        # no program has run, so one fresh start is safe; the crash stays on record with its
                        # stacks. A second, or a Python error, is the caller's.
                        if retried or "died with SIG" not in error:
                            raise WorkerStartError(error)
                        retried = True
                        self.start_crashes.append(error)
                        print(f"codebot sandbox: a {self.target} worker crashed while starting; starting another\n"
                              f"{error}", file=sys.stderr, flush=True)
                    self._lock.release()
                    try:
                        self._spawn_async()
                    finally:
                        self._lock.acquire()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WorkerStartError(f"no sandbox worker became ready within {timeout:.0f} s")
                self._lock.wait(min(left, 1.0))

    def _give_back(self, worker: WorkerProcess) -> None:
        with self._lock:
            self._busy -= 1
            if self._closed:
                worker.close()
            else:
                self._idle.append(worker)
                self._lock.notify_all()

    def _replace(self, worker: WorkerProcess) -> None:
        worker.kill()
        with self._lock:
            self._busy -= 1
            self._lock.notify_all()
        if not self._closed:
            self._spawn_async()

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        """Block until at least one worker is warm (raises WorkerStartError if none can start)."""
        self._give_back(self._take(timeout))

    # ---------------------------------------------------------------------------------- requests
    def run(self, code: str, reset: ResetConfig | dict | None = None, timeout_s: float = 60.0,
            call_budget: int = 200, cpu_s: float | None = None, check: Check | dict | None = None,
            video: str | None = None, validate: bool = True, snapshot: str | None = None) -> ProgramResult:
        """Run `code` in a fresh program process against a server reset to `reset` (a ResetConfig, or
        a plain dict naming only what changes); `check` (a codebot.checks.check.Check, or its plain
        form) is judged by the server on its own world state after the program ended; `snapshot`, a path
        prefix, has the server write top-camera images before and after (codebot.sandbox.snapshots)."""
        t_call = time.perf_counter()
        if validate:
            try:
                validate_code(code)
            except ValidationError as exc:
                return ProgramResult(ok=False, error=exc.to_dict(), exit_reason="rejected",
                                     timings={"total_s": time.perf_counter() - t_call})
        worker = self._take()
        t_taken = time.perf_counter()
        msg = {"op": "run", "code": code, "reset": plain_reset(reset), "call_budget": int(call_budget),
               "timeout_s": float(timeout_s),
               "cpu_s": float(cpu_s if cpu_s is not None else timeout_s + CPU_LIMIT_MARGIN_S),
               "check": check if check is None or isinstance(check, dict) else check.to_plain(), "video": video,
               "snapshot": snapshot}
        reply = worker.request(msg, timeout_s + TRUSTED_WORK_MARGIN_S)
        t_done = time.perf_counter()
        if reply is not None and reply.get("op") == "result":
            try:
                result = ProgramResult.from_plain(reply)
            except Exception:
                self._replace(worker)  # a reply it cannot read: that server is not used again
                raise
            worker.runs += 1
            if (result.error or {}).get("kind") in RETIRE_AFTER_ERROR_KINDS:
                self._replace(worker)  # the next run connects from a fresh process
            else:
                self._give_back(worker)
        elif reply is not None and reply.get("op") == "error":  # the target itself failed (reset etc.)
            result = ProgramResult(ok=False, error=reply["error"], exit_reason="target_error")
            self._replace(worker)
        else:
            result = self._failure(worker, timeout_s + TRUSTED_WORK_MARGIN_S, t_done - t_taken)
            self._replace(worker)
        result.timings.update({"wait_worker_s": t_taken - t_call, "roundtrip_s": t_done - t_taken,
                               "total_s": time.perf_counter() - t_call})
        return result

    @staticmethod
    def _failure(worker: WorkerProcess, timeout_s: float, elapsed: float) -> ProgramResult:
        """Describe a sim server that gave no reply: it crashed (a primitive or the simulator) or hung."""
        if elapsed < timeout_s:  # the reply channel closed early: give the process a moment to be reaped
            try:
                worker.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        death = worker.death_reason()
        if death is None:  # still running: wall-clock timeout
            worker.kill()
            return ProgramResult(ok=False, crashed=False, exit_reason="timeout", error={
                "type": "TimeoutError", "line": None, "source_line": None,
                "message": f"the sim server did not answer within {timeout_s:.1f} s (a primitive hung); "
                           "it was killed"})
        tail = worker.log_tail()
        if worker.proc.returncode == -signal.SIGKILL:
            reason, message = "crash", f"sim server: {death} (killed, possibly for memory)"
        else:
            reason, message = "crash", f"sim server: {death} while serving the program"
        return ProgramResult(ok=False, crashed=True, exit_reason=reason, worker_log_tail=tail[-1500:],
                             error={"type": "WorkerCrash", "message": message, "line": None,
                                    "source_line": None, "elapsed_s": round(elapsed, 3)})

    def observe(self, reset: ResetConfig | dict | None = None, timeout_s: float = 60.0) -> list[dict]:
        """Objects in the target's scene (ObjectInfo.to_plain records), after resetting it to `reset`
        when given."""
        worker = self._take()
        if reset is not None:
            reply = worker.request({"op": "reset", "config": plain_reset(reset)}, timeout_s)
            if reply is None or reply.get("op") != "reset_done":
                self._replace(worker)
                raise RuntimeError(f"target reset failed: {(reply or {}).get('error') or worker.death_reason()}")
        reply = worker.request({"op": "observe"}, timeout_s)
        if reply is None or reply.get("op") != "observed":
            self._replace(worker)
            raise RuntimeError(f"observe failed: {(reply or {}).get('error') or worker.death_reason()}")
        self._give_back(worker)
        return reply["objects"]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.close()
        deadline = time.monotonic() + 5
        while self._starting and time.monotonic() < deadline:
            time.sleep(0.05)
        for worker in list(self._starting):
            worker.kill()
        _LIVE_POOLS.discard(self)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_LIVE_POOLS: set[WorkerPool] = set()
_SHARED: dict[str, WorkerPool] = {}
_SHARED_LOCK = threading.Lock()
# Config keys a warm worker can change with reset(); the rest decide which pool serves a run.
RESETTABLE_KEYS = ("seed", "scene", "image", "images", "instruction")


def shared_pool(target: str, config: dict | None = None, limits: dict | None = None) -> WorkerPool:
    """The process-wide warm pool for (target, fixed config), created on first use."""
    config = dict(config or {})
    fixed = {k: v for k, v in config.items() if k not in RESETTABLE_KEYS}
    key = json.dumps([target, fixed, limits or {}], sort_keys=True, default=str)
    with _SHARED_LOCK:
        pool = _SHARED.get(key)
        if pool is None or pool._closed:
            pool = _SHARED[key] = WorkerPool(target, config, size=1, limits=limits)
        return pool


def plain_reset(reset: ResetConfig | dict | None) -> dict | None:
    """A reset for the wire: a ResetConfig in its plain form; a plain dict (a partial reset, or one
    for a target with other settings) as it is."""
    return reset if reset is None or isinstance(reset, dict) else reset.to_plain()


def run_program(code: str, target: str = "sim", target_config: dict | None = None, timeout_s: float = 60.0,
                call_budget: int = 200, check: Check | dict | None = None, video: str | None = None,
                limits: dict | None = None, pool: WorkerPool | None = None) -> ProgramResult:
    """Run `code` in a sandboxed worker for `target`, whose scene is first reset to `target_config`."""
    pool = pool or shared_pool(target, target_config, limits)
    return pool.run(code, reset=dict(target_config or {}), timeout_s=timeout_s, call_budget=call_budget,
                    check=check, video=video)


@atexit.register
def _close_all() -> None:
    for pool in list(_LIVE_POOLS):
        try:
            pool.close()
        except Exception:
            pass
