"""The one place the MCP server reads a verdict from an episode, and decides whether it earns dispatch.

Where verdicts come from is changing (task-template checker, validated goal spec, unchecked), so every
other module of this package calls `verdict_of` and `dispatch_gate` instead of reading episode fields.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Verdict sources that come from a real, deterministic checker run by codebot (never by the program).
CHECKER_SOURCES = ("checker", "template", "template checker", "goal spec")
# Sources that never earn dispatch, however the episode ended.
UNCHECKED_SOURCES = ("none", "unchecked", "postcondition", "")


@dataclass(frozen=True)
class Verdict:
    success: bool
    source: str
    reason: str

    @property
    def from_checker(self) -> bool:
        return is_checker_source(self.source)

    @property
    def verified(self) -> bool:
        """A success that a real checker vouched for: the only kind a dispatch may rest on."""
        return self.success and self.from_checker

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "verified": self.verified}


def is_checker_source(source: str | None) -> bool:
    """'checker', 'template', 'template checker (stack_on_place)', 'goal spec (...)': yes;
    'none', 'unchecked', 'postcondition' and anything unknown: no."""
    text = (source or "").strip().lower()
    if text in UNCHECKED_SOURCES:
        return False
    return any(text == s or text.startswith(s + " ") or text.startswith(s + "(") or text.startswith(s + ":")
               for s in CHECKER_SOURCES)


def verdict_of(episode: Any) -> Verdict:
    """The verdict of an agent EpisodeResult (or anything shaped like one)."""
    success = bool(getattr(episode, "success", False))
    raw = getattr(episode, "verdict", "")
    reason = raw if isinstance(raw, str) else str(getattr(raw, "reason", raw) or "")
    source = getattr(episode, "verdict_source", None) or getattr(raw, "source", None)
    if not source:
        turns = getattr(episode, "turns", None) or []
        outcome = getattr(turns[-1], "outcome", None) if turns else None
        if isinstance(outcome, dict):
            source = outcome.get("source")
    return Verdict(success=success, source=str(source or "none"), reason=reason)


def last_run(episode: Any) -> dict[str, Any] | None:
    """The sandbox result summary of the episode's final program run (None when nothing ran)."""
    turns = getattr(episode, "turns", None) or []
    code = getattr(episode, "code", None)
    chosen = [t for t in turns if getattr(t, "code", None) == code] or turns
    for turn in reversed(chosen):
        result = getattr(turn, "result", None)
        if result is not None:
            return result
    return None


@dataclass
class GateResult:
    passed: bool
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def dispatch_gate(episode: Any) -> GateResult:
    """codebot's simulation gate (codebot.ros.dispatch.gate.decide) on a checker-vouched verdict: a success
    from 'none'/'unchecked'/'postcondition' never passes, nor does any safety violation."""
    from codebot.ros.dispatch.gate import decide

    v = verdict_of(episode)
    reasons = []
    if v.success and not v.from_checker:
        reasons.append(f"the success was not verified by a checker (verdict source: {v.source})")
    decision = decide(v.verified and bool(getattr(episode, "code", "")), last_run(episode), v.reason)
    reasons += decision.reasons
    return GateResult(passed=decision.passed and v.verified, reasons=list(dict.fromkeys(reasons)))
