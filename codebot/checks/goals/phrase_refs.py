"""Referents and targets of the phrase parser (codebot/checks/goals/phrases.py): a scene object by
colour ('the red block', 'the red one', 'it'), a block chosen by nearness, order or side, a named place,
an amount ('10 cm', 'a bit'), and where a moved object should end up, as one relation on it; and a clause
'VERB REF TARGET' read into that relation. Every function returns None unless it reads its text completely
and the scene has exactly what it names."""
from __future__ import annotations

import re

from codebot.primitives.colors import COLORS
from codebot.primitives.protocols import ObjectInfo

COLOR = "(?:" + "|".join(sorted(COLORS, key=len, reverse=True)) + ")"
PLACE = r"(?:(?:top|bottom) (?:left|right) corner|(?:top|bottom|left|right) side|middle|center|centre)"
DIRECTION = {"left": "left", "right": "right", "top": "top", "bottom": "bottom", "leftmost": "left",
              "rightmost": "right", "topmost": "top", "bottommost": "bottom", "highest": "top", "lowest": "bottom",
              "above": "top", "below": "bottom", "up": "top", "down": "bottom"}
OFFSET_RELATION = {"left": "left_of", "right": "right_of", "top": "above", "bottom": "below"}
OPPOSITE = {"left": "right", "right": "left", "top": "bottom", "bottom": "top"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "5th": 5, "last": -1}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a single": 1, "a": 1}
# "..., any one will do" / "..., doesn't matter which" / "..., whichever you like" after a choice of places
ANY_WILL_DO = (r"(?:,? (?:your|you) (?:pick|choice|call|choose)"
               r"|,?(?: and then)? (?:any|either)(?: one| bowl| block| corner| side)? (?:will do|is fine|works)"
               r"|,? (?:it )?(?:doesn't|does not) matter which(?: one| bowl)?|,? (?:any|whichever) (?:one )?you "
               # the robot's convenience, not a criterion ("whichever is closer" picks one: tuning pt251)
               r"(?:like|want)|,? whichever(?:'s| is) (?:easier|easiest|simpler|quicker|handier)"
               r"|,? whichever|,? i (?:don't|do not) (?:mind|care) which(?: one)?)")
# "feel free to shove other stuff out of the way" / "don't care what happens to anything else": the words of an
# instruction that lets the other objects move (phrase_tails.others_free reads it; written_forbids refuses a spec
# that keeps them still)
MOVE_ANY = r"(?:move|shift|push|shove|nudge|bump|knock|disturb|rearrange|touch)"
ANYTHING_ELSE = (r"(?:whatever|anything|everything|the others?|the rest|other (?:blocks|things|objects|stuff)|"
                 r"the other (?:blocks|things|objects))(?: else)?")
VERB = (r"(?:put|place|move|set|drop|slide|take|bring|get|grab|carry|shift|stack|push|position|transfer|"
         r"pick up|lift)")


class PhraseScene:
    def __init__(self, objects: list[ObjectInfo]):
        self.names = {o.name for o in objects}
        self.by_name = {o.name: o for o in objects}

    def has(self, name: str) -> bool:
        return name in self.names



# ------------------------------------------------------------------------------------ referents
_ORDINAL = r"(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)"
_THAT_IS = r"(?:that's |that is |which is |that sits |sitting |)"


def _nth(ordinal: str, direction: str, kind: str) -> str:
    n = ORDINALS[ordinal]
    if n == -1:  # the last from the left is the first from the right
        n, direction = 1, OPPOSITE[direction]
    return f"nth({kind}s, {n}, {direction})"


def object_ref(text: str, scene: PhraseScene, kind: str | None = None, last: str | None = None) -> str | None:
    """'the red block' / 'the red one' / 'the red' / 'red bowl' / 'a red block' -> a scene object name; 'the bowl'
    when the scene has one."""
    m = re.fullmatch(rf"(?:the |a |an )?({COLOR})(?: (block|bowl|one))?", text)
    if not m:
        if text in ("it", "that block", "that one") and last:
            return last
        alone = re.fullmatch(r"the (block|bowl)", text)
        if alone:
            of_kind = [n for n in scene.names if n.endswith(" " + alone.group(1))]
            return of_kind[0] if len(of_kind) == 1 else None
        return None
    colour, noun = m.group(1), m.group(2)
    kinds = [noun] if noun in ("block", "bowl") else ([kind] if kind else ["block", "bowl"])
    found = [f"{colour} {k}" for k in kinds if scene.has(f"{colour} {k}")]
    return found[0] if len(found) == 1 else None


def anchor_ref(text: str, scene: PhraseScene, last: str | None = None) -> str | None:
    """A reference point: a scene object or a named place."""
    m = re.fullmatch(rf"(?:the )?({PLACE})", text)
    if m:
        return m.group(1)
    return object_ref(text, scene, last=last)


def beside_ref(text: str, scene: PhraseScene, last: str | None = None) -> str | None:
    """What a block goes beside, left of or above: an anchor, or a bowl chosen by side or order ("right of the
    leftmost bowl", tuning pt1249)."""
    return anchor_ref(text, scene, last=last) or side_bowl(text) or bowl_ref(text, scene)


def target_anchor(text: str, subject: str, scene: PhraseScene, last: str | None = None) -> str | None:
    """What `subject` goes beside, left of or above: a beside_ref, or a block chosen by nearness, order or side
    ("next to the rightmost block", tuning pt1354's restatement), chosen among the blocks other than a named
    subject (the red block goes beside another block, even where it is the rightmost one itself)."""
    anchor = beside_ref(text, scene, last)
    if anchor is not None:
        return anchor
    chosen = block_ref(text, scene, last=last)
    if chosen is None or not re.match(r"(?:nth|nearest|farthest|side_of)\(blocks,", chosen):
        return None  # "the blue one" beside a blue block and a blue bowl stays ambiguous
    return re.sub(r"\(blocks,", f"(blocks except {subject},", chosen, count=1) \
        if re.fullmatch(r"[a-z]+ block", subject) else chosen


def side_bowl(text: str) -> str | None:
    """The bowl furthest to one side: 'the leftmost bowl', 'the far right bowl', 'the bowl on the left'."""
    m = re.fullmatch(r"the (?:(?:(?:furthest|farthest|far) )?(left|right|top|bottom)(?:most)? bowl"
                     r"|bowl (?:on|at) the (?:far )?(left|right|top|bottom))", text)
    return f"nth(bowls, 1, {m.group(1) or m.group(2)})" if m else None


def except_set(base: str, left_out: list[str]) -> str:
    """'blocks except red block', or 'blocks except [red block, farthest(blocks, green bowl)]': the spec language
    reads a bare name after 'except' and anything else (several, or a selector) only as a bracketed list."""
    left_out = list(dict.fromkeys(left_out))
    if len(left_out) == 1 and re.fullmatch(r"[a-z]+ [a-z]+", left_out[0]):
        return f"{base} except {left_out[0]}"
    return f"{base} except [{', '.join(left_out)}]"


def _others_than(anchor: str) -> str:
    """The blocks a nearest/farthest block is chosen from: 'the block closest to the purple block' is another
    block (as a set with the anchor in it, the anchor itself would be the nearest)."""
    return f"blocks except {anchor}" if re.fullmatch(r"[a-z]+ block", anchor) else "blocks"


def block_ref(text: str, scene: PhraseScene, last: str | None = None) -> str | None:
    """A block: by colour, or selected by nearness, order or side."""
    name = object_ref(text, scene, kind="block", last=last)
    if name and name.endswith("block"):
        return name
    m = re.fullmatch(r"(?:the |whichever )?(?:block|one) (?:that is |which is |that's )?(nearest|closest) "
                     r"(?:to )?(.+)", text)
    if m:
        a = beside_ref(m.group(2), scene, last)  # "the block nearest the rightmost bowl" (tuning pt1108)
        return f"nearest({_others_than(a)}, {a})" if a else None
    m = re.fullmatch(r"(?:the |whichever )?(?:block|one) (?:that is |which is |that's )?(?:farthest|furthest) "
                     r"(?:away )?from (.+)", text)
    if m:
        a = beside_ref(m.group(1), scene, last)
        return f"farthest({_others_than(a)}, {a})" if a else None
    m = re.fullmatch(rf"the {_ORDINAL} block (?:counting )?from the (left|right|top|bottom)", text) or \
        re.fullmatch(rf"the block {_THAT_IS}{_ORDINAL} from the (left|right|top|bottom)", text)
    if m:
        return _nth(m.group(1), m.group(2), "block")
    m = re.fullmatch(rf"the block {_THAT_IS}(?:the same colou?r as|that matches|matching) (.+)", text)
    if m:  # 'the block that matches the red bowl': that colour's block
        return _same_colour(m.group(1), "bowl", "block", scene)
    m = re.fullmatch(r"the (leftmost|rightmost|topmost|bottommost|highest|lowest) block", text)
    if m:
        return f"nth(blocks, 1, {DIRECTION[m.group(1)]})"
    m = re.fullmatch(r"(?:the |whichever )?block (?:that's |that |which )?(?:is |sits |lies |stands |sitting |lying |"
                     r"standing |is sitting |is lying )?"
                     r"(?:on |to )?(?:the )?(left|right|top|bottom) of (.+)", text) or \
        re.fullmatch(r"(?:the |whichever )?block (?:that's |that is |which is )?(above|below) (.+)", text)
    if m:
        a = anchor_ref(m.group(2), scene)
        return f"side_of(blocks, {DIRECTION.get(m.group(1), m.group(1))}, {a})" if a else None
    return None


def bowl_ref(text: str, scene: PhraseScene) -> str | None:
    """A bowl chosen by order, side or colour: 'the second bowl from the right', 'the bowl second from the left',
    'the bowl that's furthest right', 'the bowl to the right of the red bowl', 'the bowl that's the same colour as
    the yellow block' (that colour's bowl, when the scene has it)."""
    m = re.fullmatch(rf"the {_ORDINAL} bowl (?:counting )?from the (left|right|top|bottom)", text) or \
        re.fullmatch(rf"the bowl {_THAT_IS}{_ORDINAL} from the (left|right|top|bottom)", text)
    if m:
        return _nth(m.group(1), m.group(2), "bowl")
    m = re.fullmatch(rf"the bowl {_THAT_IS}(?:furthest|farthest|most) (?:to the |on the )?(left|right|top|bottom)",
                     text)
    if m:
        return f"nth(bowls, 1, {m.group(1)})"
    m = re.fullmatch(rf"the bowl {_THAT_IS}(?:on |to )?(?:the )?(left|right) of (.+)", text)
    if m:
        a = anchor_ref(m.group(2), scene)
        return f"side_of(bowls, {m.group(1)}, {a})" if a else None
    m = re.fullmatch(rf"the bowl {_THAT_IS}(?:the same colou?r as|that matches|matching) (.+)", text)
    return _same_colour(m.group(1), "block", "bowl", scene) if m else None


def _same_colour(named_text: str, named_kind: str, kind: str, scene: PhraseScene) -> str | None:
    """The object of `kind` with the colour of the `named_kind` object `named_text` names, when the scene has it."""
    named = object_ref(named_text, scene, kind=named_kind)
    info = scene.by_name.get(named or "")
    found = f"{info.color} {kind}" if info and named.endswith(named_kind) else None
    return found if found and scene.has(found) else None


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}


# Distance words, one vocabulary for the parser (amount_of), the frame reader, the tails and the written-spec rules.
NUMBER = r"\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS)
UNIT = r"cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?|inch(?:es)?|met(?:er|re)s?"
MEASURE = rf"(?:{NUMBER}) ?(?:{UNIT})"  # "15 cm", "ten centimetres"
A_LITTLE = (r"a (?:little bit|little way|little|bit|tad|smidge|smidgen|hair|whisker|(?:tiny|teeny|wee) (?:little )?bit)"
            r"|slightly")
A_LOT = r"a (?:long way|lot|good way|good distance|good long way|long long way|really long way)"


def amount_of(text: str) -> str | None:
    text = re.sub(r"^(" + "|".join(NUMBER_WORDS) + r")\b", lambda w: str(NUMBER_WORDS[w.group(1)]), text)
    inches = re.fullmatch(r"(\d+(?:\.\d+)?) ?(?:in|inch|inches)", text)
    if inches:
        return f"{round(float(inches.group(1)) * 0.0254, 4):g}"
    m = re.fullmatch(r"(\d+(?:\.\d+)?) ?(cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?|m|met(?:er|re)s?)", text)
    if m:
        value = float(m.group(1)) * {"c": 0.01, "m": 1.0}.get(m.group(2)[0], 1.0)
        if m.group(2).startswith(("mm", "milli")):
            value = float(m.group(1)) * 0.001
        elif m.group(2) in ("m",) or m.group(2).startswith("met"):
            value = float(m.group(1))
        return f"{value:g}"
    if re.fullmatch(rf"{A_LITTLE}|just|a few cm|a short way", text):
        return "a little"
    if re.fullmatch(rf"{A_LOT}|(?:far|well|way)(?: off| out| over)?", text):
        return "a lot"
    return None


# ------------------------------------------------------------------------------------ targets
def target(text: str, subject: str, scene: PhraseScene, last: str | None = None) -> str | None:
    """Where `subject` should end up, as a relation on it (`last`: what "it" refers to)."""
    text = re.sub(r"^(?:right|exactly|directly|precisely) (?=(?:in|on|at) )", "", text)
    # "next to the red one, on its right" -> "right of the red one"
    m = re.fullmatch(r"(?:right |just |directly )?(?:next to|beside|by) (.+?),? (?:on|to) its (left|right)", text)
    if m:
        text = f"{m.group(2)} of {m.group(1)}"
    # "so (that) the blue block is on its left / ends up to the left of it / is above it": where the other object is
    # to end up beside the moved one, read as where the moved one is to end up beside it (the opposite side)
    m = re.fullmatch(r"(?:somewhere )?so (?:that )?(.+?) (?:is|sits|ends up|will be|lies|stands)"
                     r"(?: (?:on|to) its (left|right)(?: side)?|(?: to the| on the)? (left|right) of it"
                     r"| (above|below) it)", text)
    if m:
        other = anchor_ref(m.group(1), scene, last=last)
        side = DIRECTION[m.group(2) or m.group(3) or m.group(4)]
        if other is None or other == subject:
            return None
        return f"{OFFSET_RELATION[OPPOSITE[side]]}({subject}, {other})"
    m = re.fullmatch(r"(?:in|to) (the .*bowl .+)", text)  # "in the bowl right of X": a bowl, not an offset
    chosen_bowl = bowl_ref(m.group(1), scene) if m else None
    if chosen_bowl:
        return f"in({subject}, {chosen_bowl})"
    text = re.sub(r"^(?:to|on) the (?=(?:left|right|top|bottom) of )", "", text)  # no amount: plain offset
    # offsets: "10 cm to the left of X", "a bit right of X", "to the left of X", "above X"
    m = re.fullmatch(r"(?:(.+?) (?:to the |on the )?)??(left|right|top|bottom) of (.+)", text) or \
        re.fullmatch(r"(?:(.+?) )?(above|below)(?: of)? (.+)", text)
    if m:
        amount_text, direction, anchor_text = m.group(1), DIRECTION[m.group(2)], m.group(3)
        anchor = target_anchor(anchor_text, subject, scene, last)  # "it": the previous clause's object
        if re.fullmatch(r"(?:all (?:of )?the|every(?: one of the)?|each(?: of the)?) bowls?", anchor_text):
            anchor = f"nth(bowls, 1, {direction})"  # "left of all the bowls": beyond the last bowl that way (pt1097)
        if anchor is None or anchor == subject:
            return None
        rel = OFFSET_RELATION[direction]
        if amount_text is None:
            return f"{rel}({subject}, {anchor})"
        amount = amount_of(amount_text)
        return f"{rel}({subject}, {anchor}, dist={amount})" if amount else None
    m = re.fullmatch(r"(?:under|underneath|beneath) (?:the )?([a-z]+ block|[a-z]+ one)", text)
    if m:  # "put the blue block under the red block": the red block ends up on it
        anchor = object_ref(f"the {m.group(1)}", scene, kind="block")
        return f"on({anchor}, {subject})" if anchor and anchor.endswith(" block") and subject not in (anchor, "x") \
            else None
    m = re.fullmatch(r"(?:next to|beside|near|close to) (.+?),? but not on (?:it|top of it)", text)
    if m:  # "close to the yellow block but not on it"
        anchor = anchor_ref(m.group(1), scene, last=last)
        return f"all(near({subject}, {anchor}), not(on({subject}, {anchor})))" if anchor and anchor != subject \
            else None
    m = re.fullmatch(r"(?:right |just |directly |over )?"
                     r"(?:next to|beside|by|near to|near|close to|close by|(?:up )?against|touching|around) (.+)",
                     text)
    if m:
        anchor = target_anchor(m.group(1), subject, scene, last)
        return f"near({subject}, {anchor})" if anchor and anchor != subject else None
    m = re.fullmatch(r"(in|on|at|to) (.+)", text)
    if not m:
        return None
    preposition, where = m.group(1), m.group(2)
    m = re.fullmatch(rf"(?:the )?({PLACE})", where)
    if m:
        return f"at({subject}, {m.group(1)})"
    # "to a corner, any corner" / "on one of the sides": whichever the robot picks
    m = re.fullmatch(rf"(?:a|any|one of the|any of the|any one of the) (corner|side)s?(?:,? any(?: \1| one)?"
                     rf"(?: will do| is fine)?)?{ANY_WILL_DO}?", where)
    if m:
        return f"exists(c in {m.group(1)}s: at({subject}, c))"
    m = re.fullmatch(r"(?:the|whichever) (corner|bowl|side) (?:that is |which is |is |that lies |lies )?"
                     r"(nearest|closest|farthest|furthest) "
                     r"(?:away )?(?:to |from )?(.+)", where)
    if m:
        anchor = anchor_ref(m.group(3), scene, last=subject)
        if re.fullmatch(r"where it (?:is|sits|stands)(?: now)?|its (?:current )?(?:spot|position|place)", m.group(3)):
            anchor = subject  # "the bowl farthest from where it sits now" (tuning pt1351's restatement)
        how = "nearest" if m.group(2) in ("nearest", "closest") else "farthest"
        relation, candidates = ("in", "bowls") if m.group(1) == "bowl" else ("at", f"{m.group(1)}s")
        return f"{relation}({subject}, {how}({candidates}, {anchor}))" if anchor else None
    m = re.fullmatch(r"the bowl (?:with|of|that has|in) (?:the same|its own|its|a matching|the matching) colou?r"
                     r"|the (?:matching|same colou?r(?:ed)?) bowl|the bowls? with (?:the )?matching colou?rs?"
                     r"|the bowl (?:that|which) (?:matches|shares) its colou?r|the bowl matching its colou?r"
                     r"|its (?:matching|same colou?r(?:ed)?|own colou?r(?:ed)?) bowl"
                     r"|their (?:matching|same colou?r(?:ed)?|own colou?r(?:ed)?|own) bowls", where)
    if m:
        info = scene.by_name.get(subject)
        bowl = f"{info.color} bowl" if info else None
        return f"in({subject}, {bowl})" if bowl and scene.has(bowl) else None
    by_side = side_bowl(where)
    if by_side and preposition == "in":  # a bowl by side: "the left bowl", "the bowl on the right"
        return f"in({subject}, {by_side})"
    # "… on the block farthest from it": with no clause before, "it" is the block being moved (tuning pt1107)
    moved = subject if re.fullmatch(r"[a-z]+ block", subject) else None  # not a variable or a selector
    target = object_ref(where, scene, last=last) or block_ref(where, scene, last=last or moved)
    if target is None or target == subject:
        return None
    if target.endswith("bowl"):
        return f"in({subject}, {target})"
    return None if preposition == "in" else f"on({subject}, {target})"  # nothing goes 'in' a block


# ------------------------------------------------------------------------------------ clauses
def clause(text: str, scene: PhraseScene, last: str | None) -> tuple[str, str] | None:
    """(relation, moved object) of 'VERB REF TARGET' / 'REF TARGET' / 'pick up REF and put it TARGET'."""
    m = re.fullmatch(rf"(?:pick up|take|grab|lift|get) (.+?) and (?:{VERB}) it (.+)", text)
    if m:
        return ref_and_target(m.group(1), m.group(2), scene, last)
    m = re.fullmatch(r"(.+?) (?:should go|must go|goes|should end up|must end up|ends up|should be|must be|"
                     r"should sit|should stand|(?:needs|has|ought) to (?:go|be|end up|sit)|belongs) (.+)", text)
    if m and re.match(r"(?:in|on|at|to|next|beside|near|close|by|above|below|left|right|\S+ (?:cm|mm|m)\b"
                      r"|(?:way|far|well|a lot|a long way|a little|a bit|slightly) )",
                      m.group(2)):
        got = ref_and_target(m.group(1), m.group(2), scene, last)
        if got:  # else "move X so Y ends up left of it": the verb's form below reads it
            return got
    m = re.fullmatch(rf"(?:{VERB} )?(.+)", text)
    if not m:
        return None
    body = m.group(1)
    # try every split of 'REF TARGET' at a word boundary; the referent must read completely
    words = body.split(" ")
    for i in range(1, len(words)):
        got = ref_and_target(" ".join(words[:i]), " ".join(words[i:]), scene, last)
        if got:
            return got
    return None


def ref_and_target(ref_text: str, target_text: str, scene: PhraseScene, last: str | None) -> tuple[str, str] | None:
    ref_text = re.sub(r" (?:so that it sits|so it sits|so it is|so that it is|so it's|so that it's)$", "", ref_text)
    subject = block_ref(ref_text, scene, last)
    if subject is None:
        return None
    target_text = re.sub(r"^(?:so that it sits|so it sits|so that it is|so it is|so it's|so that it's|so it ends up"
                         r"|and put it"
                         r"|and place it) ",
                         "", target_text)
    # "put the block closest to the yellow bowl into it": with nothing before, "it" is the selector's anchor
    anchored = re.fullmatch(r"(?:nearest|farthest)\(blocks, (.+)\)|side_of\(blocks, [a-z]+, (.+)\)", subject)
    if last is None and anchored:
        last = anchored.group(1) or anchored.group(2)
    rel = target(target_text, subject, scene, last)
    one = re.fullmatch(rf"(?:the )?({COLOR}) one", ref_text)
    if rel and one and scene.has(f"{one.group(1)} bowl") and not re.match(r"(?:in|on|stack)\(", rel):
        return None  # "put the green one beside the blue bowl": the green bowl may move too (s21 pt1706)
    return (rel, subject) if rel else None

