"""The zygote: a clean process that forks one program process per episode.

Started by the sim server before any untrusted code ran, with an empty environment, in isolated mode
(`python -I`: no user site, no working directory on sys.path) and cwd "/". It imports only what a
program process needs (numpy, the stubs, the lock-down), so a fork costs milliseconds and carries no
world, robot, model or secret. It never runs untrusted code itself; its children do, and it is their
parent and subreaper: `reap` kills a child's whole session and every orphan re-parented here.

Control messages (SOCK_SEQPACKET, JSON, from the trusted sim server only):
  {"op": "spawn", "memory_mb": M, "cpu_s": S} + the program channel as SCM_RIGHTS -> {"pid": P}
  {"op": "reap", "pid": P, "grace_s": G} -> {"status": {"exitcode": C | None, "signal": N | None}}
  {"op": "ping"} -> {"pong": true}
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

# Program processes must not start threads (seccomp refuses clone); numpy's BLAS would.
ZYGOTE_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LC_ALL": "C.UTF-8"}


def _status(raw: int) -> dict:
    if os.WIFSIGNALED(raw):
        return {"exitcode": None, "signal": os.WTERMSIG(raw)}
    return {"exitcode": os.WEXITSTATUS(raw) if os.WIFEXITED(raw) else None, "signal": None}


def _session_members(sid: int) -> list[int]:
    """Processes in session `sid` (a program process that managed to fork would leave them)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid:  # fields after the name: state ppid pgrp session ...
                out.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return out


class Zygote:
    def __init__(self, ctl: socket.socket):
        self.ctl = ctl
        self.devnull = os.open("/dev/null", os.O_RDWR)
        self.children: set[int] = set()

    def spawn(self, msg: dict, fds: list[int]) -> dict:
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            return {"error": "spawn needs exactly one channel descriptor"}
        fd = fds[0]
        pid = os.fork()
        if pid == 0:  # the program process
            try:
                self.ctl.close()
                from codebot.sandbox import lockdown, program

                lockdown.lock_down(fd, self.devnull, msg.get("memory_mb"), msg.get("cpu_s"))
                program.main(3)
            finally:
                os._exit(70)
        os.close(fd)
        self.children.add(pid)
        return {"pid": pid}

    def reap(self, msg: dict) -> dict:
        pid = int(msg.get("pid", 0))
        if pid not in self.children:
            return {"error": f"no child {pid}"}
        deadline = time.monotonic() + float(msg.get("grace_s", 0.0))
        raw = None
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                raw = status
                break
            if time.monotonic() >= deadline:
                break
            time.sleep(0.002)
        # The child's session outlives it only if it forked; kill every member either way.
        for member in _session_members(pid):
            try:
                os.kill(member, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if raw is None:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, raw = os.waitpid(pid, 0)
        self.children.discard(pid)
        self._reap_orphans()
        return {"status": _status(raw)}

    def _reap_orphans(self) -> None:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children.discard(pid)

    def serve(self) -> None:
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self.ctl, 65536, 4)
            except OSError:
                return
            if not data:
                return
            try:
                msg = json.loads(data)
                op = msg.get("op")
                if op == "spawn":
                    reply = self.spawn(msg, fds)
                elif op == "reap":
                    reply = self.reap(msg)
                elif op == "ping":
                    reply = {"pong": True, "pid": os.getpid()}
                else:
                    reply = {"error": f"unknown op {op!r}"}
            except Exception as exc:  # a bug here must not take the zygote down silently
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            self.ctl.send(json.dumps(reply).encode())


def main(argv: list[str]) -> int:
    from codebot.sandbox import lockdown

    lockdown.die_with_parent()
    lockdown.become_subreaper()
    # Everything a program process needs, imported once here so each fork is ready at once.
    import codebot.sandbox.program  # noqa: F401
    import numpy  # noqa: F401

    from codebot.sandbox.safe_env import warm_numpy

    warm_numpy()  # numpy's lazily imported helpers, before any fork: a program has no __import__ to load them

    ctl = socket.socket(fileno=int(argv[1]))
    Zygote(ctl).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
