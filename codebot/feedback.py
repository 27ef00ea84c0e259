"""What happened in a run, as text for the LLM and the person: the error with its program line,
the primitive call log, safety violations, the verdict with its reasons, and a scene diff."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from codebot.sandbox.result import ProgramResult

MOVE_EPS_M = 0.01
MAX_LOG_LINES = 25


@dataclass
class Outcome:
    """The judged result of one program run."""

    success: bool
    reason: str
    source: str  # "checker" | "postcondition" | "none"
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"success": self.success, "reason": self.reason, "source": self.source, "details": self.details}


def scene_diff(before: list[dict], after: list[dict], eps: float = MOVE_EPS_M) -> list[str]:
    """One line per object that moved more than `eps`, appeared or disappeared."""
    b = {o["name"]: o for o in before}
    a = {o["name"]: o for o in after}
    lines = []
    for name, old in b.items():
        new = a.get(name)
        if new is None:
            lines.append(f"{name} is no longer seen (was at {_xyz(old['position'])})")
            continue
        dist = math.dist(old["position"], new["position"])
        if dist > eps:
            lines.append(f"{name} moved {dist * 100:.0f} cm: {_xyz(old['position'])} -> {_xyz(new['position'])}")
    for name, new in a.items():
        if name not in b:
            lines.append(f"{name} appeared at {_xyz(new['position'])}")
    return lines


def _xyz(p) -> str:
    return "(" + ", ".join(f"{float(v):.2f}" for v in p) + ")"


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call_log_lines(call_log: list[dict], limit: int = MAX_LOG_LINES) -> list[str]:
    out = []
    entries = call_log if len(call_log) <= limit else call_log[: limit - 5] + call_log[-5:]
    for i, entry in enumerate(entries):
        if len(call_log) > limit and i == limit - 5:
            out.append(f"  ... {len(call_log) - limit} more calls ...")
        args = ", ".join(_short(a, 40) for a in entry.get("args", []))
        if entry.get("kwargs"):
            args += (", " if args else "") + ", ".join(f"{k}={_short(v, 30)}" for k, v in entry["kwargs"].items())
        if "error" in entry:
            err = entry["error"]
            tail = f"raised {err.get('type')}: {err.get('message')}"
        elif entry.get("result") is None:
            tail = "ok"
        else:
            tail = f"-> {_short(entry['result'])}"
        out.append(f"  {entry['name']}({args}) {tail}")
    return out


def error_text(result: ProgramResult) -> str | None:
    err = result.error
    if not err:
        return None
    where = f" at line {err['line']}" if err.get("line") else ""
    src = f": `{err['source_line'].strip()}`" if err.get("source_line") else ""
    kind = f" ({err['kind']})" if err.get("kind") and err.get("kind") != err.get("type") else ""
    head = {"rejected": "The program was rejected before running",
            "timeout": "The program timed out", "crash": "The worker process crashed",
            "memory_limit": "The program ran out of memory", "cpu_limit": "The program used too much CPU time",
            "call_budget": "The program made too many primitive calls",
            "recursion_limit": "The program recursed too deeply"}.get(result.exit_reason, "Error")
    return f"{head}{where}{src}\n  {err.get('type')}{kind}: {err.get('message')}"


def report(result: ProgramResult, outcome: Outcome, turn: int | None = None) -> str:
    """The feedback text one turn produces (what the next prompt and the terminal show)."""
    lines = []
    status = "SUCCESS" if outcome.success else "FAILED"
    lines.append(f"Result{f' of attempt {turn}' if turn else ''}: {status}")
    err = error_text(result)
    if err:
        lines.append(err)
    if result.blocked:
        lines.append("Blocked operations: " + ", ".join(result.blocked[:5]))
    if result.call_log:
        lines.append(f"Primitive calls ({len(result.call_log)}):")
        lines.extend(call_log_lines(result.call_log))
    elif result.exit_reason not in ("rejected",):
        lines.append("Primitive calls: none")
    if result.said:
        lines.append("Said: " + " | ".join(result.said[:5]))
    if result.printed:
        lines.append("Printed: " + " | ".join(result.printed[:5]))
    lines.append("Safety violations: " + ("; ".join(result.safety_violations) if result.safety_violations else "none"))
    lines.append(f"Verdict ({outcome.source}): {outcome.reason}")
    if result.objects_before or result.objects_after:
        diff = scene_diff(result.objects_before, result.objects_after)
        lines.append("Scene changes: " + ("; ".join(diff) if diff else "nothing moved"))
    return "\n".join(lines)


def scene_summary(objects: list[dict]) -> str:
    """Object names and positions (for the person and the trace)."""
    return "\n".join(f"{o['name']} at {_xyz(o['position'])}" for o in objects)
