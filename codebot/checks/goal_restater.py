"""An instruction the phrase parser cannot read, restated by the LLM in the parser's own plain wording ("put the
orange block in the green bowl"), then read by the parser. A small model rewrites English into simpler English far
more reliably than it writes the spec language; the deterministic parser still decides what the words mean.

The restatement is the LLM's, so its reading is held to everything a written spec is (goal_writer.py): it must
validate on the scene, name only what the instruction names (grounding), use only relations, selectors,
quantities and comparisons the instruction's own words ask for (goals/written.py), and a second restatement,
sampled independently, must be read the same way (or both are judged on the outcome); where one or both of the two
are not read, further samples are drawn, up to MAX_DRAWS in all, until one is read exactly as an earlier one was
(benchmarks/restate_samples.py, the README's rows: on the 253 tuning items the parser leaves unread, four draws gave
three more correct checks than three draws and no more wrong ones; six gave more wrong ones than correct ones).
"unclear", or a restatement the parser does not read completely, leaves the instruction unchecked (or to the spec
writer, when it is on).

    result = Restater(llm).restate("yo, chuck the orange cube in the green one", objects)
    result.ok, result.source, result.text   # True, 'goal spec (LLM-restated, read by the parser, validated)', …
"""
from __future__ import annotations

import re
from pathlib import Path

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.checks.goal_result import SOURCE_NONE, SOURCE_RESTATED, GoalResult
from codebot.checks.goals import GoalSyntaxError, load_goal, normalize_instruction, to_text, validate_goal
from codebot.checks.goals.grounding import grounding_problems
from codebot.checks.goals.phrases import phrase_spec
from codebot.checks.goals.spec import Formula
from codebot.checks.goals.written import ambiguous_ones, written_spec_problems
from codebot.checks.restate_grammar import restate_grammar
from codebot.checks.restate_library import RETRIEVED, similar_restatements

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
MAX_TOKENS = 80  # one line of plain commands
SECOND_TEMPERATURE = 0.7
MAX_DRAWS = 4
UNCLEAR = "unclear"


def load_examples(path: Path = PROMPTS / "restate_examples.txt") -> list[tuple[str, str, str]]:
    """(objects line, instruction, restatement) of each prompt example."""
    found = re.findall(r"^objects: (.+)\ninstruction: (.+)\nrestated: (.+)$", path.read_text(), flags=re.M)
    return [(o.strip(), i.strip(), r.strip()) for o, i, r in found]


def restate_messages(instruction: str, objects: list[ObjectInfo], retrieved: int = RETRIEVED) -> list[dict]:
    """System text (the wordings the parser reads), the fixed examples as earlier turns, then the `retrieved` library
    examples most similar to the instruction (restate_library.py: after the fixed ones, so a server's prompt cache
    keeps the shared start), then this scene and instruction."""
    messages = [{"role": "system", "content": (PROMPTS / "restate_system.txt").read_text().rstrip() + "\n"}]
    chosen = [(", ".join(e.objects), e.instruction, e.restated) for e in similar_restatements(instruction, retrieved)]
    for objects_line, example, restated in load_examples() + chosen:
        messages += [{"role": "user", "content": f"objects: {objects_line}\ninstruction: {example}"},
                     {"role": "assistant", "content": restated}]
    names = ", ".join(sorted(o.name for o in objects))
    messages.append({"role": "user", "content": f"objects: {names}\ninstruction: {instruction}"})
    return messages


class Restater:
    """`llm.complete(messages, stop, max_tokens, temperature)`; returns a goal_result.GoalResult."""

    def __init__(self, llm, samples: int = 2, retrieved: int = RETRIEVED, use_grammar: bool = False):
        self.llm = llm
        self.samples = 2 if samples >= 2 else 1
        self.retrieved = retrieved
        # The plain wording as a grammar (restate_grammar.py; a backend that decodes one: the local llama.cpp one).
        # Off: on the twenty-second fresh batch it gave 16 correct checks and 1 wrong where free restatements gave 20
        # and 0 (README); kept to measure again with another model.
        self.use_grammar = use_grammar

    def restate(self, instruction: str, objects: list[ObjectInfo], workspace: Workspace = DEFAULT_WORKSPACE,
                normalized: str | None = None):
        normalized = normalized or normalize_instruction(instruction)[0]
        result = GoalResult(None, SOURCE_RESTATED, instruction, normalized)

        def sample(temperature: float) -> Formula | None:
            restated = self.first_line(self.complete_one(instruction, objects, temperature))
            goal, problems = self.read_restatement(restated, instruction, normalized, objects, workspace)
            result.attempts.append({"restated": restated, "spec": to_text(goal) if goal else "",
                                    "problems": problems, "sample": len(result.attempts) + 1})
            return goal

        first = sample(0.0)
        if self.samples == 1:
            readings = [first]
        else:
            readings = [first, sample(SECOND_TEMPERATURE)]
            if readings[0] is None or readings[1] is None:
                agreed = self._agreed([goal for goal in readings if goal is not None], sample)
                readings = [agreed, agreed] if agreed is not None else [None]
        if any(goal is None for goal in readings):
            unread = next((a for a in result.attempts if not a["spec"]), result.attempts[-1])
            result.source = SOURCE_NONE
            result.problems = [f"restated as {unread['restated']!r}: " + "; ".join(unread["problems"] or
                                                                                    ["read differently"])]
            return result
        result.goal = readings[0]
        read_as = next(a["restated"] for a in result.attempts if a["spec"])
        result.notes.append(f"restated by the LLM as {read_as!r}")
        if len(readings) > 1:
            if to_text(readings[0]) == to_text(readings[1]):
                result.agreement = ("a second restatement was read the same way" if len(result.attempts) == 2 else
                                    f"two of {len(result.attempts)} restatements were read the same way")
            else:
                result.second = readings[1]
                result.agreement = f"a second restatement was read as {to_text(readings[1])}: both are judged on " \
                                   f"the outcome"
        return result

    @staticmethod
    def _agreed(read: list[Formula], sample) -> Formula | None:
        """Further samples, up to MAX_DRAWS in all, until one is read exactly as an earlier one was (`read`: the
        readings of the first two); None when none is, or when too few draws are left for two to agree."""
        for left in range(MAX_DRAWS - 2, 0, -1):
            if not read and left < 2:
                return None
            goal = sample(SECOND_TEMPERATURE)
            if goal is None:
                continue
            match = next((g for g in read if to_text(g) == to_text(goal)), None)
            if match is not None:
                return match
            read.append(goal)
        return None

    def complete_one(self, instruction: str, objects: list[ObjectInfo], temperature: float | None = None) -> str:
        """One restatement (None: sampled at SECOND_TEMPERATURE); a recording LLM (goal_choice.RecordedLLM) logs it
        under the purpose 'restate'."""
        messages = restate_messages(instruction, objects, self.retrieved)
        temperature = SECOND_TEMPERATURE if temperature is None else temperature
        kwargs = {"grammar": restate_grammar([o.name for o in objects])} if self.use_grammar else {}
        purpose = getattr(self.llm, "purpose", None)
        if purpose is not None:
            self.llm.purpose = "restate"
        try:
            return self.llm.complete(messages, stop=["\n"], max_tokens=MAX_TOKENS, temperature=temperature, **kwargs)
        finally:
            if purpose is not None:
                self.llm.purpose = purpose

    @staticmethod
    def first_line(reply: str | None) -> str:
        text = (reply or "").strip()
        return text.splitlines()[0].strip() if text else ""

    @staticmethod
    def read_restatement(restated: str, instruction: str, normalized: str, objects: list[ObjectInfo],
                         workspace: Workspace = DEFAULT_WORKSPACE) -> tuple[Formula | None, list[str]]:
        """The parser's reading of one restatement, held to what the instruction itself licenses."""
        if not restated or restated.lower().rstrip(".") == UNCLEAR:
            return None, ["the LLM found the instruction unclear"]
        text = phrase_spec(normalize_instruction(restated)[0], objects)
        if text is None:
            return None, ["the phrase parser does not read the restatement"]
        try:
            goal = load_goal(text)
        except (GoalSyntaxError, ValueError, TypeError) as exc:
            return None, [f"the reading does not parse: {exc}"]
        said = f"{instruction}\n{normalized}"  # two texts: an order is looked for within one
        problems = (validate_goal(goal, objects, instruction, workspace) or grounding_problems(goal, said, objects)
                    or written_spec_problems(goal, said) or ambiguous_ones(instruction, objects))
        return (None, [str(p) for p in problems]) if problems else (goal, [])
