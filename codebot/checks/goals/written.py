"""What a written (LLM) spec may say, beyond validation and grounding: the instruction's own words must ask for
each relation, selector and quantifier it uses, and the asymmetric readings the local model got the wrong way
round are left to the phrase parser.

Every false success and unlicensed verification seen so far came from a written spec that validated, was grounded
in the instruction's object names, and had a second sample agree with it (codebot/checks/goal_writer.py):
- "so the yellow block is on its right" as right_of(green, yellow) (reversed; twice), "between" as two left_of;
- "hide the pink block under the cyan bowl" as on(pink block, cyan bowl) (nothing said "on");
- "a tower with the red block on top of the green block" as stack([green, red], red block) (red at the bottom);
- "in a bowl, any bowl except the red one" as forall(x in blocks: on(orange block, x)).
Two samples agreeing catch a random slip, not a misreading both share. So a written spec is refused (the
instruction stays unchecked, which is honest) when it
- uses a direction relation (left_of, right_of, above, below; goals/written_directions.py) that the instruction
  does not say in that order,
  within one clause and with no negation: a's colour, then the direction word, then b's colour right after it
  ("the red block 15cm left of the green bowl", "higher up the table than the green bowl") or b's colour and its
  side ("on the green block's right"); of each block of a group, the group's word ("all the blocks", "every one")
  stands where a's colour would; a distance must be one the instruction states. Written ones that were reversed
  ("so the yellow block is on its right") never say it that way round; a selector's (nearest...) is not licensed;
- uses a relation, selector or quantifier that no word of the instruction asks for (`on` needs on/onto/top...,
  `nearest` needs nearest/closest..., `forall` needs every/all/each or a plural...);
- puts one named object on another unless the instruction names them in that order with nothing that turns it
  round (under, beneath, supporting...); stands a stack on one of its own objects (which is at the bottom is the
  parser's to read); or stacks named blocks whose order the instruction states (top, bottom, on...), which the
  spec cannot carry;
- counts a number the instruction does not state, or compares it in a way it does not say ("more than two" as
  >= 2, "at least one and no more than two" as == 2, "a couple" as == 2); or comes from an instruction that asks
  for a manner no check can see ("gently", "carefully"): the parser leaves those unread too;
- comes from an instruction with a condition ("unless it is full", "if the bowl is empty") or a vague bound ("but
  not too near"), which the spec language cannot state: a restatement drops them;
- drops a comparison the instruction states ("with no more than one block per bowl", or one of "at least one and
  no more than two"), reads a vague amount ("some blocks") as every block, or drops what the instruction forbids
  (an object not to touch, a move ruled out, an order in time: goals/written_forbids.py);
- quantifies over blocks where the instruction said "everything" (which takes in the bowls) and nothing places
  them ("everything into the purple bowl" can only mean the blocks: the robot moves blocks), or names a corner
  whose words the instruction does not say ("the far left corner" as the top left one), unless the corner is one
  of several alternatives (any(...)) or the opposite of one said.
"""
from __future__ import annotations

import re

from codebot.checks.goals.grounding import instruction_tokens
from codebot.checks.goals.phrase_frames import without_courtesy
from codebot.checks.goals.printer import to_text
from codebot.checks.goals.phrase_refs import COLOR
from codebot.checks.goals.written_directions import direction_problem
from codebot.checks.goals.spec import (DIRECTION_RELATIONS, All, Any, Count, Formula, Name, Not, Quant, Rel, Select,
                                      SetList, SetRef, Var, children, walk)
from codebot.checks.goals.validate import Problem
from codebot.checks.goals.written_forbids import forbidden_problems
from codebot.checks.goals.written_sets import (dropped_place, every_block_of_a_named_group, quantity_words,
                                               unsaid_sides)

NEAR_TO = re.compile(r"\b(?:next|close|near|up|right|closer) to\b")
NOT_INSIDE = re.compile(r"\bin (?:front|back) of\b")  # "in front of the red bowl" asks for no in() (tuning pt849)
NUMBERS = {"one", "two", "three", "four", "five", "single", "pair", "couple", "both"}
# relations whose first argument is the object the robot places (a block: validate.py refuses a bowl moved)
PLACING = ("in", "on", "at", "near") + tuple(DIRECTION_RELATIONS)
RELATION_WORDS = {
    "in": {"in", "into", "inside", "within", "fill", "filled", "to", "contain", "contains", "holding", "hold"},
    "on": {"on", "onto", "atop", "upon", "top", "stack", "stacked", "tower", "pile", "piled"},
    "near": {"near", "nearby", "next", "beside", "by", "close", "closer", "adjacent", "touching", "against",
             "alongside", "around"},
    "same_colour": {"colour", "color", "colours", "colors", "coloured", "colored", "matching", "match", "matches",
                    "same"},
    "stack": {"stack", "stacked", "stacking", "tower", "pile", "piled", "top", "on", "onto"},
    "line": {"line", "lined", "row", "column", "align", "aligned", "diagonal", "diagonally", "horizontal",
             "horizontally", "vertical", "vertically", "straight"},
    "distinct_places": {"different", "each", "own", "separate", "distinct", "per", "itself", "apart"},
}
SELECTOR_WORDS = {
    "nearest": {"nearest", "closest", "near", "nearer", "close", "closer"},
    "farthest": {"farthest", "furthest", "far", "farther", "further", "distant", "away"},
    "nth": {"first", "second", "third", "fourth", "fifth", "last", "1st", "2nd", "3rd", "4th", "5th", "leftmost",
            "rightmost", "topmost", "bottommost", "highest", "lowest", "left", "right", "top", "bottom", "upper",
            "lower", "far", "furthest", "farthest", "most"},
    "side_of": {"left", "right", "top", "bottom", "side", "above", "below"},
}
QUANTIFIER_WORDS = {
    "forall": {"every", "all", "each", "both", "them", "they", "their", "everything", "others", "other", "rest", "no",
               "none", "nothing", "empty"},
    "exists": {"any", "a", "an", "one", "some", "either", "whichever", "whatever"},
}
PLURALS = {"blocks", "bowls", "objects", "cubes", "things", "items", "pieces", "corners", "sides"}
TURNED_ROUND = {"under", "underneath", "beneath", "below", "supporting", "support", "supports", "holds", "holding",
                "carry", "carries", "carrying"}
ORDER_WORDS = {"top", "bottom", "on", "onto", "above", "under", "below", "base", "upon", "atop", "underneath",
               "beneath", "first", "then", "last"}


def _blocks_on_one_block(goal: Formula) -> dict[str, set[str]]:
    """The blocks that two or more others must rest on together (conjuncts on(a, b), on(c, b)): a block holds one
    block, so no outcome passes such a check (the fresh batch's pt1502 restatement put two blocks 'on the brown
    block', where the instruction asked for a tower on it)."""
    tops: dict[str, set[str]] = {}
    for item in goal.items if isinstance(goal, All) else (goal,):
        if isinstance(item, Rel) and item.name == "on" and all(isinstance(a, Name) for a in item.args) \
                and item.args[1].text.endswith(" block"):
            tops.setdefault(item.args[1].text, set()).add(item.args[0].text)
    return {below: above for below, above in tops.items() if len(above) > 1}


def written_spec_problems(goal: Formula, instruction: str) -> list[Problem]:
    """[] when the instruction's words ask for everything the written spec says (see the module doc)."""
    instruction = ARROW.sub(" into onto ", instruction)  # "blue->red bowl": goes into a bowl, onto a block
    order = instruction_tokens(instruction)
    words = set(order)
    # "next to the bowl" asks for near(), not in(): its "to" licenses nothing
    words_for_in = set(instruction_tokens(NOT_INSIDE.sub(" ", NEAR_TO.sub(" ", instruction.lower()))))
    if THERE_IN.search(instruction.lower()) or BOWL_GETS.search(instruction.lower()):
        words_for_in.add("in")  # "the yellow bowl - that's where I want the pink block", "one block per bowl"
    problems: list[str] = []

    def refuse(message: str) -> None:
        if message not in problems:
            problems.append(message)

    for node in walk(goal):
        if isinstance(node, Rel):
            if node.name in DIRECTION_RELATIONS:
                problem = direction_problem(node, instruction)
                if problem:
                    refuse(problem)
            elif node.name in RELATION_WORDS and not (words_for_in if node.name == "in" else words) \
                    & RELATION_WORDS[node.name]:
                refuse(f"{node.name}(...) is not asked for: the instruction has none of "
                       f"{', '.join(sorted(RELATION_WORDS[node.name]))}")
            if node.name == "on" and not _said_in_order(node, order, words):
                refuse("on(a, b) with a and b not named in that order by the instruction, or turned round by "
                       f"{', '.join(sorted(words & TURNED_ROUND)) or 'its word order'}: left to the phrase parser")
            if node.name == "stack" and len(node.args) > 1 and isinstance(node.args[1], Name) \
                    and node.args[1].text.endswith("block") and not (isinstance(node.args[0], SetList)
                                                                     and node.args[1] not in node.args[0].items):
                refuse("a stack standing on one of its own objects: which is at the bottom is left to the phrase "
                       "parser")
            if node.name == "line" and node.args[1] in ORIENTATION and not ANY_WAY.search(instruction.lower()) \
                    and not ORIENTATION[node.args[1]].search(instruction.lower()):
                refuse(f"a {node.args[1]} line, where the instruction says no such orientation")
            if node.name in ("stack", "line") and isinstance(node.args[0], SetRef) and node.args[0].excluded \
                    and not words & EXCLUSION_WORDS:  # "stack them up: yellow at the bottom, …" (tuning pt1641)
                refuse(f"a {node.name} of every block but some, where the instruction says no exception (except, "
                       "but, apart from, other than...)")
            # "on the brown one, any order" states only the base, which the spec carries (fresh batch pt1502)
            base_only = len(node.args) > 1 and ANY_ORDER.search(instruction.lower()) \
                and words & ORDER_WORDS <= {"on", "onto", "upon", "atop"}
            if node.name == "stack" and isinstance(node.args[0], SetList) and words & ORDER_WORDS and not base_only:
                refuse("a stack of named blocks whose order the instruction states "
                       f"({', '.join(sorted(words & ORDER_WORDS))}): left to the phrase parser")
        elif isinstance(node, Select) and node.how in SELECTOR_WORDS and not words & SELECTOR_WORDS[node.how]:
            refuse(f"{node.how}(...) is not asked for: the instruction has none of "
                   f"{', '.join(sorted(SELECTOR_WORDS[node.how]))}")
        elif isinstance(node, (Quant, Count)):
            if isinstance(node, Quant) and node.kind == "forall" and isinstance(node.members, SetRef) \
                    and node.members.excluded and _places(node.body, node.var, under_not=False) \
                    and not words & EXCLUSION_WORDS:  # "pile the yellow and pink blocks on the brown one" (pt1502)
                left_out = ", ".join(getattr(t, "text", "one") for t in node.members.excluded)
                refuse(f"every block but {left_out}, where the instruction says no exception (except, but, apart "
                       "from, other than...)")
            if isinstance(node, Quant) and node.kind == "forall" and _members(node) == "blocks" \
                    and words & VAGUE_AMOUNTS and not words & {"every", "all", "each"}:
                refuse(f"every block, where the instruction says a vague amount "
                       f"({', '.join(sorted(words & VAGUE_AMOUNTS))})")
            kind = "forall" if isinstance(node, Count) else node.kind
            said = quantity_words(instruction, _members(node))  # not "every bowl" for blocks (s20 pt1681)
            asked = said & (QUANTIFIER_WORDS[kind] | PLURALS | (NUMBERS if isinstance(node, Count) else set()))
            if not asked and not (isinstance(node, Count) and any(w.isdigit() for w in words)):
                refuse(f"{'count' if isinstance(node, Count) else kind} over {_members(node)} is not asked for: "
                       f"the instruction names no quantity (every, all, each, any, a number, a plural)")
    manner = MANNER.search(instruction.lower())
    if manner:
        refuse(f"the instruction asks for a manner ({manner.group(0)}) that no check can see")
    held = HELD.search(instruction.lower())
    if held:  # "lift it and hold it over the purple bowl, don't let go" (fresh batch s19 pt1572)
        refuse(f"the instruction asks the robot to keep holding the block ({held.group(0)}), which no end-state "
               "check can see")
    toward = TOWARD_PLACE.search(instruction.lower())
    if toward and any(isinstance(node, Rel) and node.name == "at" for node in walk(goal)):
        refuse(f"the instruction says a direction ({toward.group(0)}), not a place to be at")  # s19 pt1599
    among = AMONG_NAMED.search(instruction.lower())  # "the brown block or the purple block, one of them" (s19 pt1601)
    if among and NAMED_OR.search(instruction.lower()) and any(
            isinstance(node, Count) and isinstance(node.members, SetRef) for node in walk(goal)):
        refuse(f"the instruction counts among the objects it names ({among.group(0)}), the spec among a whole set")
    if ANY_ORDER.search(instruction.lower()) and _chained_on(goal):  # "pile them on the brown one, any order" (pt1502)
        refuse("blocks put on one another in one order, where the instruction leaves the order free")
    for colour, kind in EXCEPTED.findall(instruction.lower()):  # "other than the purple cube, all the cubes ..."
        colour = "gray" if colour == "grey" else colour
        if not re.search(rf"\b{colour} (?:block|bowl)\b", to_text(goal)):
            refuse(f"the instruction makes an exception of the {colour} {kind}, and the spec does not name it")
    for pattern, what in ((CONDITION, "a condition"), (VAGUE_BOUND, "a vague bound")):
        found = pattern.search(without_courtesy(instruction.lower()))  # "if that's alright" asks nothing
        if found:
            refuse(f"the instruction sets {what} ({found.group(0)}) that the spec language cannot state")
    for node in walk(goal):
        if isinstance(node, (Quant, Count)) and _members(node) == "blocks" and _only_everything(instruction, words) \
                and not _places(node.body, node.var):
            refuse("a quantifier over blocks where the instruction says 'everything', which takes in the bowls too")
            break
    if STATED_COMPARISON.search(instruction.lower()) and not any(isinstance(node, Count) for node in walk(goal)):
        refuse("the instruction states a comparison (at most, more than...) that the spec does not count")
    for problem in forbidden_problems(goal, instruction):
        refuse(problem)
    for below, tops in _blocks_on_one_block(goal).items():
        refuse(f"{' and '.join(sorted(tops))} both resting on the {below} at once: no arrangement satisfies it")
    for side in unsaid_sides(goal, words):
        refuse(f"names the {side}, but the instruction does not say {side.split()[0]}")
    if every_block_of_a_named_group(goal, instruction):
        refuse("every block, where the instruction names which blocks by their colours")
    place = dropped_place(goal, instruction)
    if place:
        refuse(f"the instruction says where ({place}), and the spec names no place")
    for corner in _unsaid_corners(goal, words):
        refuse(f"names the {corner}, but the instruction does not say {corner.rsplit(' ', 1)[0]} (which corner "
               f"'far' means is not known; 'back' and 'front' are read as top and bottom)")
    if COLOURS_DIFFER.search(instruction.lower()) and _matches_colour(goal):
        refuse("a colour match where the instruction says the colours differ (tuning pt1317's first restatement)")
    counts = sum(isinstance(node, Count) for node in walk(goal))
    for node in walk(goal):
        if isinstance(node, Count):
            problem = _count_problem(node, instruction.lower(), words, counts)
            if problem:
                refuse(problem)
    return [Problem("unlicensed", message) for message in problems]


# "unless it is full", "if the bowl is empty"; not the polite "if you could", "if possible", "if it's (that's) not too
# much trouble"
CONDITION = re.compile(r"\bunless\b|\bif (?!(?:it'?s |it is |that'?s |that is )?(?:not too much trouble|no trouble|"
                       r"not a bother|no bother|possible|okay|ok|alright|all right|fine|convenient)\b)"
                       r"(?!(?:you|u|we|i|ya)\b)\w+")
# a line's orientation as people say it; "line them up" alone says none
ORIENTATION = {
    "horizontal": re.compile(r"\b(?:rows?|horizontal(?:ly)?|across|sideways|side to side|side by side"
                             r"|(?:left|right)(?: of the table| edge| side)?[- ]to[- ](?:the )?(?:left|right))\b"),
    "vertical": re.compile(r"\b(?:columns?|vertical(?:ly)?|up the table|down the table"
                           r"|(?:top|bottom)(?: of the table| edge| side)?[- ]to[- ](?:the )?(?:top|bottom)"
                           r"|toward(?:s)? me|away from me|front to back|back to front|far edge|near edge"
                           r"|up-and-down|up and down)\b"),
    "diagonal": re.compile(r"\b(?:diagonal(?:ly)?|corner to corner|slant(?:ed|ing)?)\b"),
}
ANY_ORDER = re.compile(r"\b(?:any|whatever|whichever) order\b|\border (?:doesn'?t|does not|don'?t) matter"
                       r"|\b(?:don'?t|do not) care (?:about|what|which) (?:the )?order\b")
ANY_WAY = re.compile(r"\b(?:any|either|whichever) (?:direction|orientation|way)\b")
ARROW = re.compile(r"\s*(?:-+>|=>|\u2192)\s*")
THERE_IN = re.compile(r"\bbowl\W+(?:that'?s|that is) where\b")
# a bowl that gets or holds blocks, blocks counted per bowl: "the green bowl should get the block nearest …", "one
# block per bowl" (tuning pt1732, pt1713)
BOWL_GETS = re.compile(r"\b(?:bowls?|dish(?:es)?|containers?) (?:should |must |will |can )?(?:gets?|receives?|holds?)"
                       r"\b(?! (?:to|still)\b)|\bblocks? (?:per|for each|in each) (?:bowl|dish|container)\b")
# "no block in its own colour's bowl", "a block that doesn't match", "a bowl of another colour": colours that differ
COLOURS_DIFFER = re.compile(r"\b(?:different|another|other|wrong) colou?r|mismatch|\b(?:not|never|no)\b[^.;,]*"
                            r"\b(?:colou?rs?|match(?:es|ing)?)\b|n't\b[^.;,]*\b(?:colou?rs?|match(?:es|ing)?)\b")
VAGUE_BOUND = re.compile(r"\bnot too (?!much\b)\w+")
VERTICAL_WORDS = {"top": {"top", "upper"}, "bottom": {"bottom", "lower"}}
CORNER = re.compile(r"^(top|bottom) (left|right) corner$")


# a number compared ("no more than one block per bowl"); "at least one" is an exists(...), no count
STATED_COMPARISON = re.compile(r"\b(?:no more than|not more than|at most|more than|fewer than|less than|no fewer than|"
                               r"no less than) (?:one|two|three|four|five|six|\d+)\b|\bat least (?:two|three|four|five|"
                               r"six|[2-9])\b")
ONE_OF_COLOUR = re.compile(r"\bthe (\w+) ones?\b")


def ambiguous_ones(instruction: str, objects) -> list[Problem]:
    """"the red one" where the scene has a red block and a red bowl: the words do not say which, so a reading the
    LLM chose (a restatement, a written spec) is not trusted (tuning pt034); the phrase parser reads such an
    instruction only where its grammar decides."""
    kinds: dict[str, set[str]] = {}
    for o in objects:
        kinds.setdefault(o.color, set()).add(o.kind)
    found = [c for c in dict.fromkeys(ONE_OF_COLOUR.findall(instruction.lower())) if len(kinds.get(c, ())) > 1]
    return [Problem("ambiguous", f"'the {c} one' may be the {c} block or the {c} bowl") for c in found]


def _only_everything(instruction: str, words: set[str]) -> bool:
    """The instruction's only quantity word is "everything" (not "everything else"), and no plural names blocks."""
    asked = words & (QUANTIFIER_WORDS["forall"] | QUANTIFIER_WORDS["exists"] | PLURALS | NUMBERS)
    return asked == {"everything"} and not re.search(r"\beverything else\b", instruction.lower())


def _places(node, var: str, under_not: bool = True) -> bool:
    """Some relation places the variable (its first argument), also inside a not() unless `under_not` is False.
    "everything into the purple bowl" can only mean the blocks, since the robot moves blocks, not bowls (validate.py
    refuses a bowl placed)."""
    if isinstance(node, Not) and not under_not:
        return False
    if isinstance(node, Rel):
        return node.name in PLACING and bool(node.args) and node.args[0] == Var(var)
    return any(_places(child, var, under_not) for child in children(node))


def _unsaid_corners(goal: Formula, words: set[str]) -> list[str]:
    """Corners the spec names alone (not as one of any(...)'s alternatives) whose two words the instruction lacks."""
    if "opposite" in words:
        return []
    alternatives = {id(n) for node in walk(goal) if isinstance(node, Any) for n in walk(node)}
    unsaid = []
    for node in walk(goal):
        corner = CORNER.match(node.text) if isinstance(node, Name) and id(node) not in alternatives else None
        if corner and (not words & VERTICAL_WORDS[corner.group(1)] or corner.group(2) not in words) \
                and node.text not in unsaid:
            unsaid.append(node.text)
    return unsaid


HELD = re.compile(r"\bhold (?:it|them|on to it|onto it)(?: up)? (?:up|there|still|in the air|above|over|steady)\b"
                  r"|\b(?:don'?t|do not|without) let(?:ting)? (?:it |them )?go\b|\bin (?:the |mid-?)air\b"
                  r"|\bkeep (?:holding|it in the gripper|it in (?:the|your) (?:hand|gripper))\b")
TOWARD_PLACE = re.compile(r"\btowards? (?:the )?(?:\w+ )?(?:\(\w+\) )?(?:edge|side|corner|end)\b")
AMONG_NAMED = re.compile(r"\b(?:one|two|either|both|neither|none|each) of (?:them|those|these|the two)\b")
NAMED_OR = re.compile(rf"\b{COLOR}(?: (?:block|cube|one))? or (?:the )?{COLOR}\b")
EXCEPTED = re.compile(r"\b(?:other than|except(?: for)?|apart from|aside from|besides|excluding|save for|but not) "
                      rf"(?:the )?({COLOR}|grey) (block|cube|bowl|one)\b")
MANNER = re.compile(r"\b(?:gently|carefully|slowly|quickly|softly|delicately|smoothly|without (?:knocking|dropping|"
                    r"spilling|tipping)|as (?:fast|quick|slow)(?:ly)? as|rapidly|at (?:full|top) speed)\b")
VAGUE_AMOUNTS = {"couple", "few", "several", "some", "many", "bunch", "handful", "most"}
COUNT_WORDS = {"one": 1, "single": 1, "two": 2, "pair": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# how each comparison is said; "no more than" is said before "more than" is looked for
COMPARISONS = ((r"\bno more than\b|\bnot more than\b|\bat most\b|\bor fewer\b|\bor less\b|\bup to\b|\bmaximum\b", "<="),
               (r"\bno fewer than\b|\bno less than\b|\bat least\b|\bor more\b|\bminimum\b", ">="),
               (r"\bmore than\b|\bover (?:one|two|three|four|five|\d)\b", ">"), (r"\bfewer than\b|\bless than\b", "<"))


def _count_problem(node: Count, text: str, words: set[str], counts: int = 1) -> str | None:
    """A count must compare with a number the instruction states, the way it states it (none said: ==)."""
    if words & VAGUE_AMOUNTS:
        return f"a count from a vague amount ({', '.join(sorted(words & VAGUE_AMOUNTS))}): no number was stated"
    if str(node.n) not in words and not any(COUNT_WORDS.get(w) == node.n for w in words):
        return f"count ... {node.op} {node.n}: the instruction states no {node.n}"
    said = []
    for pattern, op in COMPARISONS:
        if re.search(pattern, text):
            said.append(op)
            text = re.sub(pattern, " ", text)
    if node.op != "==" and node.op not in said or node.op == "==" and said:
        return (f"count ... {node.op} {node.n}: the instruction says "
                + (" and ".join(said) if said else "no comparison (exactly)"))
    if len(said) > 1 and len(said) > counts:  # "at least one and no more than two": one count says half of it
        return f"count ... {node.op} {node.n}: the instruction states {len(said)} comparisons"
    return None


ON_WORDS = {"on", "onto", "top", "atop", "upon"}


def _said_in_order(rel: Rel, order: list[str], words: set[str]) -> bool:
    """on(a, b) between two named objects: somewhere the instruction names a's colour, then on/onto/top..., then
    b's colour ("the blue block on the red block"), and nothing turns it round. Anything else on() relates (a
    variable, a selector) is left to the other rules."""
    a, b = rel.args[:2]
    if words & TURNED_ROUND:
        return False
    if not (isinstance(a, Name) and isinstance(b, Name)):
        return True
    colour_a, colour_b = a.text.split()[0], b.text.split()[0]
    if colour_a == colour_b:
        return False
    for i, word in enumerate(order):
        if word == colour_a:
            j = next((k for k in range(i + 1, len(order)) if order[k] in (colour_a, colour_b)), None)
            if j is not None and order[j] == colour_b and set(order[i + 1:j]) & ON_WORDS:
                return True
    return False


def _members(node) -> str:
    members = node.members
    return members.base if isinstance(members, SetRef) else "a set"


# what says "every block but these" (a forall over blocks except some that places them)
EXCLUSION_WORDS = {"except", "excepting", "exception", "exc", "excl", "excluding", "but", "apart", "besides", "other",
                   "others", "rest", "remaining", "not", "t", "isnt", "arent", "without", "leave", "leaving", "aside",
                   "save", "bar", "minus", "expect"}


def _chained_on(goal: Formula) -> bool:
    """Some on(a, b) and on(c, a) of named blocks: a tower in one order."""
    pairs = [(n.args[0], n.args[1]) for n in walk(goal) if isinstance(n, Rel) and n.name == "on"
             and all(isinstance(a, Name) and a.text.endswith(" block") for a in n.args)]
    return any(top == below for _, below in pairs for top, _ in pairs)


def _matches_colour(node, negated: bool = False) -> bool:
    """Some same_colour(...) in `node` that no not() takes back."""
    if isinstance(node, Rel) and node.name == "same_colour":
        return not negated
    return any(_matches_colour(child, negated or isinstance(node, Not)) for child in children(node))
