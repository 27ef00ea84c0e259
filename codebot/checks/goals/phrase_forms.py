"""Surface rewrites the phrase parser applies before reading: one everyday way of saying a thing mapped
onto the wording the parser reads. Politeness and desire frames ("hey robot, would you mind putting…",
"I'd like the blue block on…", "make sure the red block is in…"), verb synonyms (pop, toss, rest…),
fronted targets ("in the yellow bowl, put the blue block"), place words (upper → top, left edge → left
side, right-hand side → right side), directions beside an object ("on the right side of the purple bowl"
→ "right of the purple bowl"), ordinals ("the last block on the right" → "the rightmost block") and
selector word orders ("the closest block to X" → "the block closest to X").

Every rewrite keeps the meaning and adds no object, colour or place the text does not name; anything it
does not recognise passes through unchanged, and the parser still has to read the result completely.
"""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_everyday import HUES, REF, VERB_FRONT, everyday, shorthand, technical

_GERUNDS = {"putting": "put", "placing": "place", "moving": "move", "dropping": "drop", "setting": "set",
            "stacking": "stack", "sliding": "slide", "bringing": "bring", "pushing": "push", "taking": "take",
            "getting": "get", "carrying": "carry", "shifting": "shift", "popping": "pop", "sticking": "stick",
            "tucking": "tuck", "throwing": "throw", "chucking": "chuck", "tossing": "toss"}
_POLITE = (r"^(?:(?:hey|hi|ok|okay|alright|yo)(?: robot| there)?(?:[,:]| -)? |robot[,:] |please,? |pls,? |plz,? |"
           r"kindly |could you |can you |immediately |is there (?:a |any )?way (?:you could |you can |to )|"
           r"would you(?: mind| please| kindly)? |will you |i(?:'d| would) like you to |i want you to |"
           r"i need you to |i(?:'d| would) (?:really )?appreciate (?:it )?if you(?: could)? |now,? |then,? |next, |"
           r"(?:so|well|alright|um|uh|ok so|okay so),? |right, |go ahead and |go and |go |just |let's |let us |"
           r"(?:it's )?time to |"
           r"try to |try and |first,? |you |(?:do you )?mind |do me a favou?r and |if you (?:could|can|would),? |"
           r"if it's not too much trouble,? |when you (?:get|have) a (?:chance|moment|minute),? |"
           r"(?:by|in|at) the end,? |in the end,? |eventually,? |ultimately,? |when you're done,? |"
           r"(?:the )?end result(?: should be| is)?[:,]? |ideally,? |you(?:'re| are) going to |you will |we need to |"
           r"actually,? )+")
_POLITE_END = (r"(?:,? (?:please|thanks|thank you|thanks a lot|cheers|ta|much appreciated|for me|if you can|"
               r"if you could|if you would|if you don't mind|when you (?:get|have) a (?:chance|moment|minute)|pls|plz|"
               r"when you(?:'re| are) done|when (?:you're |you are )?finished|"
               r"whenever you can|when you can|ok|okay|alright|thx|ty|right now|now|asap|immediately|right away|"
               r"tho|though|"
               r"if (?:that's|that is) (?:ok|okay|alright|all right|fine)|if that works|if possible|would ya|will ya|"
               r"would you|will you))+$")
# (a manner the spec language cannot check, "gently", "slowly", keeps an instruction unread: no rule removes it)
# Verbs that mean 'put' for a block; the parser's own verb list stays the reference (phrase_refs.VERB).
_PUT_SYNONYMS = (r"(?:pop|toss|rest|lay|tuck|stick|deposit|relocate|lower|chuck|plop|shove|drag|haul|scoot|send|"
                 r"nudge|plonk|sit|station|park|stash|stand|throw|balance|perch)")
# Verbs that mean 'pick up' before "… and put it …".
_PICK_SYNONYMS = r"(?:find|locate|fetch|pick out|pick|lift up|grab hold of|take hold of|get hold of)"


def _polite(t: str) -> str:
    # "at the end the orange block is right of …": a state said of the end is where it should be (tuning pt1203)
    t = re.sub(r"^(?:(?:at|by|in) the end|when you(?:'re| are) (?:done|finished)|when it's (?:done|finished)),? "
               r"(the [a-z]+ (?:block|bowl)) (?:is|sits|rests|lies|stands)\b(?! not\b)", r"\1 should be", t)
    t = re.sub(_POLITE, "", t)
    t = re.sub(_POLITE_END, "", t)
    t = re.sub(r"^(" + "|".join(_GERUNDS) + r")\b", lambda m: _GERUNDS[m.group(1)], t)
    # "I need the red block moved to …" / "have the blue block sit on …" -> "put the red block to / on …"
    t = re.sub(r"^(?:i want|i need|i would like|i'd like|i(?:'d| would) love(?: for)?|let's have|let us have|have|get) "
               r"(the [a-z ]+?) (?:moved|put|placed|set|taken|brought|dropped|stacked|sitting|sit|sat|resting|rest|go|"
               r"to go|to be|to sit|to end up) "
               r"(?=(?:in|on|at|to|next|beside|near|by|above|below|left|right)\b)", r"put \1 ", t)
    # "(I think) it'd be nice if the blue block were sitting in …" -> "put the blue block in …"
    t = re.sub(r"^(?:i think |i guess )?(?:it'd|it would|it'll|it will) be (?:nice|great|good|lovely|ideal) if "
               r"(the [a-z ]+?) (?:were|was|is|could be|would be)(?: sitting| resting| placed)? "
               r"(?=(?:in|on|at|next|beside|near|above|below|left|right)\b)", r"put \1 ", t)
    # "I want / I'd like / let's have the red block in the bowl": the object and where it should be
    t = re.sub(r"^(?:i want|i need|i would like|i'd like|let's have|let us have) (?=the )", "", t)
    # "what I want is the green block in …"
    t = re.sub(r"^(?:what i (?:want|need|would like|'d like) is|all i (?:want|need) is) (?=the )", "", t)
    # "can / could the red block go in …?" -> "the red block should go in …"
    t = re.sub(r"^(?:can|could|would|will) (the [a-z ]+?) (?:both |all )?(?:go|be put|end up|sit)(?: somewhere)? "
               r"(?=(?:in|on|at|to|next to|near|beside|left of|right of|above|below)\b)", r"\1 should go ", t)
    # "the blue block, put it on …" -> "put the blue block on …"
    t = re.sub(rf"^(the [a-z ]+?), ({VERB_FRONT}) it ", r"\2 \1 ", t)
    # "see the green block? put it in …" / "the green block? put it in …" -> "pick up the green block and put it in …"
    t = re.sub(r"^(the [a-z]+ (?:block|one))\?,? (?=[a-z]+ it\b)", r"pick up \1 and ", t)
    # "the blue block: lift it and set it in …" -> "pick up the blue block and set it in …"
    t = re.sub(r"^(the [a-z]+ (?:block|one))[:,] (?:pick it up|pick up it|lift it|grab it|take it)(?: up)?,? "
               r"(?:and then |and |then )", r"pick up \1 and ", t)
    # "the purple bowl: put the green block in it" -> "put the green block in the purple bowl"
    t = re.sub(rf"^(the [a-z]+ (?:bowl|block))[:,] ({VERB_FRONT}) (the [a-z]+ (?:block|one)) (in|on) it$",
               r"\2 \3 \4 \1", t)
    # "the red block, in the yellow bowl": a referent and where it goes
    t = re.sub(r"^(the [a-z]+ (?:block|one))[:,] (?=(?:in|on|at|to) the )", r"\1 ", t)
    # "there's a green block on the table, put it on …" -> the same
    t = re.sub(r"^there(?:'s| is) (?:a|an|the) ([a-z]+ (?:block|one))(?: (?:on|at) the table| here| somewhere)?"
               r"(?:,? and then|,? then|,? and|,) (?=[a-z]+ it\b)", r"pick up the \1 and ", t)
    # "the red and yellow blocks: put both of them in …" -> "put the red and yellow blocks in …"
    t = re.sub(rf"^(the [a-z, ]+ blocks)[:,] ({VERB_FRONT}) (?:both of them|them both|all of them|them all|both|"
               r"them) ", r"\2 \1 ", t)
    # "keep the red block near the green bowl": where it should be (and stay)
    t = re.sub(rf"^keep ({REF}) (?=(?:near|next to|beside|close to|by|in|on|at)\b)", r"put \1 ", t)
    t = re.sub(r"^(?:see|do you see|you see|notice|what's|where's) (the [a-z ]+?)\?,? ([a-z]+) (?:it|that one)\b",
               r"pick up \1 and \2 it", t)
    # "make sure / ensure (that) the red block is / ends up in …" -> "the red block should be in …"
    m = re.fullmatch(r"(?:make sure|ensure|see to it) (?:that )?(?!there )(.+?) (?:is|are|ends up|end up|sits|sit|"
                     r"lies|rests?)(?: (?:deposited|placed|put|positioned|moved|located))? (.+)", t)
    if m and not re.search(r"\b(?:not|n't|never|no longer)\b", t):
        t = f"{m.group(1)} should be {m.group(2)}"
    return t


def _places(t: str) -> str:
    t = re.sub(r"\bthe (?:very|exact) middle\b", "the middle", t)
    t = re.sub(r"\b(left|right)-hand\b", r"\1", t)
    t = re.sub(r"\bupper (left|right)\b", r"top \1", t)
    t = re.sub(r"\blower (left|right)\b", r"bottom \1", t)
    t = re.sub(r"\bthe corner (?:at|in|on) the (top|bottom) (left|right)\b", r"the \1 \2", t)  # tuning pt1120
    t = re.sub(r"\b(top|bottom) (left|right)\b(?! corner| side| of)", r"\1 \2 corner", t)  # "at the top left"
    t = re.sub(r"\b(left|right|top|bottom) edge\b", r"\1 side", t)
    t = re.sub(r"\b(?:top|upper|far) edge\b", "top side", t)
    t = re.sub(r"\balong the (left|right|top|bottom) side\b", r"at the \1 side", t)
    # "to the yellow bowl's left (side)" -> "left of the yellow bowl"
    t = re.sub(r"\b(?:to|on|at) the ([a-z]+ (?:block|bowl|one))'s (left|right)(?: side| hand side)?\b",
               r"\2 of the \1", t)
    # "put the green block on the right": the table's right side (not "to the left", a move relative to itself)
    t = re.sub(r"(?<!bowl) on the (left|right)$", r" on the \1 side", t)
    # "put the orange block at the bottom (of the table)": a side of the table (tuning pt1157); "with the blue block
    # at the bottom" is a tower's base
    t = re.sub(rf"^({VERB_FRONT} the [a-z]+ block) at the (left|right|top|bottom)$", r"\1 at the \2 side", t)
    # "on/to the right side of the purple bowl": beside an object, not the table's right side
    t = re.sub(r"\b(?:on |to )?the (left|right|top|bottom) side of (?=(?:the )?[a-z]+ (?:block|bowl|one)\b)",
               r"\1 of ", t)
    return t


def selector_forms(t: str) -> str:
    """Selector word orders the readers take: "the closest block to X" -> "the block closest to X", "the block on
    the far left" -> "the leftmost block"."""
    t = re.sub(r"\bthe (?:last|final|end) (?:block|one) on the (?:far )?(left|right)(?:[- ]hand)?(?: side)?\b(?! of)",
               r"the \1most block", t)
    t = re.sub(r"\bthe (?:block|one) (?:on|at) the far (left|right)\b(?! of)", r"the \1most block", t)
    t = re.sub(r"\bthe far (left|right) (?:block|one)\b", r"the \1most block", t)
    t = re.sub(r"\b(?:the|whichever) (?:block|one) (?:that is |that's |which is |is )?(?:farthest|furthest|most) "
               r"(?:to the |on the )?"
               r"(left|right)\b(?! of)",
               r"the \1most block", t)
    t = re.sub(r"\b(?:most distant|the farthest away|farthest away|furthest away) from\b", "farthest from", t)
    t = re.sub(r"\bthe (closest|nearest) block (to|from)\b", r"the block \1 to", t)
    t = re.sub(r"\bthe (farthest|furthest) block from\b", r"the block \1 from", t)
    t = re.sub(r"\b(whichever block|the block|the one) (?:is|sits|lies|is sitting|is lying) (nearest|closest|farthest|"
               r"furthest)\b", r"\1 \2", t)
    # "the block farthest to the yellow bowl" (cap-tabletop template 7) -> "farthest from"; not a direction
    t = re.sub(r"\b(farthest|furthest) to (?=the )(?!the (?:left|right|top|bottom)\b)", r"\1 from ", t)
    return t


def _word_order(t: str) -> str:
    # "in the yellow bowl, put the blue block" -> "put the blue block in the yellow bowl"
    m = re.fullmatch(rf"((?:in|on|at|to) the [a-z ]+?),? (?:please )?({VERB_FRONT}) ({REF})", t)
    if m:
        return f"{m.group(2)} {m.group(3)} {m.group(1)}"
    # "left of the yellow bowl is where the green block goes" / "the left side is where … should end up"
    m = re.fullmatch(rf"(.+?) is where ({REF}) (?:goes|should go|belongs|should be|should end up|ends up|"
                     r"(?:needs|has|ought) to (?:go|be|end up)|must go|will go|should sit)", t)
    if m:
        where = m.group(1)
        if where.startswith("the "):  # no preposition said: the one the noun takes
            where = ("in " if where.endswith("bowl") else "on " if re.search(r"(?:block|one)$", where)
                     else "at ") + where
        return f"put {m.group(2)} {where}"
    # "the green bowl should have / hold the pink block in it" -> "put the pink block in the green bowl"
    m = re.fullmatch(rf"(the [a-z]+ (bowl|block)|the (bowl) (?:nearest|closest|farthest|furthest) [a-z ]+?) "
                     rf"(?:(?:should|must|needs to|has to|ought to) (?:have|hold|contain|end up with|get|be containing|"
                     rf"be holding)|needs|wants|gets|contains|holds) ({REF})(?: (in|on)(?: it| top of it| top)?)?", t)
    holder, kind, held, prep = (m.group(1), m.group(2) or m.group(3), m.group(4), m.group(5)) if m else ("",) * 4
    if m and ((prep or "in") == "in" and kind == "bowl" or prep == "on" and kind == "block"):
        return f"put {held} {prep or 'in'} {holder}"
    # "the yellow bowl should have the green block on its right" -> "put the green block right of the yellow bowl"
    m = re.fullmatch(rf"(the [a-z]+ (?:block|bowl)) (?:should|must|needs to|has to|ought to) have ({REF}) "
                     r"(?:on|to|at) its (left|right)(?: side)?", t)
    if m:
        return f"put {m.group(2)} {m.group(3)} of {m.group(1)}"
    # "on the brown block goes the gray block" / "to the top left corner with the red block"
    m = re.fullmatch(rf"((?:in|on|at|to) the [a-z ]+?),? (?:goes|go|belongs|should go|will go|with) ({REF})", t)
    if m:
        return f"put {m.group(2)} {m.group(1)}"
    return t


def rewrite(t: str) -> str:
    """The parser's wording of `t` (already lower case and cleaned)."""
    # "grab the red block. now put it in …" / "…; now drop it …": one instruction in two sentences
    t = shorthand(_steps(t))
    t = re.sub(r"\bu\b", "you", t)  # "can u put …"
    t = re.sub(r"\b(that|what|where)s\b", r"\1's", t)  # "the block thats furthest …", "whats the leftmost …"
    t = re.sub(r"[.;] (?:now |then |and |after that,? |afterwards,? |subsequently,? |next,? |finally,? )?",
               " and then ", t)
    t = technical(_polite(t))
    t = everyday(t)
    t = re.sub(r"\bcontainers?\b", lambda m: "bowls" if m.group(0).endswith("s") else "bowl", t)
    t = re.sub(rf"^{_PUT_SYNONYMS} ", "put ", t)
    # "gather up all of the blocks in the bottom left corner" (tuning pt1870): every block to that place
    t = re.sub(r"^(?:gather|collect|round up|herd)(?: up)? (?=(?:all|every|each|the) .*\b(?:in|at|to|into) the )",
               "put ", t)
    t = re.sub(rf"\b(and|then|,) {_PUT_SYNONYMS} it\b", r"\1 put it", t)
    t = re.sub(r"\balongside\b", "beside", t)
    t = re.sub(r"^pile (the [a-z]+ (?:block|one)) on ", r"put \1 on ", t)  # "pile the red block onto the blue block"
    t = re.sub(r"\bsomewhere (near|close to|beside|next to|by)\b", r"\1", t)
    t = re.sub(r",? (?:and )?whatever (?:you do|happens),? (?=(?:don't|do not|never|leave|keep)\b)", ", and ", t)
    # "find the green block and drop it …"
    t = re.sub(r"^pick (the [a-z ]+?) up\b", r"pick up \1", t)
    t = re.sub(rf"^{_PICK_SYNONYMS} (?:up )?", "pick up ", t)
    t = re.sub(r"^(pick up|take|grab|lift|get) (.+?)(?:,? (?:and then|then)|,) (?=[a-z]+ it\b)", r"\1 \2 and ", t)
    # "get hold of the green block; it belongs in the gray bowl" -> "put the green block in the gray bowl"
    t = re.sub(rf"^(?:pick up|take|grab|lift|get) ({REF})(?:,? and (?:then )?|,? then |, )it "
               r"(?:belongs|goes|should go|needs to go|has to go|must go) (?=(?:in|on|at|to|next to|beside|near) )",
               r"put \1 ", t)
    # "take all the blocks and put them in …" -> "put all the blocks in …"
    t = re.sub(rf"^(?:pick up|take|grab|gather|collect|get) (all (?:of )?the blocks|the blocks),? "
               rf"(?:and then|then|and) {VERB_FRONT} them ", r"put \1 ", t)
    # "move only the red block, into the purple bowl": 'only' is what unchanged(others) already says
    t = re.sub(rf"^({VERB_FRONT}) (?:only|just) ({REF}),? (?=(?:in|on|at|to) )", r"\1 \2 ", t)
    # "only move the blue block, put it in …" -> "move the blue block in …"
    t = re.sub(rf"^(?:only|just) ({VERB_FRONT}) ({REF}),? (?:and )?{VERB_FRONT} it ", r"\1 \2 ", t)
    # "put all the blocks in one stack" -> "stack all the blocks"
    t = re.sub(r"^(?:put|place|arrange|gather) (all (?:of )?the blocks|all blocks) (?:in|into) (?:a|one) (?:single )?"
               r"(?:stack|pile|heap)\b", "stack all the blocks", t)
    t = _terse(t)
    t = _places(t)
    t = selector_forms(t)
    return _word_order(t)


def _steps(t: str) -> str:
    """Numbered steps ("1) … 2) …", "step 1: … step 2: …") as clauses joined by 'and then'."""
    if not re.match(r"(?:1[.)]|step (?:1|one)[:.,]?) ", t):
        return t
    t = re.sub(r"^(?:1[.)]|step (?:1|one)[:.,]?) ", "", t)
    return re.sub(r"[.,;]? (?:and then )?(?:[2-9][.)]|step (?:[2-9]|two|three|four)[:.,]?) ", " and then ", t)


_PLACE = r"(?:(?:top|bottom) (?:left|right) corner|(?:top|bottom|left|right) side|middle)"
_OPPOSITE = {"top": "bottom", "bottom": "top", "left": "right", "right": "left"}


def _terse(t: str) -> str:
    """Note-style commands: "green block: top left corner", "orange block, middle", "red: blue bowl"."""
    t = re.sub(rf"\b(?:the )?({_PLACE}) gets (?:the )?([a-z]+ block)\b", r"put the \2 at the \1", t)
    m = re.fullmatch(rf"(?:the )?([a-z]+(?: block)?)[:,] (?:the )?({_PLACE}|[a-z]+ bowl)", t) or \
        re.fullmatch(rf"(?:the )?({HUES} block) (?:the )?({_PLACE}|{HUES} bowl)", t)
    if m:
        subject = m.group(1) if m.group(1).endswith(" block") else f"{m.group(1)} block"
        return f"put the {subject} {'in' if m.group(2).endswith('bowl') else 'at'} the {m.group(2)}"
    m = re.fullmatch(r"(?:the )?((?:top|bottom|left|right) (?:edge|side)|(?:top|bottom) (?:left|right) corner|"
                     r"middle)(?: for|:|,) (?:the )?([a-z]+ block)", t)
    if m:
        return f"put the {m.group(2)} at the {m.group(1).replace('edge', 'side')}"
    t = re.sub(r"^(stack|pile|heap)(?: up)? blocks$", r"stack the blocks", t)
    # "heap all the blocks in a single pile" / "stack all of the blocks in one stack" -> "stack all the blocks"
    t = re.sub(r"^(?:stack|pile|heap)(?: up)? ((?:all (?:of )?)?the blocks)(?: up)? (?:in|into) (?:a|one) "
               r"(?:single )?(?:stack|pile|heap)$", r"stack \1", t)
    # lines: "make a column out of all the blocks", "… going up and down the table", "from the top to the bottom"
    t = re.sub(r"^(?:make|form|build|arrange) (?:a|one) (column|row) (?:out )?(?:of|with|from|using) "
               r"((?:all (?:of )?)?the blocks)$",
               lambda m: f"line up {m.group(2)} {'vertically' if m.group(1) == 'column' else 'horizontally'}", t)
    t = re.sub(r"\b(?:going |running )?up and down(?: the table)?$", "vertically", t)
    t = re.sub(r"\b(?:going |running )?(?:from )?side to side(?: across the table)?$", "horizontally", t)
    t = re.sub(r"\bfrom the (top|bottom|left|right)(?: side)? to the (top|bottom|left|right)(?: side)?$",
               lambda m: f"from {m.group(1)} to {m.group(2)}" if _OPPOSITE[m.group(1)] == m.group(2) else m.group(0), t)
    return t
