"""One warm sandbox worker: a sim server in a child Python process, speaking JSON over a socketpair, and what
is known about it (ready reply, exit status, the tail of its log). codebot.sandbox.pool keeps a pool of them."""
from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection

from codebot.registry import runtime_registrations

STARTUP_TIMEOUT_S = 180.0
# Servers die with the thread that started them (parent-death signal), so one long-lived thread
# starts them all: a pool used from a short-lived thread must not lose its servers with it.
_SPAWNER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="codebot-spawner")


class WorkerStartError(RuntimeError):
    """A worker could not build its target; the message carries the worker's own error."""


class WorkerProcess:
    """One sim server: a child Python process speaking JSON over a socketpair."""

    def __init__(self, target: str, config: dict, limits: dict, groups: list[str] | None):
        parent_sock, child_sock = socket.socketpair()
        self.log = tempfile.TemporaryFile(prefix="codebot-worker-")
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        self.t_spawn = time.perf_counter()
        # -P: the user's working directory is not on sys.path, so a local `codebot.sim.py` cannot shadow ours.
        argv = [sys.executable, "-P", "-m", "codebot.sandbox.server", str(child_sock.fileno()), str(os.getpid())]
        self.proc = _SPAWNER.submit(
            subprocess.Popen, argv, pass_fds=(child_sock.fileno(),), stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=self.log, env=env, start_new_session=True, close_fds=True).result()
        child_sock.close()
        self.conn = Connection(os.dup(parent_sock.fileno()))
        parent_sock.close()
        self.ready: dict | None = None
        self.start_error: str | None = None
        self.runs = 0
        # The server is a fresh interpreter: it reads installed plugins' entry points itself, and gets what this
        # process registered at run time (robots, tasks, targets... by "module:attr") from here.
        self._send({"op": "init", "target": target, "config": config, "limits": limits, "groups": groups,
                    "registrations": runtime_registrations()})

    def _send(self, msg: dict) -> None:
        self.conn.send_bytes(json.dumps(msg, default=str).encode())

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT_S) -> dict:
        if self.ready is not None:
            return self.ready
        reply = self.request(None, timeout)
        if reply is None:
            try:  # the channel closes a moment before the exit status can be read: the status says why
                self.proc.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                pass
        if reply is None or reply.get("op") != "ready":
            why = (reply or {}).get("error", {})
            self.start_error = (why.get("message") if why else None) or self.death_reason() or "no reply"
            tb = why.get("traceback", "") if why else ""
            self.kill()
            raise WorkerStartError(f"sandbox worker failed to start: {self.start_error}\n{tb}{self.log_tail()}")
        reply["spawn_to_ready_s"] = time.perf_counter() - self.t_spawn
        self.ready = reply
        return reply

    def request(self, msg: dict | None, timeout: float) -> dict | None:
        """Send `msg` (None: only wait) and return the reply, or None on timeout / death."""
        try:
            if msg is not None:
                self._send(msg)
            deadline = time.monotonic() + timeout
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                if self.conn.poll(min(left, 0.5)):
                    return json.loads(self.conn.recv_bytes())
                if self.proc.poll() is not None and not self.conn.poll(0):
                    return None
        except (EOFError, OSError, ValueError):
            return None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def death_reason(self) -> str | None:
        code = self.proc.poll()
        if code is None:
            return None
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"worker process died with {name}"
        return f"worker process exited with status {code}"

    def log_tail(self, n: int = 2000) -> str:
        try:
            self.log.flush()
            size = self.log.seek(0, os.SEEK_END)
            self.log.seek(max(0, size - n))
            return self.log.read().decode(errors="replace")
        except (OSError, ValueError):
            return ""

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: the worker and anything it started
            except (ProcessLookupError, PermissionError):
                self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()

    def close(self, timeout: float = 5.0) -> None:
        if self.alive():
            self.request({"op": "close"}, timeout)
        self.kill()
        self.log.close()
