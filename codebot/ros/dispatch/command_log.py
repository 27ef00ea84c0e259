"""One trace record per command in `trace_dir/dispatches.jsonl`, whatever became of it.

The final record is appended (atomically, fsync'd) before the command's verdict is published. So
that a command cut short by the death of codebot_node itself still gets its record, each accepted
command is first noted in a small in-flight journal (`trace_dir/inflight/<node>.jsonl`, one append
per event); when the node starts again, every command the journal shows unfinished is recorded as
"interrupted" (with the bag it was recording, if any) and the journal starts afresh.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any


RECORD_FILE = "dispatches.jsonl"
RECORD_KIND = "ros_command"


class CommandLog:
    def __init__(self, trace_dir: str | Path, node_name: str):
        self.trace_dir = Path(trace_dir)
        self.records = self.trace_dir / RECORD_FILE
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", node_name.strip("/")) or "codebot"
        self.journal = self.trace_dir / "inflight" / f"{safe}.jsonl"
        self._lock = threading.Lock()
        self._fd = -1
        self._open: set[str] = set()  # ids accepted and not yet recorded

    # --- the in-flight journal ----------------------------------------------------------------
    def _note(self, event: dict[str, Any]) -> None:
        line = (json.dumps(event, default=str) + "\n").encode()
        with self._lock:
            if event["event"] == "recorded" and event["id"] not in self._open:
                return  # never accepted (rejected at once): nothing in flight to close
            if self._fd < 0:
                self.journal.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            if event["event"] == "accepted":
                self._open.add(event["id"])
            elif event["event"] == "recorded":
                self._open.discard(event["id"])
                if not self._open:  # nothing in flight: the journal starts afresh (it never grows)
                    os.ftruncate(self._fd, 0)
                    return
            os.write(self._fd, line)  # one write(2): a kill of this process never half-writes it

    def accepted(self, command_id: str, instruction: str, ack: dict) -> None:
        self._note({"id": command_id, "event": "accepted", "instruction": instruction, "ack": ack, "t": time.time()})

    def dispatching(self, command_id: str, rosbag: str) -> None:
        self._note({"id": command_id, "event": "dispatching", "rosbag": rosbag, "t": time.time()})

    # --- final records ------------------------------------------------------------------------
    def record(self, verdict: dict[str, Any], note: bool = True) -> str | None:
        """Append the command's one record; returns an error text instead of raising (the verdict
        is still published, and says the record could not be written)."""
        return self.record_many([verdict], note)

    def record_many(self, verdicts: list[dict[str, Any]], note: bool = True) -> str | None:
        """Several commands' records in one locked write and one fsync (a flood of rejections)."""
        try:
            append_lines(self.records, [{"kind": RECORD_KIND, "time": time.time(), **v} for v in verdicts])
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        finally:
            for v in verdicts if note else ():
                if v.get("id"):
                    try:
                        self._note({"id": v["id"], "event": "recorded"})
                    except OSError:
                        pass
        return None

    def recover(self) -> list[dict[str, Any]]:
        """Record every command an earlier run of this node accepted but never finished."""
        if not self.journal.exists():
            return []
        pending: dict[str, dict] = {}
        for line in self.journal.read_text(errors="replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue  # the last line of a crash may be cut short
            cid = event.get("id")
            if not cid:
                continue
            kind = event.get("event")
            if kind == "accepted":
                pending[cid] = {"id": cid, "instruction": event.get("instruction"), "ack": event.get("ack"),
                                "received": event.get("t")}
            elif kind == "dispatching" and cid in pending:
                pending[cid]["rosbag"] = event.get("rosbag")
            elif kind == "recorded":
                pending.pop(cid, None)
        self.close()
        self.journal.unlink(missing_ok=True)
        out = []
        for item in pending.values():
            verdict = {**item, "outcome": "interrupted", "dispatched": bool(item.get("rosbag")),
                       "error": "codebot_node stopped (killed or crashed) before this command finished; "
                                "recorded when it started again"}
            verdict.pop("ack", None)
            if self.record(verdict, note=False) is None:
                out.append(verdict)
        return out

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1


def append_lines(path: Path, records: list[dict[str, Any]]) -> None:
    """Several records under one lock and one fsync (codebot.trace.append_records)."""
    from codebot.trace import append_records

    append_records(path, records)


