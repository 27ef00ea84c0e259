"""What one sandboxed run produced, as plain data the feedback writer and the trace can use."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ProgramResult:
    ok: bool
    # {type, message, line, source_line, traceback, kind?, details?} or None
    error: dict[str, Any] | None = None
    call_log: list[dict[str, Any]] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)
    result: Any = None  # the program's `result` variable when JSON-serialisable
    has_result: bool = False
    objects_before: list[dict[str, Any]] = field(default_factory=list)
    objects_after: list[dict[str, Any]] = field(default_factory=list)
    safety_violations: list[str] = field(default_factory=list)
    crashed: bool = False
    # "ok" | "exception" | "rejected" | "timeout" | "crash" | "memory_limit" | "cpu_limit" |
    # "call_budget" | "recursion_limit" | "protocol_violation" | "target_error"
    exit_reason: str = "ok"
    blocked: list[str] = field(default_factory=list)  # operations the program process was refused
    # The sim server's own verdict on its world state: {success, reason, source, checker, details}
    verdict: dict[str, Any] | None = None
    program_status: dict[str, Any] | None = None  # {exitcode, signal} of the program process
    video_path: str | None = None
    video_error: str | None = None
    calls: int = 0
    worker_log_tail: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_reply(cls, reply: dict[str, Any]) -> "ProgramResult":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in reply.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def moved(self) -> bool:
        """Whether any object moved more than 1 cm."""
        before = {o["name"]: o["position"] for o in self.objects_before}
        for o in self.objects_after:
            p = before.get(o["name"])
            if p is not None and sum((a - b) ** 2 for a, b in zip(p, o["position"])) > 1e-4:
                return True
        return False
