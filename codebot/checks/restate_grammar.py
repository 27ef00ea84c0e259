"""The restatement's plain wording as a grammar (llama.cpp GBNF), specialised to one scene: with it, the local model
can only reply "unclear" or a line of the plain commands codebot/prompts/restate_system.txt offers ("put the red
block in the blue bowl and then stack all the blocks except the green block"), naming only objects the scene has.

Without it, most restatements the parser does not read are near misses of that wording ("put the orange cube
diagonally opposite"). Constraining the words does not decide their meaning: the parser still reads the line, and
goal_restater.py still holds the reading to what the instruction licenses and to a second, agreeing sample.

Measured, and off by default (goal_restater.Restater's `use_grammar`): on the twenty-second fresh batch's 38
parser-unread items, four draws each, the local 1.5B model gave 16 correct checks and 1 wrong under the grammar
where free restatements gave 20 and 0; taking the grammar's draw only where the free one was not read gave 20 and 0
too. Forced into the wording, the small model more often names a block the instruction never named.

One table (`rules`) gives both the GBNF text and `sample_sentence`, a random sentence of the same language, so a
test can hold the parser to reading every shape the grammar lets the model say.

    grammar = restate_grammar(["red block", "blue bowl"])   # GBNF text for LocalLLM.complete(..., grammar=grammar)
    sample_sentence(["red block", "blue bowl"], random.Random(0))  # e.g. 'put the red block near the blue bowl'
"""
from __future__ import annotations

import json
import random

from codebot.checks.goals.spec import AXES, PLACE_NAMES

UNCLEAR = "unclear"
MAX_STEPS = 4  # commands joined by "and" / "and then" in one reply
MAX_LISTED = 4  # objects in one listed set ("the red block, the blue block and the green block")
NUMBERS = ("one", "two", "three", "four", "five")
ORDINALS = ("first", "second", "third")
ENDS = ("left", "right", "top", "bottom")
EXTREMES = ("leftmost", "rightmost", "topmost", "bottommost")
SIDE_OF = ("left of", "right of", "above", "below")
AXIS_ADVERBS = {"horizontal": "horizontally", "vertical": "vertically", "diagonal": "diagonally"}

Rules = dict[str, list[list[str]]]  # rule -> alternatives; an item "<rule>" refers to a rule, any other is words


def _choice(*words: str) -> list[list[str]]:
    return [[w] for w in words]


def _selectors(kind: str, beside: bool = True) -> list[list[str]]:
    """'the block nearest the red bowl', 'the second bowl from the left', …; `beside`: 'the block left of X' too."""
    said = [[f"the {kind} nearest ", "<name>"], [f"the {kind} farthest from ", "<name>"],
            ["the ", "<ordinal>", f" {kind} from the ", "<end>"], ["the ", "<extreme>", f" {kind}"]]
    return said + ([[f"the {kind} ", "<beside>", " ", "<name>"]] if beside else [])


def rules(object_names: list[str]) -> Rules:
    """The plain wording over these objects (every name 'colour kind', e.g. 'red block')."""
    names = sorted(set(object_names), key=lambda n: (-len(n), n))
    blocks = [n for n in names if n.endswith(" block")] or names
    bowls = [n for n in names if n.endswith(" bowl")] or names
    corners = [p for p in PLACE_NAMES if p.endswith("corner")]
    places = [p for p in PLACE_NAMES if p != "middle"]
    listed = [["<block>"] + [", ", "<block>"] * k + [" and ", "<block>"]
              for k in range(min(MAX_LISTED, len(blocks)) - 1)] or [["<block>"]]
    choice_of_bowls = [  # "any bowl" and "either bowl" say something only where there is a choice
        ["put ", "<block>", " in any bowl"], ["put ", "<block>", " in ", "<bowl>", " or ", "<bowl>"],
        ["put ", "<block>", " and ", "<block>", " in the same bowl"]] if len(bowls) > 1 else []
    if len(bowls) == 2:
        choice_of_bowls.append(["put ", "<block>", " in ", "<bowl>", " and ", "<block>", " in the other bowl"])
    return {
        "root": [[UNCLEAR], ["<alone>"], ["<move>"]] + [["<step>"] + ["<join>", "<step>"] * k + tail
                                                       for k in range(MAX_STEPS) for tail in ([], [" and ", "<keep>"])
                                                       if 0 < k + len(tail) // 2 < MAX_STEPS],
        "join": _choice(" and then ", " and "),
        # commands the parser reads only as the whole reply
        "alone": [
            ["put all the blocks in any bowl"],
            ["put every block in a bowl"],
            ["put exactly one block in each bowl"],
            ["put at least one block in each bowl"],
            ["put each block in the bowl of the same colour"],
            ["put each block at a different corner"],
            ["put each block at a different side"],
            ["keep everything where it is"],
            ["stack all the blocks"],
            ["stack all the blocks on ", "<block>"],
            ["line up all the blocks ", "<axis>"],
        ],
        # commands that may be joined, the first always a move
        "move": [
            ["put ", "<movers>", " in ", "<bowl-obj>"],
            ["put ", "<mover>", " on ", "<block-obj>"],
            ["put ", "<movers>", " near ", "<name>"],
            ["put ", "<mover>", " ", "<dist>", "<side>", " ", "<name>"],
            ["put ", "<mover>", " at ", "<place>"],
            ["put ", "<movers>", " at the ", "<named-place>"],
            ["put ", "<movers>", " in the middle of the table"],
            ["put ", "<block>", " or ", "<block>", " in ", "<bowl>"],
            ["put ", "<block>", " or ", "<block>", " on ", "<block>"],
            ["put ", "<block>", " on ", "<block>", " or ", "<block>"],
            ["put ", "<block>", " near ", "<bowl>", " but not in it"],
            ["put ", "<block>", " at the ", "<corner>", " and ", "<block>", " at the opposite corner"],
            ["put ", "<amount>", " in ", "<bowl-obj>"],
            ["keep ", "<bowl>", " empty"],
            ["stack ", "<listed>"],
            ["stack ", "<listed>", " on ", "<block>"],
            ["stack all the blocks except ", "<blocks-named>"],
        ] + choice_of_bowls,
        # a command of several steps: the parser reads moves of named blocks and what they keep
        "step": [
            ["put ", "<mover>", " in ", "<bowl>"],
            ["put ", "<mover>", " on ", "<block>"],
            ["put ", "<mover>", " near ", "<name>"],
            ["put ", "<mover>", " ", "<dist>", "<side>", " ", "<name>"],
            ["put ", "<mover>", " at the ", "<named-place>"],
            ["put ", "<mover>", " in the middle of the table"],
        ],
        "keep": [["leave ", "<block>", " where it is"], ["keep ", "<block>", " out of ", "<bowl>"]],
        "movers": [["<block>"], ["<listed>"], ["all the blocks"], ["all the blocks except ", "<blocks-named>"]],
        "mover": [["<block>"]] + _selectors("block"),
        "block-obj": [["<block>"]] + _selectors("block", beside=False),  # the parser reads no "on the block left of"
        "bowl-obj": [["<bowl>"]] + _selectors("bowl"),
        "named-place": _choice(*places),
        "name": [["the ", n] for n in names],
        "block": [["the ", n] for n in blocks],
        "bowl": [["the ", n] for n in bowls],
        "blocks-named": [["<block>"], ["<block>", " and ", "<block>"]],
        "listed": listed,
        "side": _choice(*SIDE_OF),
        "beside": _choice("left of", "right of"),
        "dist": [[""], ["a little "], ["far "], ["<cm>", " cm "]],
        "cm": _choice(*(str(n) for n in range(1, 100))),  # any whole distance the instruction states
        "amount": [["exactly one block"], ["at least one block"]]
                  + [[how, n, " blocks"] for how in ("exactly ", "at least ", "") for n in NUMBERS[1:len(blocks) - 1]],
        "ordinal": _choice(*ORDINALS),
        "end": _choice(*ENDS),
        "extreme": _choice(*EXTREMES),
        "place": [["the ", "<named-place>"], ["the corner farthest from ", "<name>"],
                  ["the corner nearest ", "<name>"]],
        "corner": _choice(*corners),
        "axis": _choice(*(AXIS_ADVERBS[a] for a in AXES)),
    }


def restate_grammar(object_names: list[str]) -> str:
    """GBNF text of the plain wording over these objects."""
    def item(token: str) -> str:
        return token[1:-1] if token.startswith("<") else json.dumps(token)

    lines = []
    for rule, alternatives in rules(object_names).items():
        said = [" ".join(item(t) for t in alt if t) or '""' for alt in alternatives]
        lines.append(f"{rule} ::= " + " | ".join(said))
    return "\n".join(lines) + "\n"


def sample_sentence(object_names: list[str], rng: random.Random, rule: str = "root") -> str:
    """A random sentence of the grammar, each alternative equally likely and no object named twice where the scene
    has enough (a reply that names one block twice, "stack the red block and the red block", is grammatical and
    rightly unread)."""
    table = rules(object_names)
    named: set[str] = set()

    def expand(name: str) -> str:
        alternatives = table[name]
        if name in ("name", "block", "bowl"):
            alternatives = [alt for alt in alternatives if alt[1] not in named] or alternatives
        chosen = rng.choice(alternatives)
        if name in ("name", "block", "bowl"):
            named.add(chosen[1])
        return "".join(expand(t[1:-1]) if t.startswith("<") else t for t in chosen)

    return expand(rule)
