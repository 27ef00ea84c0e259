"""Which check an episode's verdict comes from, decided before its program runs.

In order: a goal spec the user gave (`--goal`, validated), the task template whose parser accepts the
normalised instruction, the phrase parser's reading of the instruction or of the LLM's restatement of it, a goal
spec the LLM writes in its own short request (validated; only with `write_goals`); else none,
and the episode is "unchecked". The LLM's spec request is recorded with the episode's other LLM calls
(so traces show it and `codebot replay` replays it).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from codebot.codegen import LLMCall
from codebot.llm import LLMError
from codebot.checks.check import Check, goal_check, template_check
from codebot.checks.goals import to_text
from codebot.checks.judge import object_infos


class RecordedLLM:
    """The generator's LLM, with each completion appended to the generator's call log."""

    def __init__(self, generator, purpose: str = "goal"):
        self.generator = generator
        self.purpose = purpose
        self.name = getattr(generator.llm, "name", "")

    def complete(self, messages, stop=None, max_tokens: int = 160, temperature: float = 0.0, grammar=None) -> str:
        t0 = time.perf_counter()
        kwargs = {"grammar": grammar} if grammar else {}
        text = self.generator.llm.complete(messages, stop=stop, max_tokens=max_tokens, temperature=temperature,
                                           **kwargs)
        self.generator.calls.append(LLMCall(self.purpose, [dict(m) for m in messages], text,
                                            time.perf_counter() - t0,
                                            dict(getattr(self.generator.llm, "last_stats", {}) or {}),
                                            list(stop or [])))
        return text


@dataclass
class CheckChoice:
    check: Check | None  # what the sim server is asked to judge (None: unchecked)
    goal: dict[str, Any] | None  # the goal pipeline's record (source, spec, problems, attempts)
    description: str  # one line for the user: "template checker (pick_place)", "goal spec (...): ..."


def choose_check(instruction: str, task, objects: list[dict], generator=None, user_goal: str | None = None,
                 write_goals: bool = False, read=None, restate: bool = True) -> CheckChoice:
    """`read`: the instruction as the agent's preparation read it (a goal_writer.ReadInstruction), so the
    goal pipeline does not normalise, match or colour-check it again."""
    from codebot.checks.goal_writer import spec_for_instruction

    if task is not None and not user_goal:
        return CheckChoice(template_check(task), None, f"template checker ({task.task.name})")
    llm = RecordedLLM(generator) if generator is not None and (write_goals or restate) else None
    try:
        result = spec_for_instruction(instruction, object_infos(objects), llm=llm, user_goal=user_goal, read=read,
                                      restate=restate, write=write_goals)
    except LLMError as exc:
        return CheckChoice(None, {"ok": False, "source": "unchecked", "problems": [f"the LLM wrote no spec: {exc}"]},
                           f"unchecked: the LLM wrote no spec ({exc})")
    record = result.to_dict()
    if not result.ok:
        return CheckChoice(None, record, result.describe())
    if result.template is not None:
        return CheckChoice(template_check(result.template), record, result.source)
    second = to_text(result.second) if result.second is not None else None
    return CheckChoice(goal_check(result.text, result.source, second), record, result.describe())
