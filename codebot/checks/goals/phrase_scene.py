"""Which objects an instruction needs in its scene, read with the phrase parser's reader (issue 28), for
the scene built for a free instruction (codebot/agent_prepare.py). Every colour the instruction names
gets an object: 'the red and blue blocks' two blocks, 'the red one' a block or a bowl, whichever the
phrase parser can then read the instruction with (a block when neither or both); colours that must
match ('the bowl of the same colour', 'sort the blocks by colour') get both kinds; counts say how many
blocks ('both blocks' exactly two, 'all three blocks' three, 'two blocks' at least two, 'the other block' two,
'half of the blocks' four),
'either bowl' two bowls, and 'the bowl' / 'the block' (no colour, no selector) exactly one of the kind.
It only says what the instruction names: the caller adds the distractors."""
from __future__ import annotations

import re
from dataclasses import dataclass

from codebot.checks.goals.grounding import MATCHING
from codebot.checks.goals.phrase_refs import COLOR
from codebot.checks.goals.phrases import clean_text, phrase_spec
from codebot.primitives.protocols import ObjectInfo

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNT = r"(one|two|three|four|five|six|\d)"
_LIST = rf"({COLOR}(?:(?:,| and|, and|,? or) (?:the )?{COLOR})*) (block|bowl|plate)s?\b"
_SELECTOR_TAIL = (r" (?:nearest|closest|farthest|furthest|most|with|of|that|which|matching|on the|at the|to the|"
                  r"in the middle|counting|from)")
_BY_COLOUR = re.compile(r"\b(?:by colou?r|same (?:colou?r|hue|shade)|matching colou?rs?|matching bowls?|its colou?r|"
                        r"their colou?rs?|its own colou?r)\b")


@dataclass(frozen=True)
class SceneNeeds:
    blocks: tuple[str, ...] = ()  # colours, in the order the instruction names them
    bowls: tuple[str, ...] = ()
    block_count: int | None = None  # exactly this many blocks
    min_blocks: int = 0
    bowl_count: int | None = None  # exactly this many bowls
    matching: bool = False  # colours pair up across the kinds
    loose: tuple[str, ...] = ()  # colours named without a kind ('the red one'): no distractor may share them

    @property
    def empty(self) -> bool:
        return not (self.blocks or self.bowls or self.block_count or self.min_blocks or self.matching)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _objects(blocks, bowls) -> list[ObjectInfo]:
    zero = (0.0, 0.0, 0.0)
    return [ObjectInfo(f"{c} block", "block", c, zero, zero, zero) for c in blocks] + \
           [ObjectInfo(f"{c} bowl", "bowl", c, zero, zero, zero) for c in bowls]


def scene_needs(instruction: str) -> SceneNeeds:
    """What `instruction` (normalised: normalize_instruction's output) needs in its scene."""
    t = clean_text(instruction)
    blocks: list[str] = []
    bowls: list[str] = []
    named: set[tuple[int, int]] = set()  # spans of colour words already given a kind
    for m in re.finditer(_LIST, t):
        kind_list = blocks if m.group(2) == "block" else bowls
        for c in re.finditer(COLOR, m.group(1)):
            kind_list.append(c.group(0))
            named.add((m.start(1) + c.start(), m.start(1) + c.end()))
    undecided = [c.group(0) for c in re.finditer(rf"\b{COLOR}\b", t) if c.span() not in named]
    for colour in dict.fromkeys(undecided):
        if colour in blocks or colour in bowls:
            continue
        as_block = phrase_spec(instruction, _objects(blocks + [colour], bowls)) is not None
        as_bowl = phrase_spec(instruction, _objects(blocks, bowls + [colour])) is not None
        (bowls if as_bowl and not as_block else blocks).append(colour)
    matching = bool(MATCHING.search(t) or _BY_COLOUR.search(t))
    if matching:
        for colour in list(blocks):
            bowls.append(colour)
        for colour in list(bowls):
            blocks.append(colour)
    block_count, min_blocks = None, 0
    m = re.search(rf"\b(?:both|all {_COUNT}) (?:of the )?blocks\b", t)
    if m:
        block_count = 2 if m.group(1) is None else _number(m.group(1))
    m = re.search(rf"\b(?:at least |exactly |no fewer than )?{_COUNT} (?:of the )?blocks\b", t)
    if m and block_count is None:
        min_blocks = _number(m.group(1))
    bowl_count = 2 if re.search(r"\beither (?:of the )?bowls?\b", t) else None
    # "the bowl" / "the block" with no colour and no selector after it means the only one of its kind
    if not bowls and bowl_count is None and re.search(rf"\bthe bowl\b(?!{_SELECTOR_TAIL})", t):
        bowl_count = 1
    if not blocks and block_count is None and re.search(rf"\bthe block\b(?!{_SELECTOR_TAIL})", t):
        block_count = 1
    if block_count is None and re.search(r"\bthe other (?:block|one)\b", t):  # the other of two
        block_count = 2
    if block_count is None and re.search(r"\bhalf (?:of )?the blocks\b", t):  # blocks that halve
        block_count = 4
    return SceneNeeds(tuple(dict.fromkeys(blocks)), tuple(dict.fromkeys(bowls)), block_count, min_blocks,
                      bowl_count, matching, tuple(dict.fromkeys(undecided)))
