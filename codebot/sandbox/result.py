"""What one sandboxed run produced, as plain data the feedback writer and the trace can use."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from codebot.primitives import records
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.records import RecordError


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
    # The sim server's own verdict on its world state: a codebot.checks.check.Judgement in its plain form,
    # {success, reason, source, checker, details}
    verdict: dict[str, Any] | None = None
    program_status: dict[str, Any] | None = None  # {exitcode, signal} of the program process
    video_path: str | None = None
    video_error: str | None = None
    # top-camera images the sim server wrote: {before, after: path, render_ms} (codebot.sandbox.snapshots)
    snapshots: dict[str, Any] | None = None
    calls: int = 0
    worker_log_tail: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_plain(cls, data: Any) -> "ProgramResult":
        """The result from its plain form (the sim server's reply, a trace); raises RecordError naming
        a field of the wrong type. Keys it does not know (the reply's "op"...) are left out."""
        d = records.fields_of(data, "run result")
        if "ok" not in d:
            raise RecordError("run result: missing field 'ok'")
        kw = {k: v for k, v in d.items() if k in _FIELD_TYPES}
        for key, value in kw.items():
            if not isinstance(value, _FIELD_TYPES[key]):
                raise RecordError(f"run result: {key!r} must be {_TYPE_NAMES[_FIELD_TYPES[key]]}, "
                                  f"got {type(value).__name__}")
        for key in ("objects_before", "objects_after"):
            for o in kw.get(key, ()):
                ObjectInfo.from_plain(o)  # a bad object record is refused here, not in the feedback writer
        return cls(**kw)

    def to_plain(self) -> dict[str, Any]:
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


_OPTIONAL_DICT = (dict, type(None))
_OPTIONAL_TEXT = (str, type(None))
# The plain type of each field (`result` is the program's own JSON value: anything).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "ok": (bool,), "error": _OPTIONAL_DICT, "call_log": (list,), "said": (list,), "printed": (list,),
    "result": (object,), "has_result": (bool,), "objects_before": (list,), "objects_after": (list,),
    "safety_violations": (list,), "crashed": (bool,), "exit_reason": (str,), "blocked": (list,),
    "verdict": _OPTIONAL_DICT, "program_status": _OPTIONAL_DICT, "video_path": _OPTIONAL_TEXT,
    "video_error": _OPTIONAL_TEXT, "snapshots": _OPTIONAL_DICT, "calls": (int,), "worker_log_tail": (str,),
    "timings": (dict,)}
_TYPE_NAMES = {(bool,): "true or false", _OPTIONAL_DICT: "a dict or null", (list,): "a list", (object,): "any value",
               (str,): "a string", _OPTIONAL_TEXT: "a string or null", (int,): "an integer", (dict,): "a dict"}
