"""Restatement examples chosen for the instruction (issue 28): besides the fixed examples of
codebot/prompts/restate_examples.txt, the restatement prompt carries the k labelled phrasings most similar to the
instruction, each with its plain wording (codebot/prompts/restate_library.jsonl).

The library is built offline from the phrase parser's tuning set (benchmarks/build_restate_library.py): an item
whose expected spec has a plain wording that the parser reads back as that same spec on the item's scene
(goals/wording.py) becomes (instruction -> wording); an unexpressible item becomes (instruction -> unclear). So the
restatement a small model copies from a near example is one the parser reads, and a request the spec language cannot
say shows the honest reply. Nothing in it comes from a held-out set or an unseen template (tests/codebot/bench/
test_splits.py). Similarity is prompt_examples' TF-IDF over the instruction's words and bigrams (colours folded).

    similar_restatements("chuck the red cube over by the blue dish", k=4)  # [RestateExample, ...], least similar first
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LIBRARY_FILE = "restate_library.jsonl"
RETRIEVED = 4  # examples per prompt, chosen per instruction (0: the fixed examples only)


@dataclass(frozen=True)
class RestateExample:
    id: str
    objects: tuple[str, ...]
    instruction: str
    restated: str


@lru_cache(maxsize=1)
def load_restate_library() -> tuple[RestateExample, ...]:
    text = resources.files("codebot.prompts").joinpath(LIBRARY_FILE).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return tuple(RestateExample(r["id"], tuple(r["objects"]), r["instruction"], r["restated"]) for r in rows)


@lru_cache(maxsize=1)
def restate_index():
    from codebot.prompt_examples import ExampleIndex

    return ExampleIndex(load_restate_library())


def similar_restatements(instruction: str, k: int = RETRIEVED) -> list[RestateExample]:
    """The k library items most similar to `instruction`, least similar first (the nearest sits next to the
    question); an item with the very same instruction is skipped, so a labelled item never answers itself."""
    from codebot.prompt_examples import top_ranked

    if k <= 0:
        return []
    index = restate_index()
    scores = index.scores(instruction)
    same = " ".join(instruction.lower().split())
    for i, example in enumerate(index.examples):
        if " ".join(example.instruction.lower().split()) == same:
            scores[i] = -1.0  # below every cosine
    return top_ranked(index.examples, scores, k)[::-1]
