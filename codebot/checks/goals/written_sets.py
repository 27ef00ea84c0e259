"""Which objects a written or restated spec's sets may cover, and which table sides it may name (goals/written.py's
other rules ask whether a relation or a quantity was asked for at all). From the twentieth session's fresh batch,
read after its restatement A/B had given wrong checks:
- a quantity word said of one kind licenses no quantifier over the other: "put a block in every bowl" (pt1681) asks
  nothing of every block;
- blocks named by a colour list ("a tower out of the red, blue and green blocks", pt1640) are those blocks, not every
  block, unless the instruction also says all, every or each of them;
- a table side needs its own word: "whichever edge is nearest to it" (pt1682) names no side.
And from the twenty-first session's: a place the instruction says is not dropped (pt1764).
"""
from __future__ import annotations

import re

from codebot.checks.goals.grounding import BLOCK_NOUNS, BOWL_NOUNS, instruction_tokens
from codebot.checks.goals.phrase_refs import COLOR
from codebot.checks.goals.printer import to_text
from codebot.checks.goals.spec import PLACE_NAMES, PLACE_SETS, Any, Formula, Name, Rel, SetRef, walk

EVERY = {"every", "each", "all"}
_BETWEEN = {"the", "of", "single", "one", "two", "three", "four", "five", "last", "these", "those"}
COLOUR_WORD = rf"(?:{COLOR}|grey)"  # the raw instruction may say grey
COLOUR_LIST = re.compile(rf"\b{COLOUR_WORD}(?:,? (?:and |or |& )?(?:the )?{COLOUR_WORD})+ (?:blocks|cubes|ones)\b")
SIDE_WORDS = {"left": {"left"}, "right": {"right"}, "top": {"top", "upper", "far", "back"},
              "bottom": {"bottom", "lower", "near", "front"}}


def quantity_words(instruction: str, base: str) -> set[str]:
    """The instruction's words, less every/each/all said of the other kind ("every bowl" when `base` is blocks)."""
    other = BOWL_NOUNS if base == "blocks" else BLOCK_NOUNS if base == "bowls" else set()
    tokens = instruction_tokens(instruction)
    kept = []
    for i, word in enumerate(tokens):
        following = next((w for w in tokens[i + 1:] if w not in _BETWEEN), "")
        if not (word in EVERY and following in other):
            kept.append(word)
    return set(kept)


def every_block_of_a_named_group(goal: Formula, instruction: str) -> bool:
    """The spec covers every block (a set of all blocks, none left out) where the instruction names the blocks by a
    colour list and says no all, every or each of blocks."""
    if not COLOUR_LIST.search(instruction.lower()) or quantity_words(instruction, "blocks") & (EVERY | {"everything"}):
        return False
    return any(isinstance(node, SetRef) and node.base == "blocks" and not node.excluded for node in walk(goal))


def unsaid_sides(goal: Formula, words: set[str]) -> list[str]:
    """Table sides the spec names alone (not as one of any(...)'s alternatives) whose word the instruction lacks."""
    alternatives = {id(n) for node in walk(goal) if isinstance(node, Any) for n in walk(node)}
    unsaid = []
    for node in walk(goal):
        side = re.fullmatch(r"(left|right|top|bottom) side", node.text) if isinstance(node, Name) \
            and id(node) not in alternatives else None
        if side and not words & SIDE_WORDS[side.group(1)] and node.text not in unsaid:
            unsaid.append(node.text)
    return unsaid


# A table place the instruction says a tower or a line goes to ("at the centre of the table", "in the top left corner",
# "along the right edge"), not a middle bowl or block, nor an object's side ("the left side of the red bowl")
PLACE_SAID = re.compile(r"\b(?:at|in|on|to|into|onto|along|by|near|toward|towards) the (?:(?:cent(?:re|er)|middle)"
                        r"(?! (?:bowl|block|one|cube|dish)s?\b)(?! of (?!the table\b))"
                        r"|(?:top|bottom|upper|lower)[- ]?(?:left|right) corner"
                        r"|(?:left|right|top|bottom)(?:-hand| hand)? (?:side|edge)(?! of (?!the table\b)))\b")


def dropped_place(goal: Formula, instruction: str) -> str | None:
    """The place the instruction says a tower or line goes to, when the spec's tower or line names no place at all
    (s21 pt1764, read after its A/B: "one tall pile of all the cubes at the centre of the table" restated as "stack
    all the blocks", read as stack(blocks))."""
    said = PLACE_SAID.search(re.sub(rf"\b{COLOUR_WORD}(?: block| one| cube)? in the middle\b", "",
                                    instruction.lower()))  # "blue in the middle": a tower's order, not a place
    if not said or not any(isinstance(node, Rel) and node.name in ("stack", "line") for node in walk(goal)):
        return None
    text = to_text(goal)
    return None if any(re.search(rf"\b{place}\b", text) for place in PLACE_NAMES + PLACE_SETS) else said.group(0)
