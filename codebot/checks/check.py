"""What a run is judged against, and the judgement: typed records whose plain forms cross the wire.

A `Check` names where a verdict comes from: a task template's checker (`TemplateCheck`: the instruction
matched one of the templates) or a validated goal spec (`GoalCheck`). Only these two can say "success".
A `Judgement` is the sim server's verdict on its own world state for one check.

The plain forms are the dicts the wire, the ProgramResult and the traces have always carried:

    {"kind": "template", "template_id", "instruction", "params", "scene"}
    {"kind": "goal", "spec", "provenance", "second"}
    {"success", "reason", "source", "checker", "details"}

`from_plain` checks each field and raises a RecordError naming the bad one (codebot.primitives.records).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from codebot.checks.scene import SceneSpec
from codebot.primitives import records


def _mapping(data: Any, key: str, record: str) -> dict[str, Any]:
    value = data.get(key, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise records.RecordError(f"{record}: {key!r} must be a dict, got {type(value).__name__}")
    return dict(value)


class Check:
    """A check, by kind: `TemplateCheck` or `GoalCheck`."""

    kind: ClassVar[str]

    def to_plain(self) -> dict[str, Any]:
        raise NotImplementedError

    @staticmethod
    def from_plain(data: Any) -> "TemplateCheck | GoalCheck":
        """The record of its kind; an unknown kind, a missing field or one of the wrong type raises a
        RecordError naming it."""
        d = records.fields_of(data, "check")
        kind = records.text(d, "kind", "check")
        kinds = {"template": TemplateCheck, "goal": GoalCheck}
        if kind not in kinds:
            raise records.RecordError(f"check: unknown 'kind' {kind[:40]!r} (expected 'template' or 'goal')")
        return kinds[kind].from_plain(d)


@dataclass(frozen=True)
class TemplateCheck(Check):
    """A task template's checker, for one instance: its template, instruction, parameters and scene."""

    template_id: int
    instruction: str
    params: dict[str, Any] = field(default_factory=dict)
    scene: SceneSpec = field(default_factory=SceneSpec)

    kind: ClassVar[str] = "template"

    @classmethod
    def of(cls, instance) -> "TemplateCheck":
        """For one TaskInstance (codebot.checks.tasks)."""
        return cls(instance.task.template_id, instance.instruction, dict(instance.params), instance.scene)

    def to_plain(self) -> dict[str, Any]:
        return {"kind": self.kind, "template_id": self.template_id, "instruction": self.instruction,
                "params": dict(self.params), "scene": self.scene.to_plain()}

    @classmethod
    def from_plain(cls, data: Any) -> "TemplateCheck":
        d = records.fields_of(data, "template check")
        return cls(template_id=records.integer(d, "template_id", "template check"),
                   instruction=records.text(d, "instruction", "template check"),
                   params=_mapping(d, "params", "template check"),
                   scene=SceneSpec.from_plain(d.get("scene") or {}))


@dataclass(frozen=True)
class GoalCheck(Check):
    """A validated goal spec (its text form); `provenance` says who wrote and validated it, e.g.
    "goal spec (LLM-written, validated)". `second`: a second, independently sampled LLM-written spec whose text
    differs: a success counts only where both give the same verdict on the outcome and the probes around it."""

    spec: str
    provenance: str | None = None
    second: str | None = None

    kind: ClassVar[str] = "goal"

    def to_plain(self) -> dict[str, Any]:
        plain = {"kind": self.kind, "spec": self.spec, "provenance": self.provenance}
        return {**plain, "second": self.second} if self.second else plain

    @classmethod
    def from_plain(cls, data: Any) -> "GoalCheck":
        d = records.fields_of(data, "goal check")
        return cls(spec=records.text(d, "spec", "goal check"),
                   provenance=records.text(d, "provenance", "goal check", None),
                   second=records.text(d, "second", "goal check", None))


def template_check(instance) -> TemplateCheck:
    """Check with a task template's checker, for one TaskInstance (template, params and scene)."""
    return TemplateCheck.of(instance)


def goal_check(spec: str, provenance: str, second: str | None = None) -> GoalCheck:
    """Check with a validated goal spec (its text form); `provenance` says who wrote and validated it; `second`
    a differently written second sample it must agree with on the outcome."""
    return GoalCheck(spec, provenance, second)


@dataclass(frozen=True)
class Judgement:
    """The sim server's verdict for one check. source: "checker" (a task template's), "goal spec" or
    "unchecked"; `checker` names which, for the report; `details` is plain data (the checker's own)."""

    success: bool
    reason: str
    source: str
    checker: str
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def unchecked(cls, reason: str) -> "Judgement":
        return cls(False, reason, "unchecked", "none", {})

    def to_plain(self) -> dict[str, Any]:
        return {"success": self.success, "reason": self.reason, "source": self.source, "checker": self.checker,
                "details": dict(self.details)}

    @classmethod
    def from_plain(cls, data: Any) -> "Judgement":
        d = records.fields_of(data, "verdict")
        return cls(success=records.flag(d, "success", "verdict"), reason=records.text(d, "reason", "verdict"),
                   source=records.text(d, "source", "verdict"), checker=records.text(d, "checker", "verdict"),
                   details=_mapping(d, "details", "verdict"))
