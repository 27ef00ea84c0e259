"""Few-shot examples chosen for the instruction (issue 28): the program prompt can carry the k examples of
codebot/prompts/example_library.jsonl most similar to the instruction instead of the fixed examples.txt.

Similarity is TF-IDF cosine over the instruction's words and word bigrams, after the template matcher's
normalisation (synonyms mapped: crimson -> red, cube -> block, tower -> stack, each block -> all the
blocks) and a few more (centre -> middle, nearest -> closest, drop/place/move -> put), colour words
folded to one token (the structure of a command matters, not which colour it names) and plurals
folded. A lexical index: a rewording that shares no word with an example does not find it. numpy only;
built once per process (~0.3 s with its imports), ~0.2 ms a query.

Every item is checked for real by tests/codebot/test_example_library_sim.py (its program, run in the
simulator on its scene at its layout seed, satisfies its validated spec), and tests/codebot/bench/
test_splits.py keeps it clear of the unseen-instruction templates and of the held-out set.

    from codebot.prompt_examples import similar_examples
    similar_examples("put the green block on the red bowl", k=3)  # [Example, ...], most similar first

codebot.codegen renders them in the few-shot form (CodeGenerator(example_retrieval=k)).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

LIBRARY_FILE = "example_library.jsonl"
_COLOURS = frozenset("red orange yellow green blue purple pink cyan brown gray".split())
# Words the instruction normaliser leaves apart that mean the same to the choice of an example.
_WORDS = {"centre": "middle", "center": "middle", "nearest": "closest", "nearer": "closer", "furthest": "farthest",
          "further": "farther", "place": "put", "set": "put", "drop": "put", "move": "put", "grab": "pick",
          "take": "pick", "tell": "say", "visible": "see", "pile": "stack", "onto": "on", "into": "in"}


@dataclass(frozen=True)
class Example:
    """One library item: a scene's object names, an instruction, its goal spec, a correct program."""

    id: str
    objects: tuple[str, ...]
    instruction: str
    spec: str
    program: str
    seed: int = 0  # the layout seed on which the library test verifies it (codebot.checks.scene.SceneSpec)


@lru_cache(maxsize=1)
def load_library() -> tuple[Example, ...]:
    """The library, in file order (package data)."""
    text = resources.files("codebot.prompts").joinpath(LIBRARY_FILE).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Example(d["id"], tuple(d["objects"]), d["instruction"], d["spec"], d["program"],
                               int(d.get("seed", 0))))
    return tuple(out)


def index_terms(text: str) -> list[str]:
    """Words (colours as one token, near-synonyms mapped, plurals folded) and word bigrams of the
    normalised instruction."""
    from codebot.checks.goals.normalize import normalize_instruction

    words = []
    for word in re.findall(r"[a-z0-9]+", normalize_instruction(text)[0]):
        word = _WORDS.get(word, word)
        if word in _COLOURS:
            word = "<colour>"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


class ExampleIndex:
    """TF-IDF vectors (sublinear term frequency, smoothed idf, unit length) of the library's
    instructions; `nearest` ranks by cosine similarity, ties broken by library order."""

    def __init__(self, examples: tuple[Example, ...]):
        self.examples = examples
        docs = [index_terms(e.instruction) for e in examples]
        self.vocabulary = {t: i for i, t in enumerate(sorted({t for d in docs for t in d}))}
        df = np.zeros(len(self.vocabulary))
        for doc in docs:
            df[[self.vocabulary[t] for t in set(doc)]] += 1
        self.idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        self.matrix = np.vstack([self._vector(d) for d in docs]) if docs else np.zeros((0, len(df)))

    def _vector(self, terms: list[str]) -> np.ndarray:
        v = np.zeros(len(self.vocabulary))
        for term in terms:
            if term in self.vocabulary:
                v[self.vocabulary[term]] += 1.0
        nz = v > 0
        v[nz] = (1.0 + np.log(v[nz])) * self.idf[nz]
        norm = math.sqrt(float(v @ v))
        return v / norm if norm else v

    def scores(self, instruction: str) -> np.ndarray:
        """Cosine similarity of `instruction` to every library instruction, in library order."""
        return self.matrix @ self._vector(index_terms(instruction))

    def nearest(self, instruction: str, k: int) -> list[Example]:
        """The k most similar examples, most similar first."""
        if k <= 0:
            return []
        scores = self.scores(instruction)
        order = sorted(range(len(scores)), key=lambda i: (-round(float(scores[i]), 12), i))
        return [self.examples[i] for i in order[:k]]


@lru_cache(maxsize=1)
def library_index() -> ExampleIndex:
    """The index over the packaged library, built on first use and kept for the process."""
    return ExampleIndex(load_library())


def similar_examples(instruction: str, k: int) -> list[Example]:
    """The k library examples most similar to `instruction`, most similar first."""
    return library_index().nearest(instruction, k)

