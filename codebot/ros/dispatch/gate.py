"""The simulation gate: a program may reach the robot only after it succeeded in the twin with no
safety violation (workspace, joint limit, velocity limit, collision). `force` lets a failing program
through, explicitly, and the decision records that it was forced."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SAFETY_KINDS = ("safety_violation", "outside_workspace", "joint_limit", "velocity_limit", "collision")


@dataclass
class GateDecision:
    passed: bool  # the program earned dispatch in simulation
    forced: bool = False  # dispatched anyway because force was requested
    reasons: list[str] = field(default_factory=list)  # why it did not pass (empty when passed)

    @property
    def dispatch(self) -> bool:
        return self.passed or self.forced

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "dispatch": self.dispatch}


def safety_violations(result: Any) -> list[str]:
    """Violations in one sandbox result (ProgramResult or its dict): the monitor's list, the final
    error and every primitive call that failed with a safety kind."""
    get = (lambda k, d=None: result.get(k, d)) if isinstance(result, dict) else (
        lambda k, d=None: getattr(result, k, d))
    found = [str(v) for v in (get("safety_violations") or [])]
    messages = set()
    for entry in get("call_log") or []:
        e = entry.get("error") if isinstance(entry, dict) else None
        if isinstance(e, dict) and e.get("kind") in SAFETY_KINDS:
            found.append(f"{entry.get('name')}: {e.get('kind')}: {e.get('message', '')}")
            messages.add(e.get("message"))
    err = get("error") or {}
    if isinstance(err, dict) and err.get("kind") in SAFETY_KINDS and err.get("message") not in messages:
        found.append(f"{err.get('kind')}: {err.get('message', '')}")  # raised outside a primitive call
    return list(dict.fromkeys(found))


def decide(success: bool, sim_result: Any | None, verdict_reason: str = "", force: bool = False) -> GateDecision:
    reasons = []
    if not success:
        reasons.append(f"not verified in simulation: {verdict_reason or 'the checker did not pass'}")
    if sim_result is None:
        reasons.append("no simulation run to check")
    else:
        reasons += [f"safety violation in simulation: {v}" for v in safety_violations(sim_result)]
    passed = not reasons
    return GateDecision(passed=passed, forced=bool(force) and not passed, reasons=reasons)
