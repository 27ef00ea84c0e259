"""What an episode produces: its turns, its result, the outcome of one sandboxed run (judged from the
program's own failures first, then the sim server's verdict), and the trace record."""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from codebot.checks.check import Check
from codebot.feedback import Outcome, error_text, scene_diff
from codebot.sandbox import ProgramResult

CHECKED_SOURCES = ("checker", "goal spec")  # the only verdicts that can say success


@dataclass
class Turn:
    turn: int
    code: str
    feedback: str
    success: bool
    outcome: dict[str, Any]
    result: dict[str, Any]
    candidates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class EpisodeResult:
    instruction: str
    success: bool
    verdict: str
    code: str
    turns: list[Turn]
    timings: dict[str, float]
    trace_path: str | None = None
    trace_id: str | None = None
    video_path: str | None = None
    task: str | None = None
    error: str | None = None
    # Where the verdict came from: "checker" (a task template's) | "goal spec" | "unchecked"; `checker`
    # names it, e.g. "template checker (pick_place)", "goal spec (LLM-written, validated): in(...)".
    verdict_source: str = "unchecked"
    checker: str = "none"
    check: dict[str, Any] | None = None  # what the sim server was asked to check (a Check's plain form)
    goal: dict[str, Any] | None = None  # the goal-spec pipeline's record, when it ran


def judge(result: ProgramResult, check: Check | None, judged: bool) -> Outcome:
    """The outcome of one run: the program's own failures first, then the server's verdict (on a
    judged target; elsewhere a finished program is reported, not "verified")."""
    if not result.ok:
        return Outcome(False, f"the program did not finish ({result.exit_reason}): "
                              f"{(error_text(result) or '').splitlines()[-1].strip()}", "none")
    if result.safety_violations:
        return Outcome(False, "safety violations: " + "; ".join(result.safety_violations), "none")
    if not judged:
        return Outcome(result.ok, "finished without error (not verified: no checker on this target)",
                       "unchecked", {"result": result.result})
    verdict = result.verdict
    if check is None or not verdict:
        return Outcome(False, "no task template or goal spec checks this instruction, so success "
                              "cannot be verified", "unchecked", {"checker": "none"})
    details = {**dict(verdict.get("details") or {}), "checker": verdict.get("checker", "none")}
    return Outcome(bool(verdict.get("success")) and verdict.get("source") in CHECKED_SOURCES,
                   str(verdict.get("reason", "")), str(verdict.get("source", "unchecked")), details)


def verdict_fields(outcome: Outcome, check: Check | None) -> dict[str, Any]:
    """The episode's verdict fields; the check in its plain form (what the trace records)."""
    return {"verdict_source": outcome.source if outcome.source in CHECKED_SOURCES else "unchecked",
            "checker": str(outcome.details.get("checker", "none")),
            "check": check.to_plain() if isinstance(check, Check) else check}


def rank(result: ProgramResult, outcome: Outcome) -> tuple:
    """Order candidates: verified success, then finished runs, fewer safety problems, then progress."""
    return (outcome.success, result.ok, not result.crashed, -len(result.safety_violations),
            len(scene_diff(result.objects_before, result.objects_after)))


def result_summary(result: ProgramResult) -> dict[str, Any]:
    d = result.to_plain()
    d.pop("objects_before", None)
    return d


def trace_record(config, llm, episode: EpisodeResult, calls, reset, objects: list[dict], task) -> dict[str, Any]:
    """One episode's trace record (config: the AgentConfig, without its LLM options)."""
    return {
        "id": episode.trace_id, "time": time.time(), "instruction": episode.instruction,
        "config": {k: v for k, v in asdict(config).items() if k != "llm_opts"},
        "llm": {"backend": config.llm, "model": getattr(llm, "model_id", None)},
        "target_reset": reset.to_plain(), "task": episode.task,
        "task_params": getattr(task, "params", None) if task is not None else None,
        "objects": objects, "check": episode.check, "verdict_source": episode.verdict_source,
        "checker": episode.checker, "goal": episode.goal,
        "llm_calls": [{"purpose": x.purpose, "messages": x.messages, "stop": x.stop, "completion": x.completion,
                       "seconds": round(x.seconds, 3), "stats": x.stats} for x in calls],
        "turns": [asdict(t) for t in episode.turns],
        "success": episode.success, "verdict": episode.verdict, "code": episode.code, "error": episode.error,
        "timings": {k: round(v, 4) for k, v in episode.timings.items()}, "video_path": episode.video_path,
    }
