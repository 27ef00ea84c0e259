"""Tails that say again what the instruction already said, folded into the phrase parser's plain wording: a
distance restated after its relation ("… right of the red block, a lot further right", "… below the red bowl,
like a lot below it"), or said after it ("… left of the red block, ten centimetres to the left"). A tail is
folded only when it agrees with what came before (the same direction); any other tail stays, so the instruction
stays unread rather than half read.
"""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_refs import ANYTHING_ELSE, MEASURE, MOVE_ANY

_FAR = r"(?:a lot|a long way|a good way|way|far|well|much)"
_SAID_FAR = r"\b(?:a lot|a long way|a good way|(?:way|far|well)(?: off| out| over)?)$"
_WORD = {"left": "left", "right": "right", "above": "up", "below": "down"}


def far_restated(t: str) -> str:
    """'X right of Y, a lot further right' / 'X way below Y, like a lot below it' / 'X way off to the right of
    Y, a long way from it' -> 'X a lot to the right of Y' (tuning pt978, pt1020, pt1203)."""
    m = re.fullmatch(rf"(.+?) (?:(?:to the |on the )?(left|right) of|(above|below)) (the [a-z]+ (?:block|bowl|one)),? "
                     rf"(?:like |so |i mean )?{_FAR}(?: (?:further|farther|more))? (?:(left|right|up|down)"
                     r"|(?:away )?from (?:it|them)|(left|right) of it|(above|below) it|away)$", t)
    if not m:
        return t
    head, side, vertical, anchor = m.group(1), m.group(2), m.group(3), m.group(4)
    if not _agrees(m.group(5) or m.group(6) or m.group(7), side or vertical):
        return t  # "right of X, a lot further left" contradicts itself
    amount = "" if re.search(_SAID_FAR, head) else " a lot"
    return f"{head}{amount} {_relation(side, vertical)} {anchor}"


def measure_after(t: str) -> str:
    """'X to the left of Y, ten centimetres to the left' -> 'X ten centimetres to the left of Y' (tuning pt1243's
    restatement): a measure said after a relation that has none, in the same direction."""
    m = re.fullmatch(rf"(.+?) ((?:to the |on the )?(left|right) of|(above|below)) (the [a-z]+ (?:block|bowl|one)),? "
                     rf"({MEASURE})(?: (?:to the |further |more )?(left|right|up|down|above|below)"
                     r"(?: of it| it)?)?$", t)
    if not m or re.search(rf"\b{MEASURE}\b|{_SAID_FAR}", m.group(1)):
        return t
    head, side, vertical, anchor, measure = m.group(1), m.group(3), m.group(4), m.group(5), m.group(6)
    if not _agrees(m.group(7), side or vertical):
        return t
    return f"{head} {measure} {_relation(side, vertical)} {anchor}"


def _agrees(said: str | None, main: str) -> bool:
    """Whether a tail's direction word (if it says one) is the relation's own: 'right' / 'up' for above."""
    return not said or said in (main, _WORD[main])


def _relation(side: str | None, vertical: str | None) -> str:
    return f"to the {side} of" if side else vertical


_NOT_INSIDE = (r"(?:,? but |,? and |,? )(?:(?:(?:just |only )?(?:beside|next to|near|by) it,? )?(?:(?:but |and )?not|"
               r"never|rather than|instead of) (?:in|right in) (it|that bowl|the bowl|the [a-z]+ bowl)"
               r"|(?:(?:don't|do not|dont|never) (?:put|place|drop|set|leave) it"
               r"|(?:it )?(?:shouldn't|should not|must not|mustn't) (?:go|be|end up)) in"
               r"(?: (it|that bowl|the bowl|there|the [a-z]+ bowl))?)$")


def not_inside(t: str) -> tuple[str, str | None]:
    """'X beside the blue bowl, not in it' / '… near the red bowl but don't put it inside' -> ('X beside the blue
    bowl', what the tail calls the bowl): near a bowl and kept out of it (tuning pt1543, pt1598). Said alone, the tail
    is no instruction; phrases.py adds the not(in()) only to a reading with exactly one block near that bowl."""
    m = re.search(rf"(?:{_NOT_INSIDE})$", t)
    if not m or m.start() == 0:
        return t, None
    return t[:m.start()], next((g for g in m.groups() if g), "it")


_MOVES = r"(?: (?:moves?|gets? moved))?"
_OTHERS_FREE_END = re.compile(
    rf"(.+?)[,;]? (?:and |but |just )?(?:"
    rf"(?:feel free to|you can|you may|it'?s (?:fine|ok|okay) to) {MOVE_ANY} {ANYTHING_ELSE}"
    r"(?: (?:out of the way|around|aside))?(?: if (?:you )?(?:need|have) (?:to|be))?"
    rf"|(?:i )?(?:don'?t|do not) care (?:what happens to|if|whether) {ANYTHING_ELSE}{_MOVES}"
    rf"|(?:it )?(?:doesn'?t|does not) matter (?:what happens to|if|whether) {ANYTHING_ELSE}{_MOVES})")
_OTHERS_FREE_START = re.compile(rf"(?:you can|you may|feel free to) {MOVE_ANY} (?:whatever|anything)"
                                r"(?: you (?:need|want|like)(?: to)?)?,? (?:just |but |and )?(.+)")


def others_free(t: str) -> str | None:
    """The rest of `t` when it says the other objects may move ("get the pink block into the red bowl, feel free to
    shove other stuff out of the way", "… don't care what happens to anything else": s23 pt1910, pt1912, read after
    its first measurement); None when it does not. phrases.phrase_spec then reads the rest without keeping the
    others where they are."""
    m = _OTHERS_FREE_END.fullmatch(t) or _OTHERS_FREE_START.fullmatch(t)
    return m.group(1) if m else None


def without_others_kept(spec: str | None) -> str | None:
    """The reading with its unchanged(others) dropped; None where it keeps a set some other way (which the tail
    contradicts)."""
    if spec is None or re.search(r"unchanged\((?:blocks|bowls|objects)\b", spec):
        return None
    if not spec.endswith(", unchanged(others))"):
        return None if "unchanged(others)" in spec else spec
    rest = spec[len("all("):-len(", unchanged(others))")]
    depth, parts = 0, 1  # one relation left: said without all(...)
    for ch in rest:
        depth += (ch == "(") - (ch == ")")
        parts += ch == "," and depth == 0
    return rest if parts == 1 else f"all({rest})"
