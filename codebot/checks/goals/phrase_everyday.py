"""Everyday wordings the phrase parser's rewrite (codebot/checks/goals/phrase_forms.py) maps onto the ones it reads,
step by step: spoken fillers and shorthand, spoken corrections of a destination, distances and comparisons, bare
goal states ("green block needs to end up …"), fronted and relative referents, and sets (pairs, "the rest",
exceptions, counts, stacks, alternatives, matching colours, lines). Each step keeps the meaning and adds no object,
colour or place the text does not name."""
from __future__ import annotations

import re

from codebot.primitives.colors import COLORS

# The first verb of "VERB REF and/then VERB it TARGET".
VERB_FRONT = (r"(?:put|place|move|set|drop|slide|bring|get|carry|shift|push|position|transfer|stack|"
              r"pop|toss|rest|lay)")
REF = r"the (?:[a-z]+ )?(?:block|one)"
HUES = f"(?:{'|'.join(COLORS)})"
_TENS = {"ten": 10, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30, "forty": 40, "fifty": 50}
_BARE = rf"(?:the )?({HUES} block)"  # a block named by its colour, with or without 'the'
_TO = r"(?:in|on|at|to|next to|beside|near|by|above|below|left of|right of|\d+ (?:cm|mm|centimet\w*|millimet\w*))"


def everyday(t: str) -> str:
    """Wordings of goal states, comparisons, fronted referents and sets that map onto ones the parser reads."""
    for step in (_spoken, _corrected, _measures, _goal_states, _referents, _sets):
        t = step(t)
    return t


_TWO_CORNERS = {"top": ("top left", "top right"), "bottom": ("bottom left", "bottom right"),
                "left": ("top left", "bottom left"), "right": ("top right", "bottom right")}


def _spoken(t: str) -> str:
    """Dashes, fillers and doubled words of quick or spoken commands."""
    t = re.sub(r" - ", ", ", t)
    t = re.sub(r" side by side\b", "", t)
    t = re.sub(r"\b(?:uh|um|erm|er)\b,? ?", "", t)
    t = re.sub(r"\bthe the\b", "the", t)
    # "get a block into the brown bowl. any block, your pick" (tuning pt1829): a choice left to the robot
    t = re.sub(r"(?:,? and then|,) any (block|one|bowl),? (?:your pick|your choice|you pick|you choose)$",
               r", any \1 will do", t)
    t = re.sub(r"\beach and (?:every|all the) (block|one)s?\b", r"every \1", t)  # "each and every block" (pt1852)
    # "the purple block goes in a bowl that isn't purple" (tuning pt1972): a bowl of the robot's choosing
    t = re.sub(r"^(the [a-z]+ block) (?:goes|should go|must go|needs to go|has to go) "
               r"(?=in(?:to)? (?:a|any|one of the) bowls?\b)", r"put \1 ", t)
    t = re.sub(rf"^sort (?=(?:all|every|each|the) .+ in(?:to)? the {HUES} bowl$)", "put ", t)  # into one bowl (pt1848)
    t = re.sub(r"\b(?:smack|smack dab|slap bang|bang|dead|square|squarely|(?<!the )right) (?=in the (?:middle|cent))",
               "", t)  # "right" but "the third block from the right in the middle …"
    # "(you) see that green cube? stack that one on the purple block" (tuning pt1841)
    t = re.sub(rf"^(?:(?:do )?you )?see (?:that|the) ({HUES} (?:block|bowl))\?,? ([a-z]+) (?:that one|it|that) ",
               r"\2 the \1 ", t)
    # "get green sitting on the yellow block" (pt1869): where it should end up
    t = re.sub(rf"^(?:get|have) (?:the )?({HUES})(?: block)? (?:sitting|resting|standing|lying) "
               r"(?=(?:on|in|at|next to|near|beside) )", r"put the \1 block ", t)
    # "drop the purple cube into whichever bowl is the same colour as it" (tuning pt1876)
    t = re.sub(r"\bwhichever bowl (?:is|has) the same colou?r as (?:it|that one)\b", "the bowl of the same colour", t)
    # "spread the blocks out so each one sits in a corner of its own" (tuning pt1831)
    t = re.sub(r"^spread (?:out )?(the blocks|all the blocks)(?: out)?,? so (?:that )?(?:(?:each|every) (?:one|block)|"
               r"all the blocks) (?:sits |is |ends up |goes )?in a (corner|side) of (?:its|their) own$",
               r"put \1 in different \2s", t)
    # "the pink and cyan blocks should each go to a side of the table, not the same side" (tuning pt1956)
    t = re.sub(r"^(the [a-z ,]+ blocks|both blocks) (?:should |must |need to |can )?each (?:go|end up|be|sit) "
               r"(?:to|on|at|in) (?:a|their own) (side|corner)(?: of the table)?,? (?:but )?"
               r"(?:not the same (?:side|corner)|(?:a )?different ones?)$", r"put \1 in different \2s", t)
    # "the pink block can go to either of the two top corners" (tuning pt1516): one of the two
    t = re.sub(r"\b(?:(?:either|one) of the two (top|bottom|left|right) corners"
               r"|either (top|bottom|left|right) corner)\b",
               lambda m: "the {} corner or the {} corner".format(*_TWO_CORNERS[m.group(1) or m.group(2)]), t)
    # "a little tower", "a slanted line (kind of like a staircase)" (pt1834, pt1835)
    t = re.sub(r"\b(a|one) (?:little|small|tiny|neat|nice|short|low) (stack|pile|line|row)\b", r"\1 \2", t)
    t = re.sub(r"\b(stack|pile) out of\b", r"\1 of", t)
    t = re.sub(r"\b(?:a )?(?:slanted|slanting|sloping|sloped) (line|row)\b(?:,? (?:kind of |sort of )?like a "
               r"(?:staircase|ramp|slope))?", r"a diagonal \1", t)
    t = re.sub(r"\bin a a diagonal\b", "in a diagonal", t)
    t = re.sub(r" of table\b", "", t)
    t = re.sub(r"\b(?:down below|down under)\b", "below", t)
    t = re.sub(r"\bup above\b", "above", t)
    t = re.sub(rf"^(?:i want|i'd like|i would like) (?=(?:{'|'.join(COLORS)}) (?:on|in|onto|into) )", "put ", t)
    t = re.sub(r"^(build|make) me (?=a )", r"\1 ", t)
    t = re.sub(r" n (?=(?:leave|put|then|the)\b)", " and ", t)  # "… in the cyan bowl n leave the rest alone"
    t = re.sub(r"\? (?:oh,? |and )*(?:and )?(?=(?:the|put)\b)", " and ", t)  # "…? oh and the red block in there too"
    # "i'd like to see X sitting on Y", "i'd like to end up with X in Y and Z in W": the end state
    t = re.sub(r"^(?:i'd like|i would like|i want|i need) to (?:see|end up with|have) (?=the )", "", t)
    t = re.sub(r"^(the [a-z]+ block) (?:sitting|resting|lying|standing) (?=(?:in|on|at|next to|near|beside) )",
               r"put \1 ", t)
    t = re.sub(r"^(?:i'd like|i would like|i want|i need) (?=(?:a|one) stack )", "make ", t)
    t = re.sub(r"^(?:i'd like|i would like|i want|i need) (all (?:of )?the blocks) (?:stacked|piled) (?=(?:in|on|at) )",
               r"stack \1 ", t)
    return t


def _corrected(t: str) -> str:
    """A spoken correction of the last destination: "put the red block in the green bowl, no wait, the blue
    bowl" -> "put the red block in the blue bowl" (a bowl for a bowl, a corner for a corner)."""
    m = re.fullmatch(r"(.+ (?:in|on|at|to) )(the [a-z ]+?(bowl|block|corner|side))(?:,? and then|,|\.+)? "
                     r"(?:actually|no wait|wait|sorry|oops|i mean|i meant|no)[,.]*(?: no,?| wait,?)? "
                     r"(?:make that |i mean |i meant |actually )?(the [a-z ]+?(bowl|block|corner|side))", t)
    if m and m.group(3) == m.group(5) and " and " not in m.group(1) and "," not in m.group(1):
        return m.group(1) + m.group(4)
    return t


def _measures(t: str) -> str:
    """Distances ("15cm", "twenty centimetres") and comparisons ("higher up the table than", "further right than")."""
    t = re.sub(r"\b(\d+)(cm|mm)\b", r"\1 \2", t)
    t = re.sub(r"\b(cm|mm|centimet\w*|millimet\w*|inch(?:es)?) (up|down) from\b",
               lambda m: f"{m.group(1)} {'above' if m.group(2) == 'up' else 'below'}", t)
    t = re.sub(r" (?:up|down|over|across)(?: the table)? (?=so (?:that )?it(?:'s| is| ends up| sits) )", " ", t)
    t = re.sub(r"\b(ten|fifteen|twenty|twenty-five|thirty|forty|fifty) (?=(?:cm|mm|centimet|millimet))",
               lambda m: f"{_TENS[m.group(1)]} ", t)
    t = re.sub(r"\b(?:exactly|precisely|about|around|roughly|approximately) (?=\d+ (?:cm|mm|centimet|millimet))", "", t)
    # comparisons: "higher up the table than X" -> "above X", "further right than X" -> "right of X"
    t = re.sub(r"\b(?:higher up|further up|farther up|higher)(?: the table| on the table)? than\b", "above", t)
    t = re.sub(r"\b(?:lower down|further down|farther down|lower)(?: the table| on the table)? than\b", "below", t)
    t = re.sub(r"\b(?:further|farther|more) (?:to the )?(left|right)(?: on the table)? than\b", r"\1 of", t)
    t = re.sub(r"\b(left|right)(?:wards?(?: of| from)?| from)(?= (?:the )?[a-z]+ (?:block|bowl))", r"\1 of", t)
    t = re.sub(r"\b(left|right) hand side\b", r"\1 side", t)
    # "get the green block over on the orange bowl's left" (tuning pt1472): left of it
    t = re.sub(r"\b(?:(?:way |over |way over )?(?:on|to) )?the ([a-z]+ (?:block|bowl))'s (left|right)(?: side)?\b",
               r"\2 of the \1", t)
    t = re.sub(r"\b(left of|right of|above|below) where (the [a-z]+ (?:block|bowl)) (?:is|sits|was|stands)\b",
               r"\1 \2", t)
    t = re.sub(r"(?<= of the )([a-z]+ (?:bowl|block))'s (?:centre|center|middle)\b", r"\1", t)
    return t


def _goal_states(t: str) -> str:
    """A bare colour subject and where it should end up: "green block needs to end up …", "red block: in …"."""
    # "red block: it needs to be right of …" / "green block needs to end up …" / "end result: brown block in …"
    t = re.sub(rf"^{_BARE}[:,] it (?:needs to|has to|should|must|ought to) (?:be|go|end up|sit) ", r"put the \1 ", t)
    # "red block: i need it about 10cm right of where the blue bowl is" (tuning pt1846)
    t = re.sub(rf"^{_BARE}[:,] (?:i need|i want|i'd like|i would like) it (?:to be |to go |to end up |to sit )?"
               rf"(?=(?:\d|{_TO}\b))", r"put the \1 ", t)
    t = re.sub(rf"^{_BARE} (?:needs to|has to|should|must|ought to|can|could) (?:be|go|end up|sit|be put|be moved) "
               rf"(?={_TO}\b)", r"put the \1 ", t)
    t = re.sub(rf"^{_BARE} (?:ends up|end up|winds(?: up)?|lands) (?={_TO}\b)", r"put the \1 ", t)
    t = re.sub(rf"^{_BARE}[:,]? (?={_TO}\b)", r"put the \1 ", t)
    return t


def _referents(t: str) -> str:
    """Fronted and relative referents: "whichever block is closest to X, put that …", "the block lowest down"."""
    t = re.sub(r"\bwhatever (block|bowl|corner|side)\b", r"whichever \1", t)
    # "whichever block is closest to X, put that in Y" / "the block sitting left of X, move it to Y"
    t = re.sub(r"\bthe (block|one) (?:which|that) is (?:sitting |lying |located )?"
               r"(nearest|closest|farthest|furthest)\b", r"the \1 \2", t)
    t = re.sub(r"\bthe (block|one) (?:which is |that is |that's )?(?:sitting|lying|located) (nearest|closest|farthest|"
               r"furthest)\b", r"the \1 \2", t)
    t = re.sub(rf"^that ({HUES} (?:block|bowl)),? (?={VERB_FRONT} (?:that|that one|it) )", r"the \1, ", t)
    # "that purple cube - shove it a long way …" (tuning pt1822)
    t = re.sub(rf"^that ({HUES} block),? (?:shove|toss|chuck|pop|stick|nudge|plonk|drag) it ", r"put the \1 ", t)
    t = re.sub(rf"^((?:the|whichever) [a-z ]+?),? ({VERB_FRONT}) (?:that|that one|it) ", r"\2 \1 ", t)
    # "… the green bowl and bring it next to that bowl" (tuning pt1836): the one bowl named before it
    t = re.sub(r"\b(next to|near|beside|by) that (bowl|block)\b",
               lambda m: f"{m.group(1)} {_the_last_named(t[:m.start()], m.group(2)) or 'that ' + m.group(2)}", t)
    t = re.sub(r"\bthe (?:block|one) (?:that's |that is |which is )?(lowest|highest)(?: down| up)?(?: on the table)?"
               r"(?:,? (?:nearest|closest to) the (?:bottom|top) (?:side|edge))?,?", r"the \1 block", t)
    t = re.sub(r"\bthe (?:first|1st) (?:block|one) (?:on|from) the (left|right)(?: side)?\b", r"the \1most block", t)
    t = re.sub(r"^(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)(?: block| one)? from the "
               r"(left|right|top|bottom) ", r"put the \1 block from the \2 ", t)
    # "rightmost block to the green bowl", "whatever block is left of X", "the corner that's farthest from X"
    t = re.sub(r"^(leftmost|rightmost|topmost|bottommost) block (?=(?:to|in|into|on|onto) )", r"put the \1 block ", t)
    t = re.sub(r"\bthe (corner|bowl|side) (?:that's|that is|which is) (nearest|closest|farthest|furthest)(?: away)?\b",
               r"the \1 \2", t)
    # "to whichever edge of the table is nearest to it" -> "to the side nearest to it" (tuning pt1682)
    t = re.sub(r"\bwhichever (corner|side|edge) (?:of the table )?is (nearest|closest|farthest|furthest)(?: away)?\b",
               lambda m: f"the {m.group(1).replace('edge', 'side')} {m.group(2)}", t)
    # "the cube that's cyan" -> "the cyan block"
    t = re.sub(rf"\bthe (?:block|one) (?:that's|that is|which is) ({HUES})\b", r"the \1 block", t)
    return t


def _the_last_named(before: str, kind: str) -> str | None:
    """'the green bowl' when the text before names exactly one bowl (of any colour); None otherwise."""
    named = set(re.findall(rf"\b({HUES}) {kind}\b", before))
    return f"the {named.pop()} {kind}" if len(named) == 1 else None


def _sets(t: str) -> str:
    """Pairs, "the rest", exceptions, counts, stacks, alternatives, matching colours and lines."""
    # "the green and red blocks next to each other" -> "the green block next to the red block"
    t = re.sub(r"^(?:put|place|move|set|get) the ([a-z]+) and ([a-z]+) blocks (next to|beside|near|close to) "
               r"(?:each other|one another)$", r"put the \1 block \3 the \2 block", t)
    t = re.sub(r"\bthe ([a-z]+) and ([a-z]+) ones\b", r"the \1 and \2 blocks", t)
    t = re.sub(r"\b(put|place|move|drop|set) them (?:both|all)\b", r"\1 them", t)
    # "only the orange block should move, into …" / "leave everything else where it is and just put …"
    t = re.sub(r"^only (the [a-z]+ block) should (?:move|go|be moved),? (?=(?:in|on|to|at) )", r"move only \1, ", t)
    m = re.fullmatch(r"((?:leave|keep) (?:everything else|the rest|all else|the others|all the rest)(?: alone| where "
                     r"(?:it is|they are)| as (?:it is|they are)| untouched| in place)?),? (?:and|but) "
                     r"(?:just |only )?(.+)", t)
    if m:
        t = f"{m.group(2)} and {m.group(1)}"
    # "leave the bowls alone and put …" -> "put … and leave the bowls alone"
    m = re.fullmatch(r"((?:leave|keep) the bowls(?: alone| where they are| as they are| untouched| in place)?),? "
                     r"(?:and|but) (?:just |only )?(.+)", t)
    if m:
        t = f"{m.group(2)} and {m.group(1)}"
    # "… but leave out the gray block", "any bowl that isn't blue", "one block per bowl", "X and Y blocks both go in …"
    t = re.sub(r",? (?:but )?(?:leave out|leaving out)\b", " except", t)
    t = re.sub(r"\b(any|a) bowl (?:that isn't|that is not|other than) (?:the )?([a-z]+)(?: one| bowl)?\b",
               r"\1 bowl except the \2 bowl", t)
    t = re.sub(r"\b(?:each|every|all) (?:one )?of the bowls\b", "each bowl", t)
    t = re.sub(r",? (?:and )?no more$", "", t) if re.search(r"\b(?:each|every) bowl\b", t) else t
    t = re.sub(r"^(?:put )?(?:one|a|a single) block (?:per|in each|in every) bowl$",
               "put exactly one block in each bowl", t)
    t = re.sub(r"^(?:the )?([a-z]+ and [a-z]+ blocks|(?:two|three) (?:left|right|top|bottom)most blocks) "
               r"(?:both |all )?(?:go|goes|should go|belong) (?=(?:in|on|at) )", r"put the \1 ", t)
    # "the yellow bowl to have / should get all the blocks except X" -> "put all the blocks except X in the yellow bowl"
    t = re.sub(r"^(the [a-z]+ bowl) (?:to have|should have|should get|gets|needs) (all (?:of )?the blocks|every block) "
               r"(except|but) (.+)$", r"put \2 except \4 in \1", t)
    # "the bowl furthest to the right, put the red block in it" -> "put the red block in the bowl furthest …"
    t = re.sub(rf"^(the (?:[a-z]+ )?bowl(?: [a-z ]+?)?), ({VERB_FRONT}) (the [a-z]+ block) in it$", r"\2 \3 in \1", t)
    # stacks: "a stack of all the blocks with …", "stack with the orange block on the bottom, order … doesn't matter"
    t = re.sub(r",? (?:and )?(?:the )?order of the (?:rest|others) (?:doesn't|does not) matter$", "", t)
    t = re.sub(r"^(?:a|one) stack of (all (?:of )?the blocks|the blocks)\b", r"stack \1", t)
    t = re.sub(r"^stack with (?=(?:the )?[a-z]+(?: block| one)? (?:on|at) the (?:bottom|base|top)\b)",
               "stack the blocks with ", t)
    t = re.sub(r"^pile (all (?:of )?the (?:other|remaining) blocks)\b", r"stack \1", t)
    # sets: "blocks in one column" -> "all the blocks in one column"; "with the exception of X, all the blocks …"
    t = re.sub(r"^blocks\b", "all the blocks", t)
    t = re.sub(r"^(.*\bthe blocks\b.*?),? (?:and then )?all of them$", r"\1", t)  # "… the blocks … all of them"
    t = re.sub(r"^(?:one|a) block (?:per|in each|on each|to each|for each) (corner|side|edge)$",
               lambda m: f"put the blocks in different {m.group(1).replace('edge', 'side')}s", t)
    t = re.sub(r"\b(?:a different|different|separate) edges?\b", "different sides", t)
    t = re.sub(r"^make (?:two|three) stacks?[:,] ", "", t)
    t = re.sub(r"^(?:make |build )?(?:a )?stack of the (?=[a-z]+(?:,| and) )", "stack the ", t)
    t = re.sub(r"^stack of (?:the |all the |all )?blocks\b", "stack all the blocks", t)
    t = re.sub(r"^(?:make|build|form) (?:a|one) stack (all the blocks|the blocks)\b", r"stack \1", t)
    t = re.sub(r"^(?:make|build|form) (?:a|one) stack (in|on) (the [a-z]+ (?:bowl|block)) (?:using|with|from|out of) "
               r"(?:all (?:of )?)?the blocks$", r"stack all the blocks \1 \2", t)
    t = re.sub(r"^stack (?:all )?the blocks[:,] (?=[a-z]+ (?:on|at) the bottom)", "build a stack: ", t)
    # "stack the blocks in the order red, green, blue from bottom to top" -> "build a stack: red, then green, then …"
    m = re.fullmatch(r"(?:stack|pile) (?:all )?the blocks (?:in (?:the|this) order|in order)[:,]? "
                     rf"({HUES}(?:(?:,| and|, and) {HUES})+),? (?:from )?(bottom to top|top to bottom)", t)
    if m:
        colours = re.split(r",? and |, ", m.group(1))
        colours = colours if m.group(2) == "bottom to top" else colours[::-1]
        t = "build a stack: " + ", then ".join(colours)
    # "take the one next to the pink bowl and …": the block nearest it, as a referent (not as a destination)
    t = re.sub(r"^(take|grab|pick up|get) the (?:block|one) (?:right )?(?:next to|beside) (the [a-z]+ (?:bowl|block)) "
               r"(?=and )", r"\1 the block nearest \2 ", t)
    # "i want all the blocks sitting in …" / "only one block should be in …" / "at least one block in each bowl"
    t = re.sub(r"^(?:i want|i'd like|i need) ((?:all (?:of )?the|every|each|all) blocks?) (?:sitting |resting |to be |"
               r"to sit |to go |to end up )?(?=(?:in|on|at|near|next to|above|below|left of|right of) )", r"put \1 ", t)
    t = re.sub(r"^no blocks? (?:should|must|may) (?:be )?(?:left|stay|remain) on the table(?:,? (?:put them|"
               r"they all go|all of them go) in the bowls)?$", "put all the blocks in the bowls", t)
    t = re.sub(r"^only (one|two|three|\d) (blocks?) (?=(?:should|must|may) )", r"exactly \1 \2 ", t)
    t = re.sub(r"^(?:put )?at least one block (?:should be |must be |needs to be |ends up |goes )?"
               r"in (?:each|every) bowl$",
               "at least one block in each bowl", t)
    t = re.sub(r"^only (the [a-z]+ block) should (?:move|be moved)[:,] (?:put|place|move|drop|set) it ",
               r"move only \1 ", t)
    t = re.sub(r",? first(?=,? and |$)", "", t)
    t = re.sub(r"\b(in|on|at) either (the [a-z]+ (?:bowl|block|corner|side)) or\b", r"\1 \2 or", t)
    t = re.sub(r"\b(?:to|in|at) one of the (left|right) corners\b", r"at the top \1 corner or the bottom \1 corner", t)
    t = re.sub(r"\b(?:to|in|at) one of the (top|bottom) corners\b", r"at the \1 left corner or the \1 right corner", t)
    # "line up the red block, (the) blue block and (the) yellow block vertically" (tuning pt1705's restatements)
    m = re.fullmatch(rf"line up ((?:the )?(?:{'|'.join(COLORS)}) block(?:,? (?:and )?(?:the )?(?:{'|'.join(COLORS)}) "
                     r"block)+) (horizontally|vertically|diagonally)", t)
    if m:
        t = "line up " + re.sub(r"\b(?:the )?([a-z]+) block\b", r"\1", m.group(1)) + " " + m.group(2)
    t = re.sub(rf"^line up ((?:{'|'.join(COLORS)})(?:,? (?:and )?(?:{'|'.join(COLORS)}))+) (horizontally|vertically|"
               r"diagonally)$", r"line up the \1 blocks \2", t)
    t = re.sub(r"^with the exception of (the [a-z]+ (?:block|one)),? ((?:put |move |place )?"
               r"(?:all the blocks|all blocks|every block)) ", r"\2 except \1 ", t)
    t = re.sub(r"^(the [a-z]+ bowl) should (?:get|have|hold|receive|contain) (all the blocks|every block),? "
               r"(?:all )?(except(?: for)? the [a-z]+ (?:block|one))$", r"put \2 \3 in \1", t)
    t = re.sub(r"^fill (the [a-z]+ bowl) with (one|two|three|four|five|\d) blocks$", r"put \2 blocks in \1", t)
    t = re.sub(r", (?:just|only) one,? ", " ", t)
    # matching colours said of one block: "the bowl that matches the green block", "whichever bowl has its colour"
    t = re.sub(r"\bthe bowl (?:that|which) matches the ([a-z]+) block\b", r"the \1 bowl", t)
    t = re.sub(r"\b(?:whichever|the) bowl (?:that )?has its colou?r\b", "the bowl of the same colour", t)
    t = re.sub(r"\bthe bowl (?:that's|that is|which is) the same colou?r as it\b", "the bowl of the same colour", t)
    t = re.sub(r"\b(its|their) own colou?r(?:ed)? bowls?\b", r"the bowl of \1 own colour", t)
    # lines: "in one row, left to right", "a single column"
    t = re.sub(r",? (left to right|right to left|top to bottom|bottom to top)$", r" from \1", t)
    if not re.search(r"\b(?:horizontal|vertical|diagonal)", t):
        t = re.sub(r"\b(?:a |one |a single |single )column\b", "a vertical line", t)
        t = re.sub(r"\b(?:a |one |a single |single )row\b", "a horizontal line", t)
    return t




# (object, colour and place shorthand, "grn blk", "btm", is normalize.SHORTHAND's: the check's grounding reads it too)
_SHORTHAND = {"exc": "except", "excl": "except", "ur": "your", "dont": "don't", "doesnt": "doesn't", "isnt": "isn't"}


def shorthand(t: str) -> str:
    """An operator's shorthand: 'red blk -> btm left corner', 'red + blue blks', 'bowl w/ same color', '… rn'."""
    t = re.sub(r"\b(" + "|".join(_SHORTHAND) + r")\b", lambda m: _SHORTHAND[m.group(1)], t)
    t = re.sub(r"\bw/ ?", "with ", t)
    # articles a note leaves out: "2nd block from left" / "leftmost bowl" / "-> bowl nearest X" (tuning pt1164,
    # pt1214, pt1245, pt1249)
    t = re.sub(r"(?<!\bthe )\b((?:\d(?:st|nd|rd|th)|first|second|third|fourth|last) (?:block|bowl|one) from) "
               r"(left|right|top|bottom)\b", r"the \1 the \2", t)
    t = re.sub(r"\b(?=(?:leftmost|rightmost|topmost|bottommost) (?:block|bowl)s?\b)",
               lambda m: "" if re.search(r"\b(?:the|two|three|four|\d) $", m.string[:m.start()]) else "the ", t)
    t = re.sub(r"(?:->|\bto|\bin|\binto) (?=bowl (?:nearest|closest|farthest|furthest|on the far)\b)", "in the ", t)
    # "the 2nd bowl from the left gets the pink block": the block goes in that bowl
    t = re.sub(r"^((?:the )?[a-z0-9 ]*bowl(?: from the (?:left|right|top|bottom))?) gets ((?:the )?[a-z0-9 ]*block)$",
               r"put \2 in \1", t)
    t = re.sub(r" \+ ", " and ", t)
    return re.sub(r",? (?:rn|right now|asap)$", "", t)


# "final picture: …", "end state: …", "in the finished picture, …": what follows says how things should end up
_FINAL_PICTURE = (r"^(?:(?:in )?the (?:final|finished) (?:picture|scene|state)|(?:the )?final (?:picture|scene|look|"
                  r"state)|end state|(?:the )?picture (?:at the end|i want)|(?:the )?picture (?:at the end )?should be|"
                  r"what it should look like (?:after|at the end)|after|afterwards|when it's (?:finished|done)|"
                  r"in the end the picture should be)(?: has)?[:,]? ")
_TECHNICAL = r"(?:relocate|translate|deposit|situate|transfer|position)"


def technical(t: str) -> str:
    """A researcher's and a described end state's wordings: 'relocate X such that it rests within Y', 'the block
    located nearest to X', 'final picture: the green block sits on the blue block, and the blue block in …'."""
    t = re.sub(rf"^{_TECHNICAL} |(?<=, ){_TECHNICAL} (?=(?:the|all|every|each) )", "put ", t)
    t = re.sub(r"^(?:construct|erect|assemble|build|make) (?:a|one) (?:single |tall )?stack comprising ",
               "make a stack of ", t)
    t = re.sub(r"^assemble (all (?:of )?(?:the )?blocks) (?:in|into) (?:one|a single|a) (?:stack|pile|tower)"
               r"(?: standing)? (in|on|at) ", r"stack \1 \2 ", t)
    t = re.sub(r"[?,.]? (?:(?:in )?any order(?:'s| is) (?:fine|ok|okay)|the order (?:doesn't|does not) matter)$",
               ", any order", t)  # "stack the pink, cyan and orange cubes? any order's fine" (tuning pt1854)
    if re.search(r",? (?:in )?(?:any|no particular|whatever) order$", t):
        # "line up the brown, blue and red cubes from left to right, any order": the way the line runs, no order
        t = re.sub(r"\bfrom (?:left to right|right to left)\b", "horizontally", t)
        t = re.sub(r"\bfrom (?:top to bottom|bottom to top)\b", "vertically", t)
    t = re.sub(r"(?:,? and then|,)? (?:the )?(?:vertical )?order(?:ing)? (?:is immaterial|doesn't matter|does not "
               r"matter)$|,? (?:in )?(?:any|no particular|whatever) order$", "", t)
    t = re.sub(r"\b(?:of|in) the workspace\b|\bto a position (?=(?:left|right) of\b)", "", t)
    t = re.sub(r" such that (?:it|its middle) (?:rests|sits|lies|is|ends up|stands)(?: within)? "
               r"(?=(?:in|on|at|\d+|left|right|above|below|next|near) )", " ", t)
    t = re.sub(r" such that it rests within ", " in ", t)
    t = re.sub(r"\bwithin\b", "in", t)
    t = re.sub(r"\b(block|bowl) located (?=(?:nearest|closest|farthest|furthest)\b)", r"\1 ", t)
    t = re.sub(r"\bthe (block|bowl) (?:that is|which is|that's) (?:the )?(closest|nearest|farthest|furthest)(?: one)? "
               r"(to|from)\b", r"the \1 \2 \3", t)
    t = re.sub(r"^(?:one|a) (?:pile|stack|tower)[,:] ", "build a stack: ", t)
    if re.match(_FINAL_PICTURE, t):
        t = re.sub(_FINAL_PICTURE, "", t)
        t = re.sub(r"(^|,? and |, )(the [a-z]+ block|the [a-z]+ bowl) "
                   r"(?:(?:sits|is sitting|is|rests|stands|lies|sitting) )?(?:all by itself |by itself |alone )?"
                   r"(?=(?:in|on|at|\d+|left|right|above|below|next|near) )",
                   lambda m: f"{m.group(1)}put {m.group(2)} ", t)
    return re.sub(r" ,", ",", re.sub(r"\s+", " ", t)).strip()
