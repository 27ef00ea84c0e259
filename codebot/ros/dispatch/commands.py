"""Commands arriving at codebot_node: exact decoding, validation, ids, a bounded queue, and the
verdict book that answers "what became of command X" for one client without mixing up another's.

A command is the `data` of a std_msgs/String, either the instruction itself or JSON
{"id": "client-chosen id", "instruction": "...", and optionally the ExecuteInstruction goal's other fields:
"robot", "attempts", "force", "dry_run"} (codebot.ros.dispatch.string_adapter turns it into that goal). Every
command is answered on `ack` at once:
accepted (runs now), queued (with the number of commands ahead of it) or rejected (with the reason:
empty, control characters, too long, bad id, queue full, shutting down). A repeated id is answered
with its first answer again and never runs twice.
"""
from __future__ import annotations

import collections
import json
import re
import struct
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass, field

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
DEFAULT_MAX_BYTES = 2000


class CommandRejected(Exception):
    def __init__(self, reason: str, command_id: str | None = None):
        super().__init__(reason)
        self.reason, self.command_id = reason, command_id


@dataclass
class Command:
    id: str
    instruction: str
    received: float = field(default_factory=time.time)   # wall clock, for records
    t_mono: float = field(default_factory=time.monotonic)
    options: dict = field(default_factory=dict)  # per-command pipeline options (an action goal's force, dry_run)
    goal: dict = field(default_factory=dict)  # a JSON command's ExecuteInstruction goal fields besides instruction


def decode_string_cdr(raw: bytes) -> str:
    """The exact text of a serialized std_msgs/String. Decoding the CDR ourselves (instead of letting
    rclpy build a C string) keeps an embedded NUL visible instead of silently cutting the text."""
    if len(raw) < 8:
        raise CommandRejected("malformed message (shorter than a CDR string)")
    order = "<" if raw[1] & 1 else ">"
    (n,) = struct.unpack(order + "I", raw[4:8])
    body = raw[8:8 + n]
    if n == 0 or len(body) < n:
        return "" if n == 0 else body.decode("utf-8", "replace")
    body = body[:-1] if body.endswith(b"\x00") else body  # the CDR terminator
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandRejected(f"command is not UTF-8 text (byte {exc.start})") from None


def control_character(text: str) -> str | None:
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in ("Cc", "Cf") and ch != " ":
            name = "NUL" if ch == "\x00" else f"U+{ord(ch):04X}"
            return f"command contains a control character ({name} at index {i})"
    return None


_LEADING_ID = re.compile(r'^\s*\{\s*"id"\s*:\s*"([A-Za-z0-9_.:-]{1,64})"')


def parse_command(text: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Command:
    """A Command from the message text, or CommandRejected saying exactly what is wrong. A command
    rejected for its size or a control character keeps a leading JSON "id", so its sender can match."""
    size = len(text.encode("utf-8"))
    stripped = text.strip()
    problem = (f"command too long ({size} bytes > max_command_bytes {max_bytes})" if size > max_bytes
               else control_character(stripped))
    if problem:
        lead = _LEADING_ID.match(text[:200])
        raise CommandRejected(problem, lead.group(1) if lead else None)
    command_id = None
    instruction, goal = text, {}
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except ValueError as exc:
            raise CommandRejected(f"command looks like JSON but does not parse: {exc.msg}") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("instruction"), str):
            raise CommandRejected('a JSON command needs {"instruction": "...", "id": "..."}')
        command_id = obj.get("id")
        if command_id is not None and (not isinstance(command_id, str) or not ID_PATTERN.match(command_id)):
            raise CommandRejected("command id must be 1-64 characters of [A-Za-z0-9_.:-]")
        instruction = obj["instruction"]
        goal = goal_fields(obj, command_id)
    problem = control_character(instruction.strip())
    if problem:
        raise CommandRejected(problem, command_id)
    instruction = instruction.strip()
    if not instruction:
        raise CommandRejected("empty command", command_id)
    return Command(id=command_id or new_command_id(), instruction=instruction, goal=goal)


GOAL_FIELD_TYPES = {"robot": str, "attempts": int, "force": bool, "dry_run": bool}


def goal_fields(obj: dict, command_id: str | None) -> dict:
    """The ExecuteInstruction goal fields a JSON command carries, type-checked here (their ranges are the action
    server's to check, as for a goal)."""
    fields = {}
    for name, kind in GOAL_FIELD_TYPES.items():
        if name not in obj:
            continue
        value = obj[name]
        # bool is an int in Python: "attempts": true is refused, as the goal's int32 would be
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise CommandRejected(f"command field {name!r} must be {kind.__name__}, got {json.dumps(value)[:40]}",
                                  command_id)
        if kind is int and not -2**31 <= value < 2**31:  # past the goal field int32 (the 0-10 range: the server)
            raise CommandRejected(f"command field {name!r} is out of range: {str(value)[:40]}", command_id)
        fields[name] = value
    return fields


def new_command_id() -> str:
    return time.strftime("cmd-%H%M%S-") + uuid.uuid4().hex[:8]


class CommandQueue:
    """At most one running command plus `depth` waiting ones; offer() never blocks, take() does."""

    def __init__(self, depth: int):
        if depth < 0:
            raise ValueError(f"queue_depth must be >= 0, got {depth}")
        self.depth = depth
        self._waiting: collections.deque[Command] = collections.deque()
        self._running: Command | None = None
        self._closed = False
        self._cond = threading.Condition()

    def offer(self, cmd: Command) -> tuple[str, int, str]:
        """(state, position, reason): accepted/queued with the number of commands ahead, or rejected."""
        with self._cond:
            if self._closed:
                return "rejected", -1, "codebot_node is shutting down"
            ahead = len(self._waiting) + (self._running is not None)
            if ahead > self.depth:  # one runs (or is about to), `depth` wait behind it
                return "rejected", -1, f"queue full ({ahead} commands ahead, queue_depth={self.depth})"
            self._waiting.append(cmd)
            self._cond.notify_all()
            return ("accepted" if ahead == 0 else "queued"), ahead, ""

    def take(self, timeout: float | None = None) -> Command | None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._waiting or self._closed, timeout):
                return None
            if not self._waiting:
                return None
            self._running = self._waiting.popleft()
            return self._running

    def remove(self, command_id: str) -> Command | None:
        """Take a waiting command out of the queue (a canceled goal); None if it is not waiting (it runs
        already, finished, or never came)."""
        with self._cond:
            for cmd in self._waiting:
                if cmd.id == command_id:
                    self._waiting.remove(cmd)
                    return cmd
            return None

    def done(self) -> None:
        with self._cond:
            self._running = None

    def close(self) -> list[Command]:
        """Stop accepting; returns the commands that were still waiting (they must be answered)."""
        with self._cond:
            self._closed = True
            left, self._waiting = list(self._waiting), collections.deque()
            self._cond.notify_all()
            return left


class VerdictBook:
    """id -> latest state (the ack, then "running", then the verdict), for keyed waits and repeats."""

    def __init__(self, keep: int = 2000):
        self._entries: collections.OrderedDict[str, dict] = collections.OrderedDict()
        self._keep = keep
        self._cond = threading.Condition()

    def ack_of(self, command_id: str) -> dict | None:
        with self._cond:
            entry = self._entries.get(command_id)
            return entry["ack"] if entry else None

    def set_ack(self, command_id: str, ack: dict) -> None:
        """The first answer for an id (a later one for the same id is ignored)."""
        with self._cond:
            if command_id in self._entries:
                return
            self._entries[command_id] = {"ack": ack, "state": ack["state"], "verdict": None}
            while len(self._entries) > self._keep:
                self._entries.popitem(last=False)

    def set_state(self, command_id: str, state: str) -> None:
        with self._cond:
            if command_id in self._entries:
                self._entries[command_id]["state"] = state

    def finish(self, command_id: str, verdict: dict) -> None:
        with self._cond:
            entry = self._entries.setdefault(command_id, {"ack": None})
            entry.update(state="done", verdict=verdict)
            self._cond.notify_all()

    def wait(self, command_id: str, timeout: float) -> dict:
        """The verdict of that command, or {"id", "state": queued/running/unknown} after `timeout`."""
        with self._cond:
            self._cond.wait_for(lambda: (self._entries.get(command_id) or {}).get("verdict") is not None
                                or command_id not in self._entries, timeout)
            entry = self._entries.get(command_id)
            if entry is None:
                return {"id": command_id, "state": "unknown", "error": f"no command with id {command_id!r}"}
            if entry.get("verdict") is not None:
                return entry["verdict"]
            return {"id": command_id, "state": entry["state"], "pending": True}
