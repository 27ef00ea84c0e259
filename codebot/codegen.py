"""Prompts and code generation, Code-as-Policies style.

Prompt = API text rendered from the primitive registry + few-shot examples (data files in
codebot/prompts/) + a scene summary + the instruction. Names the generated code calls that are neither
primitives, builtins nor defined are generated in turn from `# define function: sig.` (bounded depth)
and cached per session.
"""
from __future__ import annotations

import ast
import builtins
import os
import re
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable

from codebot.llm import LLMError
from codebot.sandbox.safe_env import _BUILTIN_NAMES, error_classes
from codebot.sandbox.validator import assigned_names, called_names, defined_functions

# A small model may go on writing the next few-shot example: stop at its first line.
CODE_STOP = ["```", "\n# objects =", "\n# define function:", "<|im_end|>", "<|endoftext|>"]
# Modules that register the primitives of an optional group (imported on demand, if installed).
GROUP_MODULES = {"vision": "codebot.vision.primitives"}


def load_groups(groups: Iterable[str]) -> None:
    import importlib

    from codebot import primitives

    primitives.load_all()
    for group in groups:
        if group in GROUP_MODULES:
            try:
                importlib.import_module(GROUP_MODULES[group])
            except Exception:  # optional part missing: its primitives are simply not offered
                pass
MAX_HELPER_DEPTH = 2
EXAMPLES_HEADER = "Examples:\n"
OTHER_RETRIEVAL = 4  # examples retrieved for program_messages(other_examples=True) where the fixed ones are shown
MAX_HELPERS = 6


def prompt_file(name: str) -> str:
    return resources.files("codebot.prompts").joinpath(name).read_text(encoding="utf-8")


def compact_api(groups: Iterable[str] = ("core",)) -> str:
    """The registry's API text without its example blocks (the few-shot programs show usage and
    every token of prompt costs time on a CPU)."""
    from codebot.primitives.registry import render_api

    load_groups(groups)
    out, skipping = [], False
    for line in render_api(tuple(groups)).splitlines():
        if line.startswith("# examples:"):
            skipping = True
            continue
        if skipping and line.startswith("#   "):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out).strip() + "\n"


def loose_grammar() -> str:
    """A deliberately loose GBNF: lines of code without markdown fences (a strict Python grammar made
    a small model's code worse in our probe)."""
    return prompt_file("code_loose.gbnf")


def scene_comment(objects: list[dict[str, Any]]) -> str:
    names = [o["name"] for o in objects if o.get("visible", True)]
    return f"# objects = {names!r}"


def instruction_comment(instruction: str) -> str:
    text = " ".join(instruction.strip().split())
    if text and text[-1] not in ".!?":
        text += "."
    return f"# {text}"


# ----------------------------------------------------------------------------------- extraction
_FENCE = re.compile(r"```[ \t]*(?:python|py|Python)?[ \t]*\n(.*?)(?:```|\Z)", re.S)


def extract_code(text: str) -> str:
    """Python code out of an LLM reply that may hold prose, markdown fences or a truncated tail: the longest
    block that parses; if nothing parses, the cleaned text (the validator reports the syntax error)."""
    text = text.replace("\r\n", "\n").replace("<|im_end|>", "").replace("<|endoftext|>", "")
    fenced = _FENCE.findall(text)
    candidate = max(fenced, key=len) if fenced else text
    candidate = candidate.strip("\n")
    if _parses(candidate):
        return candidate.rstrip() + "\n"
    lines = candidate.split("\n")
    n = len(lines)
    # Smallest trim first: drop leading prose and/or a trailing partial line.
    for trimmed in range(1, min(n, 40)):
        for head in range(0, trimmed + 1):
            tail = trimmed - head
            chunk = lines[head:n - tail]
            code = "\n".join(chunk)
            if chunk and code.strip() and _looks_like_code(chunk) and _parses(code):
                return code.strip("\n") + "\n"
    return candidate.rstrip() + "\n"


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
        return True
    except (SyntaxError, ValueError):
        return False


def _looks_like_code(lines: list[str]) -> bool:
    """Reject 'code' that is one line of prose that happens to parse (e.g. `Here it is`)."""
    for line in lines:
        s = line.strip()
        if s and not s.startswith("#"):
            return bool(re.match(r"^[A-Za-z_][\w\.]*\s*(\(|=|\[|\+=|-=|:)|^(for|if|while|def|return|try|with)\b", s)) \
                or s.startswith(("(", "[", "'", '"'))
    return False


def strip_repeated_prompt(code: str, instruction_line: str) -> str:
    """Some models echo the instruction comment; keep only what follows its last echo."""
    lines = code.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() == instruction_line.strip():
            rest = "\n".join(lines[i + 1:]).strip("\n")
            return rest + "\n" if rest else code
    return code


# ------------------------------------------------------------------------------------ prompting
@dataclass
class LLMCall:
    """One completion: what was asked, what came back, how long it took (trace material)."""

    purpose: str  # "program" | "function:<name>" | "repair" | "candidate"
    messages: list[dict[str, str]]
    completion: str
    seconds: float
    stats: dict[str, Any] = field(default_factory=dict)
    stop: list[str] | None = None


class CodeGenerator:
    """Builds prompts, calls the LLM, extracts code, and fills in undefined helper functions."""

    def __init__(self, llm, groups: Iterable[str] = ("core",), max_tokens: int = 400,
                 helper_depth: int = MAX_HELPER_DEPTH, grammar: str | None = None, example_retrieval: int = 0,
                 goal_lines: bool = False, recolour_examples: bool = False):
        """`example_retrieval`: k > 0 shows the k library examples most similar to each instruction
        (codebot.prompt_examples) instead of the fixed examples.txt (the agent's default: 4, AgentConfig).
        `goal_lines` (the agent's goal_in_prompt): the examples always show their goal lines, with or without a
        check, so every prompt starts with the one static prefix the local model keeps precomputed.
        `recolour_examples`: the retrieved examples name no colour the query does (prompt_examples.recoloured)."""
        from codebot.primitives.registry import allowed_names

        load_groups(groups)
        self.llm = llm
        self.grammar = grammar  # GBNF text, or None
        self.groups = tuple(groups)
        self.max_tokens = max_tokens
        self.helper_depth = helper_depth
        self.api = compact_api(self.groups)
        self.system = prompt_file("system.txt").format(api=self.api)
        self.examples = prompt_file("examples.txt").strip()
        self.examples_with_goals = prompt_file("examples_goals.txt").strip()  # the same, with goal and where lines
        self.example_retrieval = max(0, int(example_retrieval))
        self.goal_lines = bool(goal_lines)
        self.recolour_examples = bool(recolour_examples)
        self.function_examples = prompt_file("function_examples.txt").strip()
        self.known = (set(allowed_names(self.groups)) | set(_BUILTIN_NAMES) | {"print", "np", "math"}
                      | set(error_classes()))
        self.helper_cache: dict[str, str] = {}  # per session: name -> function source
        self.query_prefix = "```python\n"
        self.calls: list[LLMCall] = []

    # --------------------------------------------------------------------------------- prompts
    def program_messages(self, instruction: str, objects: list[dict[str, Any]], goal: str | None = None,
                         shown_instruction: str | None = None, other_examples: bool = False,
                         placements: Iterable[tuple[str, str]] = (), notes: Iterable[str] = ()) -> list[dict[str, str]]:
        """`goal`: the check already chosen for this instruction, in the spec language, shown as a `# goal:`
        line above the instruction (the agent shows it resolved on the scene: Preparation.program_goal);
        `shown_instruction`: the instruction as the query shows it ("the red block" for "the second block from the
        left": Preparation.shown_instruction), examples still retrieved by `instruction`; `placements`: a point where
        each direction clause holds ("above(red block, purple bowl) holds at offset_xyz('purple bowl', 'top', 0.12)"),
        since a small model reads "above" as "on"; `notes`: more `#` lines the check implies (which move comes first,
        how a tower on a place is built); `other_examples`: the other kind of few-shot block (the fixed examples where
        they are retrieved, and retrieved ones where they are fixed), for a model that keeps repeating itself."""
        goal_line = f"# goal: {' '.join(goal.split())}\n" if goal else ""
        placements = list(placements)
        goal_line += "".join(f"# where {clause} holds at {point}\n" for clause, point in placements)
        goal_line += "".join(f"# {note}\n" for note in notes)
        query = f"{scene_comment(objects)}\n{goal_line}{instruction_comment(shown_instruction or instruction)}\n"
        # A backend that pre-fills the reply starts it with the query: code for THIS instruction, not the examples.
        self.query_prefix = "```python\n" + query
        examples = self.examples_for(instruction, bool(goal) or self.goal_lines, other_examples, goal,
                                     tuple(p for _, p in placements), query if self.recolour_examples else "")
        user = (f"{EXAMPLES_HEADER}{examples}\n\n"
                f"Write the program for the last instruction:\n"
                f"{query}")
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def examples_for(self, instruction: str, with_goals: bool = False, other: bool = False, goal=None, hints=(),
                     avoid_colours_of: str = "") -> str:
        """The few-shot block: examples.txt, or (example_retrieval = k > 0) the k library examples most
        similar to the instruction, in the same form, the most similar one last (next to the query).
        `with_goals` (the query shows its `# goal:` line): each example shows its own spec the same way
        (examples_goals.txt: the fixed ones with their `# where` lines, programs that use the object named
        there), so the model has seen how a goal line maps onto the program before it meets one; given the
        `goal`, retrieval goes by spec shape first, and by what the `hints`' calls share (prompt_examples), with
        the colours `avoid_colours_of` names renamed."""
        retrieval = self.example_retrieval
        if other:  # the other kind of block (program_messages' other_examples)
            retrieval = 0 if retrieval else OTHER_RETRIEVAL
        if not retrieval:
            return self.examples_with_goals if with_goals else self.examples
        from codebot.prompt_examples import similar_examples

        chosen = similar_examples(instruction, retrieval, goal, hints, avoid_colours_of)
        return "\n".join(f"# objects = {list(e.objects)!r}\n"
                         + (f"# goal: {' '.join(e.spec.split())}\n" if with_goals else "")
                         + f"{instruction_comment(e.instruction)}\n{e.program.strip()}"
                         for e in reversed(chosen))

    def static_prefix(self) -> str:
        """The rendered text every program prompt starts with (system text, API, the fixed examples unless chosen
        per instruction), which a backend can keep precomputed: the common start of two unrelated prompts, cut
        after the examples header when examples vary (two probes may retrieve the same first example)."""
        from codebot.llm import chatml

        a = chatml(self.program_messages("put the red block in the blue bowl", [{"name": "red block"}]))
        b = chatml(self.program_messages("stack all the blocks", [{"name": "green block"}]))
        self.query_prefix = "```python\n"
        common = os.path.commonprefix([a, b])
        if self.example_retrieval:
            header = chatml([{"role": "system", "content": self.system}, {"role": "user", "content": EXAMPLES_HEADER}])
            common = os.path.commonprefix([common, header])
        return common

    def repair_messages(self, base: list[dict[str, str]], code: str, feedback: str) -> list[dict[str, str]]:
        return _answered(base, code, f"{feedback.rstrip()}\n\nWrite the complete corrected program "
                                     f"(code only, no explanation).")

    def repeat_messages(self, messages: list[dict[str, str]], repeated: str,
                        tried: Iterable[str] = ()) -> list[dict[str, str]]:
        """The same request with a note that its answer repeated a failed program: a small model
        re-asked the same question tends to give the same answer, and one shown its repeat as its own
        reply copies it again (seen at temperature 1.0), so the repeat is not put in the conversation;
        `tried` (one line per program already run: what it calls, why it failed) is listed instead."""
        listing = "".join(f"\n- {line}" for line in tried) or f"\n- {repeated.strip()[:200]}"
        note = (f"\n\nThese programs were already tried and failed; do not write any of them again, even with "
                f"other names:{listing}\nWrite a different program (code only).")
        last = dict(messages[-1])
        last["content"] = last["content"].rstrip() + note
        return messages[:-1] + [last]

    # ------------------------------------------------------------------------------ completions
    def complete(self, messages: list[dict[str, str]], purpose: str, temperature: float = 0.0,
                 max_tokens: int | None = None, stop: list[str] | None = None, prefix: str = "") -> str:
        t0, stop = time.perf_counter(), (stop if stop is not None else CODE_STOP)
        text = self.llm.complete(messages, stop=stop, max_tokens=max_tokens or self.max_tokens,
                                 temperature=temperature, **self._llm_kwargs(prefix))
        self.calls.append(LLMCall(purpose, [dict(m) for m in messages], text, time.perf_counter() - t0,
                                  dict(getattr(self.llm, "last_stats", {}) or {}), list(stop)))
        return text

    def _llm_kwargs(self, prefix: str) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if prefix and getattr(self.llm, "supports_prefix", False):
            kwargs["assistant_prefix"] = prefix  # pre-filled reply start: the model writes code at once
        if self.grammar:
            kwargs["grammar"] = self.grammar
        return kwargs

    def complete_many(self, messages: list[dict[str, str]], purpose: str, temperatures: list[float],
                      prefix: str = "") -> list[str]:
        """One completion per temperature: decoded together when the backend has parallel slots
        (`complete_many`), else one call after another. Each is logged as its own call."""
        if len(temperatures) < 2 or not hasattr(self.llm, "complete_many"):
            return [self.complete(messages, purpose, t, prefix=prefix) for t in temperatures]
        t0 = time.perf_counter()
        texts = self.llm.complete_many(messages, list(temperatures), stop=CODE_STOP, max_tokens=self.max_tokens,
                                       **self._llm_kwargs(prefix))
        wall = time.perf_counter() - t0
        stats = dict(getattr(self.llm, "last_stats", {}) or {})
        per = stats.pop("candidates", None) or [stats] * len(texts)
        for k, text in enumerate(texts):
            self.calls.append(LLMCall(f"{purpose}#{k}", [dict(m) for m in messages], text, wall,
                                      {**per[k], "batched": len(texts)}, list(CODE_STOP)))
        return texts

    def generate(self, messages: list[dict[str, str]], instruction: str, purpose: str = "program",
                 temperature: float = 0.0) -> str:
        """A complete program: the main code plus generated definitions of the helpers it calls."""
        raw = self.complete(messages, purpose, temperature, prefix=self.query_prefix)
        return self._program(raw, instruction)

    def generate_many(self, messages: list[dict[str, str]], instruction: str, purpose: str,
                      temperatures: list[float]) -> list[str]:
        """Candidate programs for one prompt, one per temperature (see complete_many)."""
        raws = self.complete_many(messages, purpose, temperatures, prefix=self.query_prefix)
        return [self._program(raw, instruction) for raw in raws]

    def _program(self, raw: str, instruction: str) -> str:
        code = strip_repeated_prompt(extract_code(raw), instruction_comment(instruction))
        return self.with_helpers(code)

    def undefined_calls(self, code: str) -> list[str]:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            return []
        bound = defined_functions(tree) | assigned_names(tree)
        # Builtins the sandbox withholds (open, eval...) are not "undefined": generating them would be
        # a way around the allowlist, and the validator reports them instead.
        return [n for n in called_names(tree) if n not in self.known and n not in bound
                and not hasattr(builtins, n)]

    def with_helpers(self, code: str) -> str:
        """Generate undefined functions recursively (bounded depth), reusing this session's cache.
        Helpers are prepended so the program defines them before use."""
        helpers: dict[str, str] = {}
        frontier = [(name, code, 1) for name in self.undefined_calls(code)]
        while frontier and len(helpers) < MAX_HELPERS:
            name, where, depth = frontier.pop(0)
            if name in helpers:
                continue
            source = self.helper_cache.get(name)
            if source is None:
                try:
                    source = self.generate_function(name, where)
                except LLMError:  # the program then fails with a NameError the feedback explains
                    source = None
                if source is None:
                    continue
                self.helper_cache[name] = source
            helpers[name] = source
            if depth < self.helper_depth:
                frontier.extend((n, source, depth + 1) for n in self.undefined_calls(source)
                                if n not in helpers and n != name)
        if not helpers:
            return code
        # Deepest helpers last-generated first so definitions precede use at call time (any order works
        # for calls inside function bodies; top-level code runs after all definitions).
        return "\n".join(helpers[n].rstrip() for n in reversed(list(helpers))) + "\n\n" + code

    def generate_function(self, name: str, context_code: str) -> str | None:
        signature = _call_signature(name, context_code)
        query = f"# define function: {signature}.\n"
        prompt = f"Examples:\n{self.function_examples}\n\nWrite the function:\n{query}"
        messages = [{"role": "system", "content": self.system}, {"role": "user", "content": prompt}]
        raw = self.complete(messages, f"function:{name}", prefix="```python\n" + query)
        source = extract_code(raw)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return None
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return ast.get_source_segment(source, node) or ast.unparse(node)
        return None


def _call_signature(name: str, code: str) -> str:
    """`name(arg, ...)` using the argument text of its first call (CaP's `# define function:`)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return f"{name}()"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
            args = [_arg_name(a, i) for i, a in enumerate(node.args)]
            args += [kw.arg for kw in node.keywords if kw.arg]
            return f"{name}({', '.join(args)})"
    return f"{name}()"


def _arg_name(node: ast.AST, index: int) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.sub(r"\W+", "_", node.value).strip("_") or f"arg{index}"
    return f"arg{index}"


def _answered(messages: list[dict[str, str]], code: str, request: str) -> list[dict[str, str]]:
    """A conversation continued with the model's program as its reply and a new request to it."""
    return messages + [{"role": "assistant", "content": code.rstrip() + "\n"},
                       {"role": "user", "content": request}]
