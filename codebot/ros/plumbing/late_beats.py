"""The beat process's log of beats that left late (codebot.ros.plumbing.liveliness): how late the process woke and
how long publish took, so that a lapse's log says which side was slow."""
from __future__ import annotations

import queue
import sys
import threading


class LateBeatLog:
    """Lines about beats that left late, written to `stream` (the commander's stderr: its log) by a thread of
    their own, so that the log of a run whose heartbeat lapsed shows which side was slow. The beat loop only
    queues a line: a stderr pipe nobody drains must never hold up a beat. Lines past `limit` queued are
    dropped."""

    def __init__(self, stream=None, limit: int = 100):
        self.stream = stream
        self.lines: queue.Queue[str] = queue.Queue(maxsize=limit)
        threading.Thread(target=self._write, name="late-beat-log", daemon=True).start()

    def late(self, commander_id: str, seq: int, late_s: float, blocked_s: float) -> None:
        line = f"heartbeat {commander_id}: beat #{seq} woke {late_s:.3f} s late, publish took {blocked_s:.3f} s"
        try:
            self.lines.put_nowait(line)
        except Exception:  # full: the writer is stuck; the beats go on
            pass

    def _write(self) -> None:
        while True:
            line = self.lines.get()
            try:
                print(line, file=self.stream or sys.stderr, flush=True)
            except Exception:  # a closed stderr ends the log, never the beats
                return
