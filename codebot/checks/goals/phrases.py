"""A deterministic reading of common tabletop phrasings into goal specs, tried after the task
templates and before the LLM writer.

It covers what people say most: one object to a place, bowl, block or offset ("put the red block 10 cm
left of the blue bowl"), referents by colour, nearness, ordinal or side ("the second block from the
left", "whichever block sits right of the red bowl"), two clauses joined by "and"/"then", every block
(but one) somewhere, counts ("at least two blocks"), stacks, lines, distinct corners, matching and
mismatched bowls, and "leave the rest alone". Anything it cannot read completely returns None, so a
half-understood instruction never becomes a spec: the LLM writer (and its validation) takes over.
The input is `normalize_instruction`'s output (lower case, synonyms already mapped).
"""
from __future__ import annotations

import re

from codebot.primitives.colors import COLORS
from codebot.primitives.protocols import ObjectInfo

_COLOR = "(?:" + "|".join(sorted(COLORS, key=len, reverse=True)) + ")"
_PLACE = r"(?:(?:top|bottom) (?:left|right) corner|(?:top|bottom|left|right) side|middle|center|centre)"
_DIRECTION = {"left": "left", "right": "right", "top": "top", "bottom": "bottom", "leftmost": "left",
              "rightmost": "right", "topmost": "top", "bottommost": "bottom", "highest": "top", "lowest": "bottom",
              "above": "top", "below": "bottom", "up": "top", "down": "bottom"}
_OFFSET_RELATION = {"left": "left_of", "right": "right_of", "top": "above", "bottom": "below"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "5th": 5, "last": -1}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a single": 1, "a": 1}
_VERB = (r"(?:put|place|move|set|drop|slide|take|bring|get|grab|carry|shift|stack|push|position|transfer|"
         r"pick up|lift)")
MATCHING = "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))"
MISMATCHED = ("forall(x in blocks: all(exists(y in bowls: in(x, y)), "
              "forall(y in bowls: not(all(same_colour(x, y), in(x, y))))))")
_ALL_BLOCKS = r"(?:all (?:of )?the blocks|all blocks|the blocks|every block|each block|each of the blocks)"
_KEEP_OTHERS = (r"(?:,? and |,? )(?:leave|keep) (?:everything else|the rest|the others|all else|all the rest|"
                r"every other object|the other objects)(?: of the objects)?(?: alone| where (?:it is|they are)|"
                r" as (?:it is|they are)| untouched| in place)?$")
_KEEP_BLOCKS = r"(?:,? and |,? )(?:leave|keep) the other blocks(?: alone| where they are| as they are| untouched)?$"
_KEEP_BOWLS = r"(?:,? and |,? )(?:do not|don't|never) (?:touch|move) the bowls$"


class _Scene:
    def __init__(self, objects: list[ObjectInfo]):
        self.names = {o.name for o in objects}
        self.by_name = {o.name: o for o in objects}

    def has(self, name: str) -> bool:
        return name in self.names


def _clean(text: str) -> str:
    t = text.strip().lower()
    t = re.sub(r"[.!?]+$", "", t)
    t = re.sub(r"^(?:please |could you |can you |would you |now |then |go and |go )+", "", t)
    t = re.sub(r",? please$", "", t)
    t = re.sub(r"\s+", " ", t)
    t = t.replace(" of the table", "").replace("on top of", "on").replace("onto", "on").replace("into", "in")
    t = t.replace("inside of", "in").replace("inside", "in").replace("centre", "middle").replace("center", "middle")
    t = re.sub(r"\b(?:over|across|down|up|back) (to|on|in|at)\b", r"\1", t)
    t = re.sub(r"\b(set|put|place|drop) (the [a-z ]+?) down\b", r"\1 \2", t)
    return t


# ------------------------------------------------------------------------------------ referents
def _object(text: str, scene: _Scene, kind: str | None = None, last: str | None = None) -> str | None:
    """'the red block' / 'the red one' / 'the red' / 'red bowl' -> a scene object name."""
    m = re.fullmatch(rf"(?:the )?({_COLOR})(?: (block|bowl|one))?", text)
    if not m:
        if text in ("it", "that block", "that one") and last:
            return last
        return None
    colour, noun = m.group(1), m.group(2)
    kinds = [noun] if noun in ("block", "bowl") else ([kind] if kind else ["block", "bowl"])
    found = [f"{colour} {k}" for k in kinds if scene.has(f"{colour} {k}")]
    return found[0] if len(found) == 1 else None


def _anchor(text: str, scene: _Scene, last: str | None = None) -> str | None:
    """A reference point: a scene object or a named place."""
    m = re.fullmatch(rf"(?:the )?({_PLACE})", text)
    if m:
        return m.group(1)
    return _object(text, scene, last=last)


def _block_ref(text: str, scene: _Scene, last: str | None = None) -> str | None:
    """A block: by colour, or selected by nearness, order or side."""
    name = _object(text, scene, kind="block", last=last)
    if name and name.endswith("block"):
        return name
    m = re.fullmatch(r"(?:the |whichever )?(?:block|one) (?:that is |which is |that's )?(nearest|closest) "
                     r"(?:to )?(.+)", text)
    if m:
        a = _anchor(m.group(2), scene)
        return f"nearest(blocks, {a})" if a else None
    m = re.fullmatch(r"(?:the |whichever )?(?:block|one) (?:that is |which is |that's )?(?:farthest|furthest) "
                     r"(?:away )?from (.+)", text)
    if m:
        a = _anchor(m.group(1), scene)
        return f"farthest(blocks, {a})" if a else None
    m = re.fullmatch(r"the (first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last) block (?:counting )?from the "
                     r"(left|right|top|bottom)", text)
    if m:
        n = _ORDINALS[m.group(1)]
        direction = m.group(2)
        if n == -1:  # the last from the left is the first from the right
            n, direction = 1, {"left": "right", "right": "left", "top": "bottom", "bottom": "top"}[direction]
        return f"nth(blocks, {n}, {direction})"
    m = re.fullmatch(r"the (leftmost|rightmost|topmost|bottommost|highest|lowest) block", text)
    if m:
        return f"nth(blocks, 1, {_DIRECTION[m.group(1)]})"
    m = re.fullmatch(r"(?:the |whichever )?block (?:that |which )?(?:is |sits |lies |stands )?(?:on |to )?the "
                     r"(left|right|top|bottom) of (.+)", text)
    if m:
        a = _anchor(m.group(2), scene)
        return f"side_of(blocks, {m.group(1)}, {a})" if a else None
    return None


def _amount(text: str) -> str | None:
    m = re.fullmatch(r"(\d+(?:\.\d+)?) ?(cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?|m|met(?:er|re)s?)", text)
    if m:
        value = float(m.group(1)) * {"c": 0.01, "m": 1.0}.get(m.group(2)[0], 1.0)
        if m.group(2).startswith(("mm", "milli")):
            value = float(m.group(1)) * 0.001
        elif m.group(2) in ("m",) or m.group(2).startswith("met"):
            value = float(m.group(1))
        return f"{value:g}"
    if re.fullmatch(r"a (?:little|bit|little bit|tad)|slightly|just|a few cm|a short way", text):
        return "a little"
    if re.fullmatch(r"a (?:long way|lot|good way)|far|well|way", text):
        return "a lot"
    return None


# ------------------------------------------------------------------------------------ targets
def _target(text: str, subject: str, scene: _Scene, last: str | None = None) -> str | None:
    """Where `subject` should end up, as a relation on it (`last`: what "it" refers to)."""
    text = re.sub(r"^(?:to|on) the (?=(?:left|right|top|bottom) of )", "", text)  # no amount: plain offset
    # offsets: "10 cm to the left of X", "a bit right of X", "to the left of X", "above X"
    m = re.fullmatch(r"(?:(.+?) (?:to the |on the )?)??(left|right|top|bottom) of (.+)", text) or \
        re.fullmatch(r"(?:(.+?) )?(above|below)(?: of)? (.+)", text)
    if m:
        amount_text, direction, anchor_text = m.group(1), _DIRECTION[m.group(2)], m.group(3)
        anchor = _anchor(anchor_text, scene, last=subject)
        if anchor is None or anchor == subject:
            return None
        rel = _OFFSET_RELATION[direction]
        if amount_text is None:
            return f"{rel}({subject}, {anchor})"
        amount = _amount(amount_text)
        return f"{rel}({subject}, {anchor}, dist={amount})" if amount else None
    m = re.fullmatch(r"(?:right |just |directly )?(?:next to|beside|by|near|close to) (.+)", text)
    if m:
        anchor = _anchor(m.group(1), scene, last=subject)
        return f"near({subject}, {anchor})" if anchor and anchor != subject else None
    m = re.fullmatch(r"(?:in|on|at|to) (.+)", text)
    if not m:
        return None
    where = m.group(1)
    m = re.fullmatch(rf"(?:the )?({_PLACE})", where)
    if m:
        return f"at({subject}, {m.group(1)})"
    m = re.fullmatch(r"(?:the|whichever) (corner|bowl) (?:that is |which is |is )?(nearest|closest|farthest|furthest) "
                     r"(?:away )?(?:to |from )?(.+)", where)
    if m:
        anchor = _anchor(m.group(3), scene, last=subject)
        how = "nearest" if m.group(2) in ("nearest", "closest") else "farthest"
        relation, candidates = ("at", "corners") if m.group(1) == "corner" else ("in", "bowls")
        return f"{relation}({subject}, {how}({candidates}, {anchor}))" if anchor else None
    m = re.fullmatch(r"the bowl (?:with|of|that has|in) (?:the same|its own|its|a matching|the matching) colou?r"
                     r"|the (?:matching|same colou?r(?:ed)?) bowl", where)
    if m:
        info = scene.by_name.get(subject)
        bowl = f"{info.color} bowl" if info else None
        return f"in({subject}, {bowl})" if bowl and scene.has(bowl) else None
    target = _object(where, scene, last=last) or _block_ref(where, scene)
    if target is None or target == subject:
        return None
    return f"in({subject}, {target})" if target.endswith("bowl") else f"on({subject}, {target})"


# ------------------------------------------------------------------------------------ clauses
def _clause(text: str, scene: _Scene, last: str | None) -> tuple[str, str] | None:
    """(relation, moved object) of 'VERB REF TARGET' / 'REF TARGET' / 'pick up REF and put it TARGET'."""
    m = re.fullmatch(rf"(?:pick up|take|grab|lift|get) (.+?) and (?:{_VERB}) it (.+)", text)
    if m:
        return _ref_and_target(m.group(1), m.group(2), scene, last)
    m = re.fullmatch(r"(.+?) (?:should go|must go|goes|should end up|must end up|should be|must be) (.+)", text)
    if m:
        target = m.group(2)
        target = target if re.match(r"(?:in|on|at|to|next|beside|near|above|below|\S+ (?:cm|mm|m)\b)", target) else None
        if target:
            return _ref_and_target(m.group(1), target, scene, last)
    m = re.fullmatch(rf"(?:{_VERB} )?(.+)", text)
    if not m:
        return None
    body = m.group(1)
    # try every split of 'REF TARGET' at a word boundary; the referent must read completely
    words = body.split(" ")
    for i in range(1, len(words)):
        got = _ref_and_target(" ".join(words[:i]), " ".join(words[i:]), scene, last)
        if got:
            return got
    return None


def _ref_and_target(ref_text: str, target_text: str, scene: _Scene, last: str | None) -> tuple[str, str] | None:
    ref_text = re.sub(r" (?:so that it sits|so it sits|so it is|so that it is)$", "", ref_text)
    subject = _block_ref(ref_text, scene, last)
    if subject is None:
        return None
    target_text = re.sub(r"^(?:so that it sits|so it sits|so that it is|so it is|so it ends up|and put it"
                         r"|and place it) ",
                         "", target_text)
    rel = _target(target_text, subject, scene, last)
    return (rel, subject) if rel else None


# ------------------------------------------------------------------------------------ whole-scene goals
def _set_goal(t: str, scene: _Scene) -> str | None:
    m = re.fullmatch(rf"fill (?:the )?(.+?) with {_ALL_BLOCKS}", t)
    if m:
        bowl = _object(m.group(1), scene, kind="bowl")
        return f"forall(x in blocks: in(x, {bowl}))" if bowl and bowl.endswith("bowl") else None
    if re.search(r"(?:never|not|n't|no) (?:in |into )?(?:the |a )?bowls? with (?:the )?matching colou?rs?", t):
        return MISMATCHED
    if re.search(r"(?:different|separate|its own|their own|distinct) corners?", t):
        return "distinct_places(blocks, corners)"
    if re.search(r"(?:different|separate|its own|their own|distinct) sides?", t):
        return "distinct_places(blocks, sides)"
    if re.search(r"mismatch|colou?r (?:that )?differs|differs from it|different colou?r"
                 r"|not (?:the bowl of )?(?:its|their) own colou?r|never in the bowl of its own colou?r"
                 r"|bowl of another colou?r", t) and "bowl" in t:
        return MISMATCHED
    if re.search(r"bowls? with (?:the )?matching colou?rs?|matching bowls?", t) and re.search(_ALL_BLOCKS, t):
        return MATCHING
    m = re.search(r"(horizontal|vertical|diagonal)(?:ly)?\b", t)
    if m and re.search(r"\b(?:line|lines|row|column|along|up)\b", t) and re.search(r"\bblocks\b", t):
        return f"line(blocks, {m.group(1)})"
    return None


def _stack_goal(t: str, scene: _Scene) -> str | None:
    t = re.sub(r" (?:on|in) (?:one another|each other)$", "", t)
    m = re.fullmatch(r"(?:stack|pile) (?:up )?(?:all (?:of )?)?the blocks(?: up)?(?: (?:on|in|at|to) (.+))?", t) or \
        re.fullmatch(r"(?:build|make|form) (?:a|one) stack (?:of|with|from|out of|using) (?:all (?:of )?)?the blocks"
                     r"(?: (?:on|in|at|to) (.+))?", t)
    if m:
        where = m.group(1)
        if where is None:
            return "stack(blocks)"
        base = _anchor(where, scene)
        return f"stack(blocks, {base})" if base else None
    m = re.fullmatch(r"(?:build|make|form) (?:a|one) stack"
                     r"(?: (?:of|with|from|out of|using) (?:all (?:of )?)?the blocks)? "
                     r"with (?:the )?(.+?) (?:at the bottom|as the base|at the base|on the bottom)", t) or \
        re.fullmatch(r"stack (?:all (?:of )?)?the blocks (?:with|using) (?:the )?(.+?) "
                     r"(?:at the bottom|as the base)", t)
    if m:
        base = _object(m.group(1), scene, kind="block")
        return f"stack(blocks, {base})" if base else None
    m = re.fullmatch(r"(?:build|make|form) (?:a|one) (?:two|three|\d) block stack (?:of|with|from|out of|using) "
                     r"(?:the )?(.+?) blocks", t)
    if m:
        colours = [c.strip() for c in re.split(r",| and ", m.group(1)) if c.strip() and c.strip() != "the"]
        names = [_object(c.replace("the ", ""), scene, kind="block") for c in colours]
        if len(names) >= 2 and all(n and n.endswith("block") for n in names):
            return f"stack([{', '.join(names)}])"
    return None


def _quantified_goal(t: str, scene: _Scene) -> str | None:
    m = re.fullmatch(rf"(?:{_VERB} )?(?:exactly )?one block (?:in|on) each bowl", t)
    if m:
        return "forall(y in bowls: count(x in blocks: in(x, y)) == 1)"
    m = re.fullmatch(rf"(?:{_VERB} )?{_ALL_BLOCKS} (?:in|on) (?:a different|separate|different|its own) bowls?", t)
    if m:
        return ("all(forall(x in blocks: exists(y in bowls: in(x, y))), "
                "forall(y in bowls: count(x in blocks: in(x, y)) <= 1))")
    m = re.fullmatch(rf"(?:{_VERB} )?{_ALL_BLOCKS} (?:in|on) (?:any bowl|a bowl|bowls|some bowl)"
                     r"(?:,? any bowl will do)?", t)
    if m:
        return "forall(x in blocks: exists(y in bowls: in(x, y)))"
    m = re.fullmatch(rf"(?:{_VERB} )?(?:one|any one|a single) of the blocks (in|on|at|to) (.+)", t)
    if m:
        rel = _target(f"{m.group(1)} {m.group(2)}", "x", scene)
        return f"exists(x in blocks: {rel})" if rel else None
    m = re.fullmatch(rf"(?:{_VERB} )?(at least|at most|exactly|no more than|no fewer than)? ?(one|two|three|four|\d+) "
                     r"(?:of the )?blocks? (in|on|at|to) (.+)", t)
    if m:
        op = {"at least": ">=", "no fewer than": ">=", "at most": "<=", "no more than": "<=", "exactly": "=="}[
            m.group(1) or "at least"]
        n = int(m.group(2)) if m.group(2).isdigit() else _NUMBERS[m.group(2)]
        rel = _target(f"{m.group(3)} {m.group(4)}", "x", scene)
        return f"count(x in blocks: {rel}) {op} {n}" if rel else None
    m = re.fullmatch(rf"(?:{_VERB} )?{_ALL_BLOCKS}(?: (?:except|but|other than|apart from|save) (?:for )?(.+?))? "
                     r"((?:in|on|at|to) .+)", t) or \
        re.fullmatch(rf"{_ALL_BLOCKS}(?: (?:except|but|other than) (.+?))? (?:goes|go|should go|must go) "
                     r"((?:in|on|at|to) .+)", t)
    if m:
        rel = _target(m.group(2), "x", scene)
        if rel is None:
            return None
        if m.group(1) is None:
            return f"forall(x in blocks: {rel})"
        excluded = _object(m.group(1).replace(" one", " block"), scene, kind="block")
        if not excluded or not excluded.endswith("block"):
            return None
        return f"all(forall(x in blocks except {excluded}: {rel}), not({_target(m.group(2), excluded, scene)}))"
    return None


def _split_clauses(t: str) -> list[str]:
    parts = re.split(rf",? (?:and then|then|and also|and|after that|afterwards),? (?!{_VERB} it\b)", t)
    return [p for p in parts if p]


MAX_WORDS = 60  # far above any tabletop command; the clause split is quadratic in the words


def phrase_spec(text: str, objects: list[ObjectInfo]) -> str | None:
    """The spec text of a phrasing this parser reads completely, or None."""
    if len(text.split()) > MAX_WORDS:
        return None
    scene = _Scene(objects)
    t = _clean(text)
    keep = "others"
    for pattern, what in ((_KEEP_BLOCKS, "blocks"), (_KEEP_BOWLS, "bowls"), (_KEEP_OTHERS, "others")):
        stripped = re.sub(pattern, "", t)
        if stripped != t:
            t, keep = stripped, what
            break
    for rule in (_set_goal, _stack_goal, _quantified_goal):
        spec = rule(t, scene)
        if spec:
            if keep == "others" or not spec.startswith("stack(["):
                return spec if not spec.startswith("stack([") else f"all({spec}, unchanged(others))"
            return spec
    # except-clauses with two destinations: "every block goes in the blue bowl except the red block, which goes in..."
    m = re.fullmatch(r"(.+?) except (?:the )?(.+?),? which (?:goes|should go|must go) (.+)", t)
    if m:
        rest = _quantified_goal(f"{m.group(1)}", scene)
        excluded = _object(m.group(2), scene, kind="block")
        rel = _target(m.group(3), excluded, scene) if excluded else None
        if rest and rest.startswith("forall(x in blocks: ") and rel:
            inner = rest[len("forall(x in blocks: "):-1]
            return f"all(forall(x in blocks except {excluded}: {inner}), {rel})"
    relations, moved, last = [], [], None
    for part in _split_clauses(t):
        got = _clause(part, scene, last)
        if got is None:
            return None
        relations.append(got[0])
        moved.append(got[1])
        last = got[1]
    if not relations:
        return None
    if keep == "blocks":
        others = "unchanged(blocks except " + ", ".join(dict.fromkeys(moved)) + ")" if len(moved) == 1 else None
        if others is None:
            return None
    elif keep == "bowls":
        others = "unchanged(bowls)"
    else:
        others = "unchanged(others)"
    return f"all({', '.join(relations)}, {others})"
