"""Direction relations (left_of, right_of, above, below) in a written or restated spec: licensed only where the
instruction says them that way round (goals/written.py's module doc). The local model wrote them reversed with two
samples agreeing ("so the yellow block is on its right" as right_of(green, yellow)), so a direction relation is used
only where one clause, with no negation, names a's colour (or, of each block of a group, the group's word), then the
direction word, then b's colour right after it, or b and its side ("on the green block's right"); a distance only
where the instruction states it.
"""
from __future__ import annotations

import re

from codebot.checks.goals.grounding import instruction_tokens
from codebot.checks.goals.phrase_refs import A_LITTLE, A_LOT, MEASURE, NUMBER, amount_of
from codebot.checks.goals.spec import Name, Rel, Var
from codebot.primitives.colors import COLORS

DIRECTION_WORDS = {"left_of": {"left", "leftward", "leftwards"}, "right_of": {"right", "rightward", "rightwards"},
                   "above": {"above", "higher"}, "below": {"below", "lower"}}
# what may stand between the direction word and the object it is taken from ("left of the", "higher up the table than")
DIRECTION_FILLERS = {"of", "from", "than", "the", "side", "hand", "up", "down", "on", "table", "to"}
SIDE_FILLERS = {"on", "over", "just", "to", "the", "off", "at", "by"}  # "…, over on the bowl's left"
# the words that name a group of blocks in "all the blocks left of the bowl" (GROUP stands in for them)
GROUP, GROUP_WORDS = "<group>", {"all", "every", "each", "both", "them", "they", "blocks", "cubes", "everything"}
NEGATION = re.compile(r"\b(?:not|never|no|nor)\b|n't\b|\bdon t\b")
CLAUSES = re.compile(r"[\n.;!?]")
AMOUNT = re.compile(rf"\b(?:{MEASURE}|(?:{NUMBER}) ?(?:in|m)|{A_LITTLE}|{A_LOT}|far|well)\b")

# a distance said with a direction, which a check without dist= would drop ("a tad to the right of", "15 cm above");
# not "well, put …" or "the far left corner"
STATED_DISTANCE = re.compile(rf"\b(?:{MEASURE}|{A_LITTLE}|{A_LOT})\b"
                             r"|\b(?:far|well|way) (?:off )?(?:to the |over to the )?"
                             r"(?:left|right|above|below|up|down)\b"
                             # "put a good big gap between it and the bowl" (fresh batch pt1479)
                             r"|\b(?:big|good|large|wide|huge|decent|fair|small|little|tiny|some) "
                             r"(?:gap|distance|space)\b"
                             r"|\b(?:gap|distance|space) (?:between|from)\b")


def direction_problem(rel: Rel, instruction: str) -> str | None:
    """None when some clause of the instruction says rel the way round it is meant (see the module doc)."""
    a, b = rel.args[:2]
    # each of a set (a quantified variable) from one named object: "move all the blocks left of the gray bowl"
    of_each = isinstance(a, Var) and isinstance(b, Name)
    if not (isinstance(a, Name) or of_each) or not isinstance(b, Name):
        return f"{rel.name}(...) relates a selector: direction relations of those are left to the phrase parser"
    colour_a, colour_b = GROUP if of_each else a.text.split()[0], b.text.split()[0]
    for clause in CLAUSES.split(_that_one_named(instruction.lower())):
        if colour_a == colour_b or not _said_unnegated(clause, colour_a, colour_b, rel.name, of_each):
            continue
        if rel.dist is None and (dropped := STATED_DISTANCE.search(clause)):
            return f"{rel.name}(...) without the distance the instruction states ({dropped.group(0)})"
        if rel.dist is None or rel.dist in _amounts(clause):
            return None
        return f"{rel.name}(..., dist={rel.dist}): the instruction states no such distance"
    if of_each:
        return (f"{rel.name}({a.name}, {b.text}) is not said that way round: no clause names a group (all, every, "
                f"the blocks...), then {'/'.join(sorted(DIRECTION_WORDS[rel.name]))}, then {colour_b}, "
                "without a negation")
    return (f"{rel.name}({a.text}, {b.text}) is not said that way round: no clause names {colour_a}, then "
            f"{'/'.join(sorted(DIRECTION_WORDS[rel.name]))}, then {colour_b}, without a negation")


_KIND_NOUNS = (r"bowl|dish|container|bin|cup", r"block|cube|box")  # the words for a bowl, for a block


def _that_one_named(text: str) -> str:
    """The text with "that dish" / "the same bowl" said as the last bowl (block) named before it: "the grey cube goes
    in the cyan dish. once that's done, the orange cube sits off to the right of that dish" (tuning pt1571)."""
    for nouns in _KIND_NOUNS:
        def named(m: re.Match) -> str:
            before = re.findall(rf"\b([a-z]+) (?:{nouns})\b", text[:m.start()])
            return f"the {before[-1]} {m.group(1)}" if before else m.group(0)
        text = re.sub(rf"\b(?:that|the same) ({nouns})\b", named, text)
    return re.sub(r"\b(?:(?:left|right)(?:[- ]hand)?(?: side)?|above|below) of (it)\b|\b(?:above|below) (it)\b",
                  lambda m: _it_named(text, m), text)


_NAMED_OBJECT = re.compile(rf"\b({'|'.join(COLORS)}) (?:{'|'.join(_KIND_NOUNS)}|one)\b")


def _it_named(text: str, m: re.Match) -> str:
    """"… of it" after a direction, said as the object named last before the clause's own subject: "green block on
    the left-hand side of the red one, purple block on the right-hand side of it" (tuning pt1650) is the red one's
    right. Unchanged unless two different colours were named before it."""
    named = list(_NAMED_OBJECT.finditer(text[:m.start()]))
    earlier = [c for c in named[:-1] if c.group(1) != named[-1].group(1)]
    # only an object that was itself the reference of a direction, as phrase_context.direction_it reads "it"; after
    # "in the yellow bowl" the writers meant the moved block (phrase_context.ambiguous_it)
    if not earlier or not re.search(r"\b(?:(?:left|right)(?:[- ]hand)?(?: side)? of|above|below) (?:the )?$",
                                    text[:earlier[-1].start()]):
        return m.group(0)
    at = m.start(1) if m.group(1) else m.start(2)
    return m.group(0)[:at - m.start()] + f"the {earlier[-1].group(1)} one"


def _said_unnegated(clause: str, colour_a: str, colour_b: str, name: str, of_each: bool) -> bool:
    """Whether the clause's shortest start (cut at a comma or a dash) that says the relation that way round has no
    negation, and what follows it negates no other direction: "brown block so it's above the orange block - above as
    in further up the table, not on top of it" (tuning pt1563) says above(); "… left of the bowl, no, not left: right"
    does not."""
    parts = re.split(r"(?=,|\s[-\u2013\u2014]\s)", clause)
    others = set().union(*(words for n, words in DIRECTION_WORDS.items() if n != name))
    for k in range(1, len(parts) + 1):
        head, tail = "".join(parts[:k]), "".join(parts[k:])
        tokens = _direction_tokens(head)
        if of_each:  # the group said first, as a colour is: "all the blocks … left of the gray bowl"
            tokens = [GROUP if w in GROUP_WORDS else w for w in tokens]
        if _direction_in_order(tokens, colour_a, colour_b, DIRECTION_WORDS[name]):
            return not NEGATION.search(head) and not (NEGATION.search(tail) and others & set(_direction_tokens(tail)))
    return False


def _direction_tokens(text: str) -> list[str]:
    """The words, with "further up" / "toward the top of the table from" said as higher (tuning pt1600)."""
    text = re.sub(r"\b(?:further|farther) (down|up)\b", lambda m: "lower" if m.group(1) == "down" else "higher", text)
    text = re.sub(r"\btowards? the (top|bottom)(?: edge| side| end)?(?: of the table)? (?:from|than)\b",
                  lambda m: "higher than" if m.group(1) == "top" else "lower than", text)
    return instruction_tokens(text)


def _direction_in_order(tokens: list[str], colour_a: str, colour_b: str, direction: set[str]) -> bool:
    for i, word in enumerate(tokens):
        if word != colour_a:
            continue
        j = next((k for k in range(i + 1, len(tokens)) if tokens[k] in (colour_a, colour_b)), None)
        if j is None or tokens[j] != colour_b:
            continue
        between = tokens[i + 1:j]
        said = [k for k, w in enumerate(between) if w in direction]
        if said and all(w in DIRECTION_FILLERS for w in between[said[-1] + 1:]):
            return True  # "red block 15cm left of the green bowl"
        if not said and tokens[j + 2:j + 3] == ["s"] and tokens[j + 3:j + 4] and tokens[j + 3] in direction:
            return True  # "red block ... on the green block's right"
        if not said and _side_said_after(tokens[j + 2:], tokens[j + 1], direction):
            return True  # "red block ... off the green bowl, on the bowl's left" / "... the green block, on its right"
    return False


def _side_said_after(rest: list[str], kind: str, direction: set[str]) -> bool:
    """Right after the reference object (its kind `kind`): "on its <dir>" or "on the <kind>'s <dir>" (fresh batch
    pt1477-pt1479). Only fillers may come between: in "so the yellow block is on its right" the "its" is another
    object's."""
    for k, word in enumerate(rest):
        if word == "its" and rest[k + 1:k + 2] and rest[k + 1] in direction:
            return True
        if word == kind and rest[k - 1:k] == ["the"] and rest[k + 1:k + 2] == ["s"] and rest[k + 2:k + 3] \
                and rest[k + 2] in direction:
            return True
        if word not in SIDE_FILLERS:
            return False
    return False


def _amounts(clause: str) -> set:
    """The distances the clause states, as the parser reads them (metres, or 'a little' / 'a lot')."""
    found = set()
    for match in AMOUNT.finditer(clause):
        amount = amount_of(match.group(0))
        if amount is not None:
            found.add(amount if amount in ("a little", "a lot") else round(float(amount), 4))
    return found
