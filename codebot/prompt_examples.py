"""Few-shot examples chosen for the instruction (issue 28): the program prompt can carry the k examples of
codebot/prompts/example_library.jsonl most similar to the instruction instead of the fixed examples.txt.

Similarity is TF-IDF cosine over the instruction's words and word bigrams, after the template matcher's
normalisation (synonyms mapped: crimson -> red, cube -> block, tower -> stack, each block -> all the
blocks) and a few more (centre -> middle, nearest -> closest, drop/place/move -> put), colour words
folded to one token (the structure of a command matters, not which colour it names) and plurals
folded. A lexical index: a rewording that shares no word with an example does not find it. numpy only;
built once per process (~0.3 s with its imports), ~0.2 ms a query.

When the check is chosen before the program is written (a goal spec), the examples are chosen by the
*shape of their spec* first (`spec_terms`: relations, selectors and nesting, with object names folded to
their kind), the instruction's words only breaking ties: an everyday phrasing shares few words with the
library, and a small model copies the nearest example's program, so that example must do what the check
asks ("the block second from the left" and "the 2nd block counting from the left" share the spec shape
`in(nth(blocks, N, DIR), BOWL)`, not their words).

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

from codebot.checks.goals.spec import PLACE_NAMES

LIBRARY_FILE = "example_library.jsonl"
# The scene colours, in the order they are given out when an example's colours are renamed (recoloured).
_PALETTE = ("purple", "cyan", "brown", "pink", "gray", "orange", "yellow", "green", "blue", "red")
_COLOURS = frozenset(_PALETTE)
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


_COLOUR_WORD = re.compile(r"\b(%s)\b" % "|".join(_PALETTE))


def recoloured(example: Example, avoid: set[str]) -> Example:
    """The example with each of its colours that is in `avoid` (the query's scene and instruction) renamed, one to
    one, to a colour that neither uses: a 1.5B model copies the nearest example's object names, and where the
    query's scene has an object of that name the copy moves it (cap-tabletop template 8: the example's
    `pick('orange block')` was copied for a goal line that named the red block, and repeated in every repair).
    Renaming is consistent, so "the green block in the green bowl" still matches; an example is unchanged where
    no colour is free."""
    used = {m.group(1) for field in (example.instruction, example.spec, example.program, " ".join(example.objects))
            for m in _COLOUR_WORD.finditer(field)}
    clashing = sorted(used & avoid, key=_PALETTE.index)
    free = [c for c in _PALETTE if c not in avoid and c not in used]
    if not clashing or len(free) < len(clashing):
        return example
    mapping = dict(zip(clashing, free))

    def swap(text: str) -> str:
        return _COLOUR_WORD.sub(lambda m: mapping.get(m.group(1), m.group(1)), text)

    return Example(example.id, tuple(swap(o) for o in example.objects), swap(example.instruction), swap(example.spec),
                   swap(example.program), example.seed)


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


_PLACE = re.compile(r"\b(?:%s)\b" % "|".join(sorted(map(re.escape, PLACE_NAMES), key=len, reverse=True)))
_OBJECT = re.compile(r"\b(?:%s) (block|bowl)\b" % "|".join(sorted(_COLOURS)))


def spec_terms(spec: str) -> list[str]:
    """The shape of a goal spec as index terms: its tokens (relation and selector names, set names,
    directions, brackets) with each object name folded to its kind (BLOCK, BOWL), each place to PLACE and
    each number to N, as unigrams, bigrams and trigrams, so `in(nth(blocks, 2, left), pink bowl)` and
    `in(nth(blocks, 3, right), red bowl)` share every term but the direction. A name followed by its
    bracket is one token (`in(`), so the relation is not the quantifier's `in` (`forall(x in blocks: ...)`)."""
    text = _OBJECT.sub(lambda m: m.group(1).upper(), " ".join(spec.split()))
    text = re.sub(r"\d+(?:\.\d+)?", "N", _PLACE.sub("PLACE", text))
    tokens = re.findall(r"[A-Za-z_]+\(?|[)\[\]:,]|[<>=!]=?", text)
    return (tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
            + [f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:])])


class ExampleIndex:
    """TF-IDF vectors (sublinear term frequency, smoothed idf, unit length) of the library's
    instructions (or, with `terms=spec_terms` and `field="spec"`, of their specs); `nearest` ranks by
    cosine similarity, ties broken by library order."""

    def __init__(self, examples: tuple[Example, ...], terms=index_terms, field: str = "instruction"):
        self.examples = examples
        self.terms = terms
        docs = [terms(getattr(e, field)) for e in examples]
        self.vocabulary = {t: i for i, t in enumerate(sorted({t for d in docs for t in d}))}
        df = np.zeros(len(self.vocabulary))
        for doc in docs:
            df[[self.vocabulary[t] for t in set(doc)]] += 1
        self.idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        self.matrix = np.vstack([self._vector(d) for d in docs]) if docs else np.zeros((0, len(df)))

    def _vector(self, terms: list[str], unseen_weight: bool = False) -> np.ndarray:
        """`unseen_weight` (a query): terms no library text has still count in its length, at the highest
        idf, so a spec whose relation no example has (`line(...)`) is not scored as if it were only its
        familiar part."""
        v = np.zeros(len(self.vocabulary))
        unseen: dict[str, int] = {}
        for term in terms:
            if term in self.vocabulary:
                v[self.vocabulary[term]] += 1.0
            else:
                unseen[term] = unseen.get(term, 0) + 1
        nz = v > 0
        v[nz] = (1.0 + np.log(v[nz])) * self.idf[nz]
        extra = 0.0
        if unseen_weight and unseen:
            top_idf = math.log(1 + len(self.examples)) + 1.0
            extra = sum(((1.0 + math.log(c)) * top_idf) ** 2 for c in unseen.values())
        norm = math.sqrt(float(v @ v) + extra)
        return v / norm if norm else v

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of `text` to every indexed text, in library order."""
        return self.matrix @ self._vector(self.terms(text), unseen_weight=True)

    def nearest(self, instruction: str, k: int) -> list[Example]:
        """The k most similar examples, most similar first."""
        return top_ranked(self.examples, self.scores(instruction), k)


def top_ranked(examples: tuple, scores: np.ndarray, k: int) -> list:
    """The k examples of highest score, highest first, ties broken by library order."""
    if k <= 0:
        return []
    order = sorted(range(len(scores)), key=lambda i: (-round(float(scores[i]), 12), i))
    return [examples[i] for i in order[:k]]


# With a spec, the instruction's words only break ties between examples of (nearly) the same spec shape.
INSTRUCTION_WEIGHT = 0.25
HINT_WEIGHT = 1.0


@lru_cache(maxsize=1)
def library_index() -> ExampleIndex:
    """The index over the packaged library's instructions, built on first use and kept for the process."""
    return ExampleIndex(load_library())


@lru_cache(maxsize=1)
def spec_index() -> ExampleIndex:
    """The index over the packaged library's spec shapes (spec_terms)."""
    return ExampleIndex(load_library(), terms=spec_terms, field="spec")


def program_terms(text: str) -> list[str]:
    """The words of program text (identifiers split at underscores, string contents included, colours folded):
    what a `# where` hint's primitive call shares with an example's program."""
    words = [w for w in re.findall(r"[a-z]+", text.lower().replace("_", " ")) if w not in _COLOURS]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


@lru_cache(maxsize=1)
def program_index() -> ExampleIndex:
    """The index over the packaged library's programs (program_terms)."""
    return ExampleIndex(load_library(), terms=program_terms, field="program")


def similar_examples(instruction: str, k: int, spec: str | None = None, hints: tuple[str, ...] = (),
                     avoid_colours_of: str = "") -> list[Example]:
    """The k library examples most similar to `instruction`, most similar first; with the instruction's
    goal `spec`, the most similar in spec shape (the instruction's words weighted INSTRUCTION_WEIGHT); with
    `hints` (the program expressions of the prompt's `# where` lines), also the most similar in what their
    programs call (HINT_WEIGHT), so a line's points find the example that puts blocks on computed points. Each
    colour `avoid_colours_of` names (the query's text) is renamed in the examples chosen (recoloured)."""
    if not spec:
        chosen = library_index().nearest(instruction, k)
    else:
        scores = spec_index().scores(spec) + INSTRUCTION_WEIGHT * library_index().scores(instruction)
        if hints:
            scores = scores + HINT_WEIGHT * program_index().scores(" ".join(hints))
        chosen = top_ranked(load_library(), scores, k)
    avoid = {m.group(1) for m in _COLOUR_WORD.finditer(avoid_colours_of.lower())}
    return [recoloured(e, avoid) for e in chosen] if avoid else chosen

