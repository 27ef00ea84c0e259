"""Where a goal spec comes from, in order: (1) a task template whose parser accepts the instruction
(after synonyms are normalised), (2) the phrase parser, (3) the LLM's restatement of the instruction in the
parser's wording, read by the parser (goal_restater.py), (4) the LLM, in its own short grammar-constrained
request with the scene's object and place names, validated (unknown name, constant spec, already-true spec →
asked again with the error, a bounded number of times). Colour words the scene lacks are reported before any
LLM call. The result says where the spec came from; an invalid spec is never returned as usable.

    result = spec_for_instruction("drop the crimson cube into the azure bowl", objects, llm)
    result.ok, result.source, result.text   # True, 'goal spec (LLM-written, validated)', 'all(in(...))'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.checks.goal_result import (SOURCE_LLM, SOURCE_NONE, SOURCE_PARSED, SOURCE_RESTATED,  # noqa: F401
                                       SOURCE_TEMPLATE, SOURCE_USER, GoalResult)
from codebot.checks.goals import (GoalSyntaxError, Problem, goal_for_instance, goal_grammar, load_goal,
                       missing_in_scene, normalize_instruction, to_text, validate_goal)
from codebot.checks.goals.frame import needs_frame, with_frame
from codebot.checks.goals.grounding import grounding_problems
from codebot.checks.goals.spec import Formula
from codebot.checks.goals.written import ambiguous_ones, written_spec_problems

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
MAX_ATTEMPTS = 3  # first request + re-requests with the validation error
MAX_TOKENS = 160  # a spec is one line; grammar-constrained, so a cut-off spec fails to parse (never 'no check')
# An LLM-written spec is trusted only when a second, independently sampled one means the same: equal canonical
# text now, or the same verdict on every probe scene around the run's real outcome (judged then: GoalCheck.second).
SECOND_TEMPERATURE = 0.7
SECOND_READING = "Read the instruction afresh and write its spec."  # its own prompt (and replay key)
WRITER_OFF = "the LLM does not write specs in the spec language unless asked (--write-goals)"

def load_example_scenes(path: Path = PROMPTS / "goal_examples.txt") -> list[tuple[str, str, str]]:
    """(objects line, instruction, spec) of each prompt example."""
    found = re.findall(r"^objects: (.+)\ninstruction: (.+)\nspec: (.+)$", path.read_text(), flags=re.M)
    return [(o.strip(), i.strip(), s.strip()) for o, i, s in found]


def load_examples(path: Path = PROMPTS / "goal_examples.txt") -> list[tuple[str, str]]:
    """(instruction, spec) pairs of the prompt's examples."""
    return [(i, s) for _, i, s in load_example_scenes(path)]


def system_prompt() -> str:
    return (PROMPTS / "goal_system.txt").read_text().rstrip() + "\n"


def _request(objects_line: str, instruction: str) -> str:
    return f"objects: {objects_line}\ninstruction: {instruction}"


def prompt_messages(instruction: str, objects: list[ObjectInfo]) -> list[dict]:
    """System text, the examples as earlier turns (a small model copies turns better than prose),
    then this scene's object names and the instruction."""
    messages = [{"role": "system", "content": system_prompt()}]
    for objects_line, example, spec in load_example_scenes():
        messages += [{"role": "user", "content": _request(objects_line, example)},
                     {"role": "assistant", "content": spec}]
    names = ", ".join(sorted(o.name for o in objects))
    messages.append({"role": "user", "content": _request(names, instruction)})
    return messages


class GoalWriter:
    """The LLM's spec request. `llm.complete(messages, stop, max_tokens, temperature, grammar)`."""

    def __init__(self, llm, max_attempts: int = MAX_ATTEMPTS, max_tokens: int = MAX_TOKENS,
                 use_grammar: bool | None = None, samples: int = 2):
        self.llm = llm
        self.samples = 2 if samples >= 2 else 1  # 1: a single reading is trusted (tests of the repair loop)
        self.max_attempts = max(1, int(max_attempts))
        self.max_tokens = max_tokens
        # Backends that take a grammar: the local llama.cpp one (others may ignore or reject it).
        self.use_grammar = (getattr(llm, "name", "") == "local") if use_grammar is None else use_grammar

    def write(self, instruction: str, objects: list[ObjectInfo], workspace: Workspace = DEFAULT_WORKSPACE,
              normalized: str | None = None) -> GoalResult:
        result = GoalResult(None, SOURCE_LLM, instruction, normalized or instruction)
        first = self._framed(result, self._sample(result, instruction, objects, workspace, normalized, 0.0, ""))
        if self._refused(result, first, instruction, normalized):
            return result
        if first is None or self.samples < 2:
            result.goal = first
            return result
        second = self._framed(result, self._sample(result, instruction, objects, workspace, normalized,
                                                   SECOND_TEMPERATURE, SECOND_READING))
        if self._refused(result, second, instruction, normalized):
            return result
        if second is None:
            result.problems = ["a second, independently sampled spec was not usable ("
                               + "; ".join(result.problems) + "): one reading alone is not trusted"]
            return result
        result.goal, result.problems = first, []
        if to_text(first) == to_text(second):
            result.agreement = "a second sample wrote the same spec"
        else:
            result.second = second
            result.agreement = f"a second sample wrote {to_text(second)}: both are judged on the outcome"
        return result

    @staticmethod
    def _refused(result: GoalResult, goal: Formula | None, instruction: str, normalized: str | None) -> bool:
        """A written spec saying what the instruction's words do not ask for, or an order the local model read
        the wrong way round (goals/written.py), is refused outright: asked again, the model tends to swap one
        misreading for another that passes. The instruction stays unchecked."""
        problems = written_spec_problems(goal, f"{instruction}\n{normalized or ''}") if goal is not None else []
        if problems:
            result.problems = [f"written spec {to_text(goal)} refused: " + "; ".join(map(str, problems))]
        return bool(problems)

    @staticmethod
    def _framed(result: GoalResult, goal: Formula | None) -> Formula | None:
        """A written spec about named objects only, with unchanged(others) added (goals/frame.py)."""
        if goal is None or not needs_frame(goal):
            return goal
        note = ("unchanged(others) added to a written spec about named objects only: the rest of the scene "
                "stays put, as in every reading of a named move")
        if note not in result.notes:
            result.notes.append(note)
        return with_frame(goal)

    def _sample(self, result: GoalResult, instruction: str, objects: list[ObjectInfo], workspace: Workspace,
                normalized: str | None, temperature: float, reading: str) -> Formula | None:
        """One reading: requested, and re-requested with its problems, until it validates (the spec) or
        max_attempts are spent (None; result.problems say why). Every request is kept in result.attempts."""
        messages = prompt_messages(normalized or instruction, objects)
        if reading:
            messages = messages[:-1] + [{**messages[-1], "content": messages[-1]["content"] + "\n" + reading}]
        grammar = goal_grammar([o.name for o in objects]) if self.use_grammar else None
        for _ in range(self.max_attempts):
            kwargs = {"grammar": grammar} if grammar else {}
            reply = self.llm.complete(messages, stop=["\n"], max_tokens=self.max_tokens, temperature=temperature,
                                      **kwargs)
            spec_text = _first_line(reply)
            attempt = {"reply": reply, "spec": spec_text, "problems": [], "sample": 2 if reading else 1}
            result.attempts.append(attempt)
            try:
                goal = load_goal(spec_text)
            except (GoalSyntaxError, ValueError, TypeError) as exc:
                problems = [f"the spec does not parse: {exc}"]
            else:
                problems = [str(p) for p in validate_goal(goal, objects, instruction, workspace)]
                # a written spec may name only what the instruction names (as the parser's readings
                # must, _parsed_goal; the templates' are grounded by construction)
                problems = problems or [str(p) for p in grounding_problems(
                    goal, f"{instruction} {normalized or ''}", objects) + ambiguous_ones(instruction, objects)]
                if not problems:
                    result.problems = []
                    return goal
            attempt["problems"] = problems
            result.problems = problems
            messages = messages + [{"role": "assistant", "content": spec_text},
                                   {"role": "user", "content": "That spec is not usable: " + "; ".join(problems)
                                    + "\nWrite a corrected spec (one line)."}]
        return None


def _first_line(reply: str) -> str:
    text = (reply or "").strip()
    text = re.sub(r"^```\w*\s*|```$", "", text).strip()
    line = text.splitlines()[0].strip() if text else ""
    return re.sub(r"^spec:\s*", "", line)


def parser_reading(normalized: str, objects: list[ObjectInfo], instruction: str,
                   workspace: Workspace = DEFAULT_WORKSPACE) -> tuple[Formula, list[Problem]] | None:
    """The phrase parser's complete, grounded reading of the instruction and what validating it on this
    scene found (empty: usable here); None when the parser does not read it."""
    from codebot.checks.goals.phrases import phrase_spec

    text = phrase_spec(normalized, objects)
    if text is None:
        return None
    try:
        goal = load_goal(text)
    except (GoalSyntaxError, ValueError, TypeError):
        return None
    # the parser's readings are grounded by construction; checked all the same, since a reading that
    # names what the instruction does not is a wrong check, and unread (the writer, or unchecked) is not
    if grounding_problems(goal, f"{instruction} {normalized}", objects):
        return None
    return goal, validate_goal(goal, objects, instruction, workspace)


def _parsed_goal(normalized: str, objects: list[ObjectInfo], instruction: str,
                 workspace: Workspace) -> GoalResult | None:
    """The phrase parser's spec when it reads the instruction completely and the spec validates; None
    hands over to the LLM writer (a reading that names no scene object or is already true is not used)."""
    reading = parser_reading(normalized, objects, instruction, workspace)
    if reading is None or reading[1]:
        return None
    return GoalResult(reading[0], SOURCE_PARSED, instruction, normalized)


@dataclass(frozen=True)
class ReadInstruction:
    """An instruction read once, before its check is chosen: the normalised text and what normalising
    mapped, the task template that parses it (a TaskInstance, or None) and the colour words the scene
    lacks (a message, or None). The agent's preparation builds it; spec_for_instruction reuses it."""
    normalized: str
    notes: list[str] = field(default_factory=list)
    template: object | None = None
    missing: str | None = None


def spec_for_instruction(instruction: str, objects: list[ObjectInfo], llm=None, user_goal: str | None = None,
                         workspace: Workspace = DEFAULT_WORKSPACE, max_attempts: int = MAX_ATTEMPTS,
                         read: ReadInstruction | None = None, restate: bool = True, write: bool = True) -> GoalResult:
    """The whole pipeline: missing colours → user spec → template → phrase parser → (when `llm` is given) the
    LLM's restatement read by the parser (`restate`, goal_restater.py) → LLM writer (`write`). `read`: the
    instruction already normalised, matched and colour-checked (the agent's preparation), so none of that is done
    again."""
    from codebot.checks.tasks import match

    if read is None:
        normalized, notes = normalize_instruction(instruction)
        missing = missing_in_scene(instruction, normalized, objects)
    else:
        normalized, notes, missing = read.normalized, list(read.notes), read.missing
    result = GoalResult(None, SOURCE_NONE, instruction, normalized, notes)
    if missing:
        result.problems = [missing]
        return result
    if user_goal:
        try:
            goal = load_goal(user_goal)
        except (GoalSyntaxError, ValueError, TypeError) as exc:
            result.problems = [f"--goal does not parse: {exc}"]
            return result
        problems = validate_goal(goal, objects, instruction, workspace)
        result.source, result.problems = SOURCE_USER, [str(p) for p in problems]
        result.goal = None if problems else goal
        return result
    instance = match(normalized) if read is None else read.template
    if instance is not None:
        goal = goal_for_instance(instance)
        problems: list[Problem] = validate_goal(goal, objects, instruction, workspace)
        result.source = SOURCE_TEMPLATE.format(name=instance.task.name)
        result.template = instance
        result.problems = [str(p) for p in problems]
        # A template that fits but names objects this scene lacks cannot be used; an already-true goal
        # is flagged but stays the template's (its checker is the authority).
        blocking = [p for p in problems if p.kind != "already_true"]
        result.goal = None if blocking else goal
        if not blocking:
            return result
        if llm is None:
            return result
    parsed = _parsed_goal(normalized, objects, instruction, workspace)
    if parsed is not None:
        parsed.notes = notes
        return parsed
    if llm is None:
        result.problems = result.problems or ["no task template matches and no LLM was given to write a spec"]
        return result
    tried: list[str] = []
    restated_attempts: list[dict] = []  # kept on an unchecked result: another layout may suit them (agent_layout)
    if restate:
        from codebot.checks.goal_restater import Restater
        from codebot.llm import LLMError

        try:
            restated = Restater(llm).restate(instruction, objects, workspace, normalized)
        except LLMError as exc:  # e.g. a replay file recorded before restatements: the writer may still answer
            tried = [f"no restatement ({exc})"]
        else:
            if restated.ok:
                restated.notes = notes + restated.notes
                return restated
            tried = [f"restatement not used ({'; '.join(restated.problems)})"]
            restated_attempts = restated.attempts
    if not write:
        result.problems = tried + [WRITER_OFF]
        result.attempts = restated_attempts
        return result
    written = GoalWriter(llm, max_attempts=max_attempts).write(instruction, objects, workspace, normalized)
    written.notes = notes + tried + written.notes
    return written
