"""The phrase parser's last try (issue 28): a one-move command wrapped in words it has no rule for. People
dress "put the red block in the blue bowl" in courtesy ("sorry to bother you, but …"), comments ("…, it keeps
getting in my way"), fronted places ("below the orange block, that's where the red block goes") and verbs of
their own ("plonk", "nestle"). Here the sentence is taken apart into its object mentions and the place word
right before one of them; when what is left is only filler (courtesy, verbs of moving, auxiliaries: a closed
list), it is restated as the parser's own "put X in Y", one clause per move, and read by the parser. The one moved
may be a named block, two named blocks, every block, a block chosen by where it is ("whichever block sits nearest
the pink bowl") or a number of blocks ("three or more blocks"); a block kept where it is ("hands off the green
block") is said as the parser's "leave the X where it is".

Anything else is left unread: a word outside the list (a negation, a number, a manner, "except", "all"), a
mention without its place word, a place word without a mention after it, or two objects in one clause that
could each be the one moved. The list is closed on purpose: an unknown word may carry meaning."""
from __future__ import annotations

import re
from dataclasses import dataclass

from codebot.checks.goals.phrase_refs import A_LITTLE, A_LOT, COLOR, MEASURE, PLACE, PhraseScene

# Courtesy and comments: said to the person, not about the scene. Removed whole, before anything is read.
_COURTESY = [
    r"\bi was wondering if(?: you (?:could|can|would|might))?\b", r"\bwould it be possible (?:for you )?to\b",
    r"\bif (?:it'?s|it is) not too much (?:trouble|bother)\b",
    r"\bif (?:that'?s|that is|it'?s|it is) (?:alright|all right|ok|okay|fine|convenient|possible)\b",
    r"\b(?:it'?d|it would) be (?:really |so |very )?(?:nice|great|good|lovely|ideal|helpful) if\b",  # a wish
    r"\bif you(?:'re| are) able(?: to)?\b",
    r"\bif you (?:can|could|would|don'?t mind|do not mind|get (?:a|the) chance)\b",
    r"\bif possible\b", r"\bif you please\b", r"\bwhen you(?:'re| are) (?:done|finished|ready|free)\b",
    r"\bwhen you (?:get|have) a (?:sec|second|moment|minute|chance)\b", r"\bno rush\b",
    r"\b(?:many )?thank(?:s| you)(?: (?:so|very) much| a lot| in advance| kindly)?\b", r"\bmuch appreciated\b",
    r"\b(?:many )?cheers\b", r"\bsorry to (?:bother|trouble) you(?:,? but)?\b", r"\bexcuse me\b",
    # an apology for the request itself (fresh batch pt1457): no condition on the goal
    r"\bsorry if (?:it'?s|this is|that'?s|it is) (?:a )?(?:silly|stupid|dumb|daft|odd|weird|strange|basic|obvious) "
    r"(?:request|question|thing to ask)(?:,? but)?\b",
    r"\b(?:hi|hello|hey)(?: there)?\b", r"\bi'?d be (?:ever so |really |very |so )?(?:grateful|thankful)\b",
    r"\bi(?:'d| would) (?:really )?appreciate(?: it)?\b", r"\bcould i (?:possibly |just )?ask you to\b",
    r"\bwould you (?:kindly |please )?mind\b", r"\bit would be (?:lovely|great|nice|good|ideal) if\b",
    r"\bdo me a favou?r and\b", r"\bwould you\b", r"\bcould you (?:sort that out|do that)\b",
    r"\bwhile you'?re at it\b", r"\bthat'?s what i'?m after\b", r"\bthat'?s all\b",
    r"\b(?:would be|is) better off\b", r"\btucked away\b", r"\bby the end\b",
    r"\bwhen (?:it'?s|you'?re) (?:all )?(?:done|finished)\b", r"\b(?:right )?now\b", r"\bat the moment\b",
    r"\b(?:make sure|ensure|see to it)(?: that)?\b",
    r"\b(?:it )?(?:doesn'?t|does not) matter which(?: ones?| blocks?)?\b",
    r"\b(?:any|whichever) (?:ones|blocks) (?:you like|will do)\b",
    # the rest kept where it is: a one-move reading keeps it anyway (unchanged(others))
    r"\bwithout (?:moving|shifting|touching|disturbing) (?:anything|anything else|the rest|the others)\b",
    r"\b(?:and )?(?:(?:the )?rest|everything else|the others|all the others|the other ones|all else)"
    r"(?: (?:could|should|can|must|will|may))?(?: (?:stay|stays|remain|remains|be left|is left|are left))?"
    r"(?: (?:untouched|unchanged|alone|put|as (?:they are|it is)|where (?:they are|it is)))\b",
]
_COMMENTS = [  # a reason tacked on: "…, it looks nicer there", "… so they're out of my way"
    r"\b(?:(?:it|they|that)(?:'s|'re) |is |are |(?:it |they )?keeps? getting |getting )?in (?:my|the) way"
    r"(?: where (?:it|they) (?:is|are))?\b",
    r"(?:,|-)? ?(?:it|that|they) (?:looks?|would look|will look) (?:nicer|better|neater|tidier) (?:there|that way)\b",
    r"\bso (?:that )?(?:they(?:'re| are)|it(?:'s| is)) out of (?:my|the) way\b",
    r"\bso (?:that )?i can (?:see|reach|get to|measure|find) (?:it|them|the gap|things)\b",
    r"\bso (?:that )?(?:it'?s|it is) (?:sitting|resting|lying) (?:in|on) there\b",
    r"\b(?:it'?s|it is) (?:exactly |just )?where i (?:need|want|like) it\b",
]
_SHORT = [(r"\bl of\b", "left of"), (r"\br of\b", "right of"), (r"\bnxt to\b", "next to"),
          (r"\b(top|bottom|left|right) edge\b", r"\1 side"),
          (r"\b(corner|side|middle) of the (?:table|board|workspace|tabletop)\b", r"\1"),
          (r"\b(?:that'?s|that is|is) where(?: (?:i want|i'?d like|i need))?\b", " that's where "),
          (r"\bso (?:that )?(?:it'?s|it is|they'?re|they are) (?=(?:on|in|at|near|next|beside|close|above|below|left"
           r"|right|to)\b)", " ")]  # "move it so that it's to the right of …": where it goes
_PAIR = rf"\b(?:both )?(?:the )?({COLOR})(?: block| one)? (?:and|&) (?:the )?({COLOR}) (?:blocks?|ones)\b"
_GROUP = rf"\b(?:all (?:of )?the blocks|all blocks|every(?: single)? block|each block)\b|{_PAIR}"
_AMOUNT = re.compile(rf"(?:^|\s)({MEASURE}|{A_LITTLE}|{A_LOT}|well(?: off)?|far)\s*$")
# A block chosen by where it is, said again as the parser says it ('the block nearest the red bowl').
_THING = rf"(?:the )?(?:{COLOR} (?:block|bowl)|{PLACE})"
_WHICH = (r"(?:the|whichever|whatever|which(?:ever)?) (?:block|one)"
          r"(?: that'?s| that is| which is| that sits| sitting| sits| is)?")
_SELECTORS = [
    (rf"{_WHICH} (?:nearest|closest)(?: to)? ({_THING})", r"the block nearest \1"),
    (rf"{_WHICH} (?:farthest|furthest)(?: away)? from ({_THING})", r"the block farthest from \1"),
    (rf"{_WHICH} (?:on the )?(?:far|furthest|farthest) (left|right)", r"the \1most block"),
    (r"(?:the )?(left|right)most (?:block|one|of the blocks)", r"the \1most block"),
    (r"(?:the )?(first|second|third|fourth|fifth|last) block (?:from|counting from) the (left|right)",
     r"the \1 block from the \2"),
    (rf"{_WHICH} (?:immediately |just |directly )?(?:to the |on the )?(left|right) of ({_THING})",
     r"the block \1 of \2"),
]
# A number of blocks ('at least three blocks', 'four or more of the blocks'), said again as the parser says it.
_NUMBER = r"(one|two|three|four|five|six|\d|a single|one single)"
_QUANTITY = (r"(?:(exactly|at least|at most|no more than|no fewer than|not more than|fewer than|more than|just) )?"
             rf"{_NUMBER}(?: (or more|or fewer|or less))? (?:of the )?blocks?")


def _quantity(mention: str) -> str | None:
    m = re.fullmatch(_QUANTITY, mention)
    if m is None:
        return None
    bound, number, tail = m.groups()
    if tail and bound:
        return None  # "at least three or more"
    bound = {"or more": "at least", "or fewer": "at most", "or less": "at most"}.get(tail, bound)
    if number in ("a single", "one single"):
        number, bound = "one", bound or "exactly"
    bound = "exactly" if bound == "just" else bound
    return f"{bound + ' ' if bound else ''}{number} {'block' if number in ('one', '1') else 'blocks'}"


_SELECTOR = "|".join(f"(?:{pattern})" for pattern, _ in _SELECTORS)
_MENTION = re.compile(rf"\b(?:{_SELECTOR})\b|\b{_QUANTITY}\b|{_GROUP}"
                      rf"|\b(?:the |a |an )?(?:{COLOR}) (?:block|bowl|one|thing|square)\b|\b(?:the )?{PLACE}\b"
                      r"|\bthat (?:one|block)\b|\bit\b"
                      rf"|\b{COLOR}\b(?! (?:block|bowl|one|thing|square)s?\b)")
# place words -> the parser's own; a longer one first
_CUES = [("on top of", "on"), ("onto", "on"), ("on to", "on"), ("into", "in"), ("in to", "in"), ("inside", "in"),
         ("on", "on"), ("in", "in"), ("next to", "near"), ("beside", "near"), ("close to", "near"),
         ("alongside", "near"), ("near", "near"), ("to the left of", "left of"), ("left of", "left of"),
         ("to the right of", "right of"), ("right of", "right of"), ("above", "above"), ("below", "below"),
         ("over to", "to"), ("to", "to"), ("at", "at")]
_CUE_AT_END = re.compile(r"(?:^|\s)(" + "|".join(re.escape(c) for c, _ in _CUES) + r")\s*$")
# What may be left once mentions and their place word are gone: nothing that could carry meaning.
# No "is" / "are": "the red block is to the right of the green block" says where it is, not where it should go.
FILLER = frozenset("""
it the a an i i'd i'm i'll you you'd me my we us that's this there here then now so ok okay right hmm um uh
well just maybe perhaps possibly really alright oh yeah yes robot please pls plz kindly and
could can would will should must might may need needs has have to be do does get got
put place move set drop slide take bring grab carry shift position transfer relocate deposit chuck toss plonk pop
stick stash load lift lower nestle park sit sits sitting rest resting go goes going end ends ending finish finishes
up down over belongs belong land lands want like think guess where what pick notice see that with
dropped placed moved shifted transferred positioned taken brought carried slid lifted lowered popped stashed parked
""".split())
_OFFSETS = ("left of", "right of", "above", "below")
_PLACE_WORDS = {"in", "on", "into", "onto", "inside", "near", "beside", "above", "below", "left", "right"}
# verbs that fix the place word: "stack" only with "on"
_ONLY_ON = {"stack"}


def without_courtesy(t: str) -> str:
    """`t` (lower case) without the courtesy said to the person ("if it's not too much trouble", "thanks")."""
    for pattern in _COURTESY:
        t = re.sub(pattern, " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _strip(t: str) -> str:
    for pattern in _COURTESY + _COMMENTS:
        t = re.sub(pattern, " ", t)
    for pattern, repl in _SHORT:
        t = re.sub(pattern, repl, t)
    t = re.sub(r"\b(?:to |on )?(the (?:" + COLOR + r") (?:block|bowl))'s (left|right)(?:[- ]hand)?(?: side)?\b",
               r"\2 of \1", t)
    return re.sub(r"\s+", " ", re.sub(r"[!?,;:.\-–—]+", " ", t)).strip()


@dataclass(frozen=True)
class Named:
    """What a mention names, in the parser's words: `words` ('red block', 'top left corner', 'the block nearest the
    red bowl') and its kind: 'block', 'bowl', 'place', 'pair' (two named blocks, `blocks`), 'all' (every block) or
    'chosen' (a selector or a number of blocks, which the parser reads on the scene)."""
    words: str
    kind: str
    blocks: tuple[str, ...] = ()

    @property
    def movable(self) -> bool:
        return self.kind in ("block", "pair", "all", "chosen")

    def moves(self) -> tuple[str, ...]:
        """The named blocks it moves (none for every block or a chosen one)."""
        return self.blocks or ((self.words,) if self.kind == "block" else ())


def _object(mention: str, scene: PhraseScene, last: Named | None) -> Named | None:
    """What a mention names on the scene; 'it' is what was moved last."""
    for pattern, said in _SELECTORS:
        chosen = re.fullmatch(pattern, mention)
        if chosen:
            return Named(chosen.expand(said), "chosen")
    counted = _quantity(mention)
    if counted:
        return Named(counted, "chosen")
    if re.fullmatch(r"(?:all|every|each)\b.*", mention):
        return Named("all the blocks", "all")
    pair = re.fullmatch(_PAIR, mention)
    if pair:
        names = tuple(f"{c} block" for c in pair.groups())
        ok = all(scene.has(n) for n in names) and names[0] != names[1]
        return Named(" and ".join(names), "pair", names) if ok else None
    mention = re.sub(r"^(?:the|a|an) ", "", mention)
    if mention in ("it", "that one", "that block"):
        return last
    m = re.fullmatch(rf"({COLOR})(?: (block|bowl|one|thing|square))?", mention)
    if m is None:
        return Named(mention.replace("centre", "middle").replace("center", "middle"), "place")
    if m.group(2) in ("block", "bowl", "square"):  # a square is a block seen from above
        kind = "bowl" if m.group(2) == "bowl" else "block"
        return Named(f"{m.group(1)} {kind}", kind) if scene.has(f"{m.group(1)} {kind}") else None
    kinds = [k for k in ("block", "bowl") if scene.has(f"{m.group(1)} {k}")]
    return Named(f"{m.group(1)} {kinds[0]}", kinds[0]) if len(kinds) == 1 else None  # a red block and a red bowl?


def _clause(part: str, scene: PhraseScene, last: Named | None) -> tuple[str | None, Named] | None:
    """(the parser's wording of the one move in `part` or None for 'grab the red block', the object moved), or
    None when the part is not one move wrapped in filler."""
    mentions = list(_MENTION.finditer(part))
    if not mentions or len(mentions) > 4:
        return None
    leftover, cued, plain = [], [], []
    pos = 0
    for m in mentions:
        again = re.fullmatch(r"it|that one|that block", m.group(0)) and plain
        if again and not _CUE_AT_END.search(part[:m.start()]):
            continue  # "the red block, it belongs in …": the same block again
        before = part[pos:m.start()]
        cue = _CUE_AT_END.search(before)
        if cue:
            before = before[:cue.start()]
            amount = _AMOUNT.search(before) if dict(_CUES)[cue.group(1)] in _OFFSETS else None
            if amount:  # "15 cm above …", "a tad to the right of …"
                before = before[:amount.start()]
            cued.append((cue.group(1), m.group(0), amount.group(1) + " " if amount else ""))
        elif part[m.end():].startswith(" that's where"):  # "the yellow bowl - that's where I want it"
            cued.append(("to", m.group(0), ""))
        else:
            plain.append(m.group(0))
        leftover += before.split()
        pos = m.end()
    leftover += part[pos:].split()
    if any(w not in FILLER and w not in _ONLY_ON for w in leftover):
        return None
    if set(leftover) & _PLACE_WORDS:
        return None  # a place word with no object after it: "put it in there"
    if len(plain) != 1 or len(cued) > 1:
        return None
    moved = _object(plain[0], scene, last)
    if moved is None or not moved.movable:
        return None
    if not cued:  # "grab the red block": the next clause says where it goes
        return (None, moved) if not (set(leftover) & _ONLY_ON) else None
    cue, ref_text, amount = cued[0]
    if re.fullmatch(r"it|that one|that block", ref_text):
        return None  # "… left of the purple bowl and the green block next to it": which one is "it"?
    ref = _object(ref_text, scene, last)
    if ref is None or ref == moved or ref.kind not in ("block", "bowl", "place"):
        return None
    word = dict(_CUES)[cue]
    if ref.kind == "place":  # only "to/at/in/on the top left corner"
        if word not in ("to", "at", "in", "on"):
            return None
        word = "at"
    elif word in ("to", "at"):
        if ref.kind != "bowl":
            return None  # "to the blue block": on it, or beside it?
        word = "in"
    if set(leftover) & _ONLY_ON and word != "on":
        return None
    if moved.kind == "pair":  # two named blocks: a clause each, as the parser reads three clauses
        if word == "on":
            return None  # two blocks "on" one: a pile, not read
        return " and then ".join(f"put the {one} {amount}{word} the {ref.words}" for one in moved.blocks), moved
    mover = f"the {moved.words}" if moved.kind == "block" else moved.words
    return f"put {mover} {amount}{word} the {ref.words}", moved


def frame_restatement(t: str, scene: PhraseScene) -> str | None:
    """The parser's own wording of `t` (lower case) when it is one or two moves wrapped in filler."""
    t = re.sub(_PAIR, lambda m: m.group(0).replace(" and ", " & "), t)  # "the red and blue blocks": one mover
    for splitter in (r"\b(?:and then|then|and)\b", r"\b(?:and then|then|and)\b|[,;.:!?]|\s[-–—]\s"):
        plain = _moves([_strip(p) for p in re.split(splitter, t)], scene)
        if plain:
            return plain
    return None


_NAMED = rf"(?:the )?({COLOR}) (?:block|one)"
_KEPT = re.compile(rf"(?:(?:leave|keep) {_NAMED}(?: alone| where it is| as it is| in place| untouched| put| there)?"
                   rf"|(?:hands off|don'?t touch|do not touch|don'?t move|do not move|never touch) {_NAMED}"
                   rf"|{_NAMED} (?:stays?|remains?|should stay|must stay|can stay|is to stay)"
                   r"(?: where it is| put| in place| as it is| there)?)")


def _kept(part: str, scene: PhraseScene) -> str | None:
    """'hands off the green block' / 'the orange one stays where it is': the block kept, or None."""
    words = [w for w in part.split() if w not in ("oh", "and", "but", "please", "just", "ok", "okay", "so")]
    m = _KEPT.fullmatch(" ".join(words))
    colour = m and next(g for g in m.groups() if g)
    return f"{colour} block" if colour and scene.has(f"{colour} block") else None


def _moves(parts: list[str], scene: PhraseScene) -> str | None:
    parts = [p for p in parts if p]
    if not parts or len(parts) > 4:
        return None
    said, last, waiting, kept = [], None, None, []
    for part in parts:
        if not _MENTION.search(part) and all(w in FILLER for w in part.split()):
            continue  # "ok so", "right then"
        if (still := _kept(part, scene)) and not waiting:
            kept.append(f"leave the {still} where it is")  # the parser keeps it, and refuses a move of it
            continue
        got = _clause(part, scene, last)
        if got is None:
            return None
        if waiting and not re.search(r"\b(?:it|that one|that block)\b", part):
            return None  # "the red block and the blue block in the bowl": the red block is not "grabbed" first
        waiting = got[1] if got[0] is None else None
        if got[0]:
            if any(f"put the {name} " in move for move in said for name in got[1].moves()):
                return None  # a block moved twice: "… on the blue block, then … the red block in the corner"
            said.append(got[0])
        last = got[1]
    if waiting or not said or sum(move.count(" and then ") + 1 for move in said) > 3 or len(kept) > 1:
        return None
    return " and ".join([" and then ".join(said)] + kept)
