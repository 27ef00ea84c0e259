"""Is a spec licensed by its instruction? A written spec may name only what the instruction names.

Every scene object a spec names must be licensed by the instruction: its colour word is in the
instruction (after synonyms: crimson -> red), or it is the only object of its kind in the scene and the
instruction names that kind ("put the block in the bowl" with one of each). Every named place needs a
place word in the instruction (corner, side, middle...). Objects the spec reaches through a relation it
states itself (a quantifier over blocks, nearest(...), nth(...)) are not names and need no licence; an
instruction asking for the same/matching colour licenses the other kind of each colour it names.
A spec that fails this talks about something nobody asked for: it is no check.

    grounding_problems(load_goal("forall(x in blocks: in(x, cyan bowl))"),
                       "move every block to the bowl that shares its colour", objects)
    -> [Problem('ungrounded', "names cyan bowl, but the instruction says nothing of cyan ...")]
"""
from __future__ import annotations

import re

from codebot.checks.goals.normalize import COLOUR_SYNONYMS, OBJECT_SYNONYMS
from codebot.checks.goals.spec import PLACE_NAMES, Formula, Name, walk
from codebot.checks.goals.validate import Problem
from codebot.primitives.colors import COLORS
from codebot.primitives.protocols import ObjectInfo

BLOCK_NOUNS = {"block", "blocks", "piece", "pieces"} | {w for w, k in OBJECT_SYNONYMS.items() if k.startswith("block")}
BOWL_NOUNS = {"bowl", "bowls", "container", "containers", "cup", "cups", "plate", "plates", "receptacle"} \
    | {w for w, k in OBJECT_SYNONYMS.items() if k.startswith("bowl")}
NEUTRAL_NOUNS = {"one", "ones", "it", "them", "thing", "things", "object", "objects", "item", "items"}
KIND_NOUNS = {"block": BLOCK_NOUNS | NEUTRAL_NOUNS, "bowl": BOWL_NOUNS}
PLACE_WORDS = {"corner", "corners", "side", "sides", "edge", "edges", "middle", "center", "centre", "border",
               "top", "bottom", "left", "right", "upper", "lower"}
_WORD = re.compile(r"[a-z0-9]+")
# "the bowl of the same colour", "its matching bowl": the colour of one named object licenses the other kind
MATCHING = re.compile(r"\b(same colou?r|matching|match(es)? (its|their|the) colou?r|shares? (its|their|a) colou?r"
                      r"|match(es)? (the )?[a-z]+ (block|bowl|one)|(has|have|with|of|in) (its|their) (own )?colou?r"
                      r"|(that|which) match(es)? (it|them)|(its|their) (colou?r )?match)\b")


def instruction_tokens(text: str) -> list[str]:
    """The instruction's words in order, lower case, colour synonyms as their colour (crimson -> red)."""
    return [COLOUR_SYNONYMS.get(w, w) for w in _WORD.findall(text.lower())]


def licensed_objects(tokens: list[str]) -> set[tuple[str, str]]:
    """(colour, kind) pairs the words name: a colour followed by a block or bowl noun names that kind
    ("blue bowl"); followed by anything else ("the blue one", "red and blue blocks") it may be either."""
    out = set()
    for i, word in enumerate(tokens):
        if word not in COLORS:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        kinds = ["block"] if nxt in BLOCK_NOUNS else ["bowl"] if nxt in BOWL_NOUNS else ["block", "bowl"]
        out |= {(word, k) for k in kinds}
    return out


def grounding_problems(goal: Formula, instruction: str, objects: list[ObjectInfo]) -> list[Problem]:
    """[] when every object and place the spec names is licensed by `instruction` (see module doc)."""
    tokens = instruction_tokens(instruction)
    words, named = set(tokens), licensed_objects(tokens)
    if MATCHING.search(instruction.lower()):
        named |= {(colour, kind) for colour, _ in named for kind in ("block", "bowl")}
    by_name = {o.name: o for o in objects}
    kind_count: dict[str, int] = {}
    for o in objects:
        kind_count[o.kind] = kind_count.get(o.kind, 0) + 1
    problems, seen = [], set()
    for node in walk(goal):
        if not isinstance(node, Name) or node.text in seen:
            continue
        seen.add(node.text)
        if node.text in PLACE_NAMES:
            if not words & PLACE_WORDS:
                problems.append(Problem("ungrounded", f"names the place {node.text!r}, but the instruction names "
                                                      f"no place (corner, side, middle...)"))
            continue
        obj = by_name.get(node.text)
        if obj is None:
            continue  # an unknown name is validate_goal's to report
        if (obj.color, obj.kind) in named:
            continue
        if kind_count.get(obj.kind) == 1 and words & KIND_NOUNS.get(obj.kind, {obj.kind}):
            continue  # the only one of its kind, and the instruction names the kind
        problems.append(Problem("ungrounded", f"names {obj.name}, but the instruction names no {obj.color} {obj.kind} "
                                              f"(a spec may name only what the instruction names, or reach it "
                                              f"through a relation it states: every block, nearest(...), "
                                              f"matching colour)"))
    return problems
