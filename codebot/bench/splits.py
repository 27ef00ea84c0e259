"""Clean splits: no prompt text may paraphrase an unseen-instruction template (9-14).

The UA/UI cells measure instructions the model was never shown. A few-shot example such as "put the
blocks in a horizontal line in the middle" (template 14 with one word added) makes that cell a seen
one. `leaks` compares every line of prompt text with every instruction the templates can produce:
both are normalised (the template matcher's synonyms; colours, places, directions and ordinals become
placeholders; plurals folded),
cut into word 1- to 3-grams, and a line is a leak when it is closer to an unseen-instruction template
than to every seen one and its overlap with it reaches LEAK_THRESHOLD (Jaccard of n-gram sets).
Closeness to a seen template is allowed: those are the templates the prompt may teach. It is a lexical
test: a paraphrase with none of a template's words ("arrange the cubes along a row") passes it, so new
prompt text still wants a reader's eye.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

LEAK_THRESHOLD = 0.3

# The labelled everyday sets under benchmarks/data/, by role. Held out: each committed before the tuning it measures
# (v2 after v1's misses were read, v3 before v2's were, v4 after v3 had been seen twice and before the tuning v4
# measures; v5, v6 and the fresh batches written by separate helpers that saw neither the parser nor any set, and
# committed unread); no prompt, example or library row may be a near copy of one. Tuning: the phrase parser's set,
# and the fresh batches whose misses were read after they had measured their session's rules (the eighteenth's in
# the nineteenth session, the nineteenth's in the twentieth, and so on to the twenty-third's in the twenty-fourth):
# tuning data from then on, in the restatement library.
HELD_OUT_SETS = ("everyday_heldout.jsonl", "everyday_heldout_v2.jsonl", "everyday_heldout_v3.jsonl",
                 "everyday_heldout_v4.jsonl", "everyday_heldout_v5.jsonl", "everyday_heldout_v6.jsonl",
                 "paraphrase_fresh_s24.jsonl")
TUNING_SETS = ("paraphrase_tuning.jsonl", "paraphrase_fresh_s18.jsonl", "paraphrase_fresh_s19.jsonl",
               "paraphrase_fresh_s20.jsonl", "paraphrase_fresh_s21.jsonl", "paraphrase_fresh_s22.jsonl",
               "paraphrase_fresh_s23.jsonl")
_SAMPLES_PER_SPLIT = 40

_COLOURS = ("red orange yellow green blue purple pink cyan brown gray grey white black crimson azure "
            "scarlet navy violet magenta teal lime gold silver").split()
_PLACEHOLDERS = [
    (r"\b(?:top|bottom) (?:left|right) corner\b", "PLACE"),
    (r"\b(?:top|bottom|left|right) side\b", "PLACE"),
    (r"\b(?:middle|center|centre)\b", "PLACE"),
    (r"\b(?:horizontal|vertical|diagonal)\b", "AXIS"),
    (r"\b(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\b", "NTH"),
    (r"\b(?:" + "|".join(_COLOURS) + r")\b", "COLOR"),
    (r"\b(?:left|right|top|bottom|above|below)\b", "DIR"),
]


def normalise(text: str) -> list[str]:
    """Lower-case words, synonyms mapped as the template matcher maps them (tower -> stack, each
    block -> all the blocks, crimson -> red...), attribute values replaced by placeholders, plurals folded."""
    from codebot.checks.goals import normalize_instruction

    text = normalize_instruction(text.lower())[0].replace("colour", "color")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    for pattern, placeholder in _PLACEHOLDERS:
        text = re.sub(pattern, placeholder, text)
    words = []
    for word in text.split():
        if word.islower() and len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]  # blocks -> block, corners -> corner, colors -> color
        words.append(word)
    return words


def ngrams(words: list[str]) -> frozenset[tuple[str, ...]]:
    """Word 1-, 2- and 3-grams: the single words tell composed templates apart (template 11 is
    template 2's "stack" with template 3's "on the <place>"), the longer ones the phrasing."""
    if len(words) < 3:
        return frozenset()  # a word or two is not an instruction
    return frozenset(tuple(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1))


def synonym_words(text: str) -> list[str]:
    """normalise without its placeholders: synonyms mapped as the template matcher maps them (crimson -> red,
    cube -> block, each block -> all the blocks), plurals folded, colours and places kept. With the placeholders
    every instance of one command form is the same text (examples.txt's own 'put the green block in the red bowl'
    would duplicate any held-out 'put the <colour> block in the <colour> bowl')."""
    from codebot.checks.goals import normalize_instruction

    words = re.findall(r"[a-z0-9]+", normalize_instruction(text)[0])
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def word_grams(words: list[str]) -> frozenset:
    """Word 1-3-grams of any length of text (ngrams, for short texts too)."""
    return frozenset(tuple(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def unseen_instruction_templates() -> frozenset[int]:
    """The template ids of the UA/UI cells (9-14), as the suite's split defines them."""
    from codebot.checks.tasks.registry import split_cells

    return frozenset(tid for cell in split_cells() if cell.name == "UA/UI" for tid in cell.template_ids)


@lru_cache(maxsize=1)
def template_ngrams() -> dict[int, list[frozenset]]:
    """Per template id: the n-gram sets of the instructions its sampler produces (both splits)."""
    import numpy as np

    from codebot.checks.tasks import registry

    out: dict[int, list[frozenset]] = {}
    for task_cls in registry.all_tasks():
        task = task_cls() if isinstance(task_cls, type) else task_cls
        texts = {task.sample(np.random.default_rng(seed), split=split).instruction
                 for seed in range(_SAMPLES_PER_SPLIT) for split in ("seen", "unseen")}
        out[task.template_id] = sorted({ngrams(normalise(t)) for t in texts}, key=sorted)
    return out


@dataclass(frozen=True)
class Leak:
    source: str
    line: str
    template_id: int
    overlap: float  # with the closest instruction of that unseen-instruction template
    best_seen: float  # with the closest instruction of any seen template

    def describe(self) -> str:
        return (f"{self.source}: {self.line.strip()!r} paraphrases unseen-instruction template "
                f"{self.template_id} (n-gram overlap {self.overlap:.2f}; closest seen template {self.best_seen:.2f})")


def leaks(texts: Iterable[tuple[str, str]], threshold: float = LEAK_THRESHOLD) -> list[Leak]:
    """Every line of the (source name, text) pairs that paraphrases an unseen-instruction template."""
    by_template = template_ngrams()
    unseen = unseen_instruction_templates()
    found = []
    for source, text in texts:
        for line in text.splitlines():
            grams = ngrams(normalise(line))
            if not grams:
                continue
            scores = {tid: max(_jaccard(grams, g) for g in sets) for tid, sets in by_template.items()}
            best_seen = max((s for tid, s in scores.items() if tid not in unseen), default=0.0)
            for tid in sorted(unseen & scores.keys()):
                if scores[tid] >= threshold and scores[tid] > best_seen:
                    found.append(Leak(source, line, tid, scores[tid], best_seen))
    return found


def prompt_texts() -> list[tuple[str, str]]:
    """All text the models are shown besides the instruction and scene: the program prompt (system
    text with the primitive API, few-shot programs), the API with the primitives' own examples (the
    MCP server and remote models get it), the helper-function prompt, the goal-spec writer's prompt and the
    restatement prompt."""
    from codebot.codegen import CodeGenerator, prompt_file
    from codebot.checks.goal_writer import system_prompt

    from codebot.primitives.registry import render_api

    gen = CodeGenerator(llm=None, groups=("core",))
    return [("system.txt + primitive API", gen.system), ("primitive API with examples", render_api(examples=True)),
            ("examples.txt", gen.examples), ("examples_goals.txt", gen.examples_with_goals),
            ("function_examples.txt", gen.function_examples), ("goal_system.txt", system_prompt()),
            ("goal_examples.txt", prompt_file("goal_examples.txt")),
            ("restate_system.txt", prompt_file("restate_system.txt")),
            ("restate_examples.txt", prompt_file("restate_examples.txt"))]
