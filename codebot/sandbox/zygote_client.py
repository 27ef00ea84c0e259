"""The sim server's handle on its zygote: start it clean, ask it to fork and to reap."""
from __future__ import annotations

import json
import socket
import subprocess
import sys

from codebot.sandbox.zygote import ZYGOTE_ENV

REQUEST_TIMEOUT_S = 30.0


class ZygoteError(RuntimeError):
    """The zygote could not start or fork a program process."""


class ZygoteClient:
    def __init__(self):
        self._start()

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # Isolated mode and cwd "/": nothing in the user's working directory or environment can
        # shadow a module or leak into the process that will fork program processes.
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-m", "codebot.sandbox.zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), env=dict(ZYGOTE_ENV), cwd="/", stdin=subprocess.DEVNULL,
            stdout=sys.stderr.fileno(), stderr=sys.stderr.fileno(), close_fds=True)
        theirs.close()
        self.sock = ours
        self.sock.settimeout(REQUEST_TIMEOUT_S)
        self.pid = self.proc.pid

    def _request(self, msg: dict, fds: tuple[int, ...] = ()) -> dict:
        data = json.dumps(msg).encode()
        try:
            if fds:
                socket.send_fds(self.sock, [data], list(fds))
            else:
                self.sock.send(data)
            reply = self.sock.recv(65536)
        except OSError as exc:
            raise ZygoteError(f"the zygote did not answer {msg.get('op')!r}: {exc} "
                              f"(exit status {self.proc.poll()})") from None
        if not reply:
            raise ZygoteError(f"the zygote exited (status {self.proc.wait()})")
        out = json.loads(reply)
        if "error" in out:
            raise ZygoteError(out["error"])
        return out

    def wait_ready(self) -> None:
        self._request({"op": "ping"})

    def spawn(self, channel_fd: int, memory_mb: int | None, cpu_s: float | None) -> int:
        if self.proc.poll() is not None:  # it died (killed from outside): a fresh one, still clean
            self.sock.close()
            self._start()
        return int(self._request({"op": "spawn", "memory_mb": memory_mb, "cpu_s": cpu_s}, (channel_fd,))["pid"])

    def reap(self, pid: int, grace_s: float) -> dict:
        """Wait up to `grace_s` for the program process to exit, then kill its whole session."""
        try:
            return self._request({"op": "reap", "pid": pid, "grace_s": grace_s})["status"]
        except ZygoteError:  # the zygote is gone: its children got SIGKILL from their parent-death signal
            return {"exitcode": None, "signal": 9}

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(timeout=5)
