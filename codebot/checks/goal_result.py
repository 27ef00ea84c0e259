"""What the goal pipeline returns (goal_writer.spec_for_instruction, goal_restater.Restater): the spec, if usable,
and where it came from, as one of the SOURCE_* strings."""
from __future__ import annotations

from dataclasses import dataclass, field

from codebot.checks.goals import to_text
from codebot.checks.goals.spec import Formula

SOURCE_RESTATED = "goal spec (LLM-restated, read by the parser, validated)"
SOURCE_TEMPLATE = "template checker ({name})"
SOURCE_PARSED = "goal spec (read from the instruction, validated)"
SOURCE_LLM = "goal spec (LLM-written, validated)"
SOURCE_USER = "goal spec (user-given, validated)"
SOURCE_NONE = "unchecked"


@dataclass
class GoalResult:
    """goal is None unless the spec is usable (validated). `source` is one of the SOURCE_* strings."""
    goal: Formula | None
    source: str
    instruction: str
    normalized: str = ""
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    attempts: list[dict] = field(default_factory=list)  # each LLM request: reply, parsed text, problems
    template: object | None = None  # the matching TaskInstance, when the spec came from a template
    second: Formula | None = None  # an LLM-written spec's second sample, when its text differs from the first
    agreement: str = ""  # how the two samples of an LLM-written spec were compared

    @property
    def ok(self) -> bool:
        return self.goal is not None

    @property
    def text(self) -> str:
        return to_text(self.goal) if self.goal is not None else ""

    def describe(self) -> str:
        """One line for the user and the trace: 'goal spec (LLM-written, validated): in(...)'."""
        if not self.ok:
            return f"{SOURCE_NONE}: " + ("; ".join(self.problems) or "no spec")
        return f"{self.source}: {self.text}" + (f" ({self.agreement})" if self.agreement else "")

    def to_dict(self) -> dict:
        return {"ok": self.ok, "source": self.source, "spec": self.text, "instruction": self.instruction,
                "normalized": self.normalized, "notes": self.notes, "problems": self.problems,
                "attempts": self.attempts, "template": getattr(getattr(self.template, "task", None), "name", None),
                "second_spec": to_text(self.second) if self.second is not None else None,
                "agreement": self.agreement}
