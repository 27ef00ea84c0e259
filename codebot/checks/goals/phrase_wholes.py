"""Whole-scene goals of the phrase parser (codebot/checks/goals/phrases.py): nothing to move, every block in a bowl
('fill the red bowl with the blocks'), matching and mismatched bowls, distinct corners or sides, a line of every
block or of a colour list, and a stack of every block (on a base, with one on top). Several of these look for
their goal anywhere in the text, so each refuses text that says more than it reads (an exception, another clause,
a named object, a place, a negation): a half-read instruction is never a spec. Also the clause splitter, which
those refusals use to see a second clause."""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_groups import COLOUR_LIST, EXCEPT, excluded_blocks, excluded_names, named_blocks
from codebot.checks.goals.phrase_refs import COLOR, VERB, PhraseScene, anchor_ref, object_ref

MATCHING = "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))"
# blocks sorted into the bowls of their colours, and those with no such bowl kept where they are (the implication
# alone lets them move): said through the matching relation, so it names no block
MATCHING_REST_KEPT = (f"all({MATCHING}, forall(x in blocks: implies(not(exists(y in bowls: same_colour(x, y))), "
                      f"unchanged(x))))")
MISMATCHED = ("forall(x in blocks: all(exists(y in bowls: in(x, y)), "
              "forall(y in bowls: not(all(same_colour(x, y), in(x, y))))))")
ALL_BLOCKS = (r"(?:all (?:of )?the blocks|all blocks|the blocks|every block|every last block|each block|"
               r"each of the blocks|(?:every|each) one of the blocks|the whole lot of (?:the )?blocks)")
_HUE = r"(?:colou?rs?|hues?|shades?)"
# the bowl a block's own colour names, said of every block: "the bowl with the same colour", "matching bowls"
_MATCHING_BOWL = (rf"bowls? with (?:the )?(?:matching|same) {_HUE}|matching bowls?|bowls? (?:with|of|in|that has|"
                  rf"that have|that is|that are) (?:the same|its own|their own|its|their|a matching|the matching) "
                  rf"{_HUE}"
                  rf"|bowls? (?:that|which) match(?:es)? (?:its|their) {_HUE}|same[- ]colou?red bowls?"
                  rf"|bowls? of (?:the )?matching {_HUE}|(?:its|their) bowls? by {_HUE}"
                  # the LLM's restatement of pt1181 ("every block should go home to the bowl that is the very same
                  # colour as it is"): "put all the blocks in their respective bowls"
                  rf"|(?:its|their) (?:respective|corresponding) bowls?")
# nothing at all should move: "don't move any of the objects", "leave everything alone"
_DO_NOTHING = (r"(?:(?:do not|don't|never) (?:touch|move) (?:anything|any of the objects|any objects|the objects|"
               r"a thing)(?: at all)?|(?:leave|keep) (?:everything|all the objects|the objects|all objects)"
               r"(?: alone| where (?:it is|they are)| as (?:it is|they are)| untouched| in place| still)?|do nothing)")


_KEPT_AS_IS = (r"(?:where (?:it is|they are)|alone|untouched|in place|as (?:it is|they are)|"
               r"in their (?:current|original) (?:positions|places|spots))")


def _every_object_kept(t: str, scene: PhraseScene) -> bool:
    """Every object of the scene named, one by one, as kept where it is: the LLM's restatement of "keep everything
    where it is for now" (tuning pt1079), "keep the blue bowl, green block, red block, and yellow bowl where they
    are". A list that leaves one out is not read (what the others may do is not said)."""
    m = re.fullmatch(rf"(?:keep|leave) (.+?),? {_KEPT_AS_IS}", t)
    if not m:
        return False
    named = {re.sub(r"^the ", "", n.strip()) for n in re.split(r",? and |, ", m.group(1))}
    return len(scene.names) > 1 and named == set(scene.names)


_BESIDES_A_SET_GOAL = (r"\b(?:except|apart from|other than|besides|excluding|but|leave|leaving|stays?|stay put|keep|"
                       r"keeping|without|only|unchanged|alone|where (?:it|they) (?:is|are|was|were))\b")


def set_goal(t: str, scene: PhraseScene) -> str | None:
    if re.fullmatch(_DO_NOTHING, t) or _every_object_kept(t, scene):
        return "unchanged(objects)"
    # "line up all the blocks (vertically) along the right side": a line along that side, every block at it
    m = re.fullmatch(rf"(?:line up {ALL_BLOCKS}|(?:line|arrange|put|place|set) {ALL_BLOCKS} up|"
                     rf"(?:arrange|put|place|set) {ALL_BLOCKS} in an? (?:(horizontal|vertical) )?(?:line|row|column)|"
                     rf"(?:make|form|build) an? (?:(horizontal|vertical) )?(?:line|row|column) (?:of|with|out of) "
                     rf"{ALL_BLOCKS})"
                     r"(?: (horizontal|vertical)ly)? (?:along|at|on) the (left|right|top|bottom)(?:-hand| hand)? "
                     r"(?:side|edge)", t)
    if m:
        axis = "vertical" if m.group(4) in ("left", "right") else "horizontal"
        said = m.group(1) or m.group(2) or m.group(3)
        return None if said and said != axis else \
            f"all(line(blocks, {axis}), forall(x in blocks: at(x, {m.group(4)} side)))"
    m = re.fullmatch(rf"(.+?),? {EXCEPT} (the [a-z ]+?)", t)
    line = set_goal(m.group(1), scene) if m and re.match(r"(?:line|arrange|put|place|set)\b", t) else None
    if line and re.fullmatch(r"line\(blocks, [a-z]+\)", line):  # "line them all up diagonally except the green one"
        return _every_block_but("line", excluded_blocks(m.group(2), scene), line[11:-1])
    m = re.fullmatch(rf"fill (?:the )?(.+?) with {ALL_BLOCKS}", t)
    if m:
        bowl = object_ref(m.group(1), scene, kind="bowl")
        return f"forall(x in blocks: in(x, {bowl}))" if bowl and bowl.endswith("bowl") else None
    # "sort the cubes into the dishes of the same color; a cube with no dish of its color stays where it is"
    m = re.fullmatch(rf"(.+?),? (?:and then |and |but )?(?:(?:a|any|each) block|blocks|the (?:ones?|blocks?)) "
                     rf"(?:with no |without (?:a |any )?)(?:bowls? with matching colou?rs?|matching bowls?) "
                     rf"(?:stays?|remains?|should stay|can stay) (?:put|{_KEPT_AS_IS})"
                     rf"|(.+?),? (?:and then |and |but )?(?:the rest|the others|the other blocks) "
                     rf"(?:stay|remain|should stay|can stay) (?:put|{_KEPT_AS_IS})", t)
    sorted_ = m and (m.group(1) or m.group(2))
    # "any block that has a bowl of its own colour goes in that bowl, the others stay where they are" (tuning pt1498)
    if sorted_ and re.fullmatch(r"(?:any|each|every) block (?:that has|with) (?:a )?bowls? with matching colou?rs? "
                                r"(?:goes|should go|go|must go) in (?:that bowl|it)", sorted_):
        return MATCHING_REST_KEPT
    if sorted_ and set_goal(sorted_, scene) == MATCHING:
        return MATCHING_REST_KEPT
    # "… no bowl with the matching colour": never in it; "a block with no bowl with matching colours": it has none
    if re.search(r"(?<!with )(?<!has )(?<!have )(?:never|not|n't|no) (?:in |into )?(?:the |a )?bowls? with (?:the )?"
                 r"matching colou?rs?", t):
        return MISMATCHED
    # "a block in every corner" (tuning pt1017): four blocks, each in its own corner; of more or fewer blocks it
    # asks for something else (some blocks left over, or an impossible goal)
    if re.fullmatch(r"(?:put |place |i want |there should be |make sure there(?:'s| is) )?(?:a|one) block "
                    r"(?:sitting |standing |resting |placed )?(?:in|at) "
                    r"(?:(?:every|each)(?: single)? corner|each of the (?:four )?corners)"
                    r"|fill (?:every|each|all the|all four|the four) corners with (?:a )?blocks?", t):
        blocks = sum(1 for n in scene.names if n.endswith(" block"))
        return "distinct_places(blocks, corners)" if blocks == 4 else None
    # "put one block on each side of the table", "one block per side, no two on the same side" (tuning pt1845)
    m = re.fullmatch(r"(?:put |place )?(?:a|one) block (?:on|at|along|by) (?:(?:every|each)(?: single)? side|each "
                     r"of the (?:four )?sides)|(?:put |place )?(?:a|one) block per (side|corner)(?:,? please)?"
                     r"(?:,? no two (?:blocks )?(?:on|in|at) the same (?:side|corner))?", t)
    if m:
        blocks = sum(1 for n in scene.names if n.endswith(" block"))
        return f"distinct_places(blocks, {m.group(1) or 'side'}s)" if blocks == 4 else None
    # the rules below find a whole-scene goal anywhere in the text: they must not drop an exception, another
    # clause, an object the text names outside a colour list, or a place
    unlisted = re.sub(COLOUR_LIST, "listed", t)
    if re.search(_BESIDES_A_SET_GOAL, t) or len(split_clauses(unlisted)) > 1 or re.search(rf"\b{COLOR}\b", unlisted):
        return None
    for places in ("corners", "sides"):
        if re.search(rf"(?:different|separate|its own|their own|distinct) {places[:-1]}s?", t):
            # of the blocks a colour list names, those (fresh batch pt1657 had read every block)
            group = re.search(rf"\b({COLOUR_LIST})s?\b", t)  # "the pink block and the cyan block" too (s23 pt1956)
            if not group:
                return f"distinct_places(blocks, {places})"
            names = named_blocks(group.group(1), scene)
            return f"all(distinct_places([{', '.join(names)}], {places}), unchanged(others))" if names else None
    if re.search(r"\b(?:corner|middle|cent(?:er|re)|edge|half)\b|\bsides?\b(?! by side)", t) or re.search(
            r"\b(?:below|above|under|underneath|beneath|near|next to|beside|between|behind|in front|on top|onto|around|"
            r"close to|left of|right of)\b(?! (?:each other|one another|the other|another))", t):
        return None  # a place, or a relation other than the one these rules read
    if re.search(r"mismatch|colou?r (?:that )?differs|differs from it|different colou?r"
                 r"|not (?:the bowl of )?(?:its|their) own colou?r|never in the bowl of its own colou?r"
                 r"|bowl of another colou?r", t) and "bowl" in t:
        return MISMATCHED
    if re.search(r"\b(?:not|never|no|nor|don t|do not|twice|again|back|undo|instead|reverse)\b|n't\b", t):
        return None  # a negation or a repeat the rules below would drop
    if re.search(_MATCHING_BOWL, t) and re.search(ALL_BLOCKS, t):
        return MATCHING
    if re.fullmatch(r"sort (?:all )?(?:of )?the blocks (?:in (?:the )?bowls by colou?r|by colou?r in (?:the )?bowls)",
                    t):
        return MATCHING
    t = re.sub(r"(\bfrom (?:left to right|right to left|top to bottom|bottom to top)),? in (?:that|this) order$",
               r"\1", t)
    if re.search(r"\bin (?:that|this|the same|the given|the listed) order\b", t):
        return None  # "…, in that order" with no direction said: which way the line runs is not read
    order = re.search(r"\bfrom (left to right|right to left|top to bottom|bottom to top)$", t)
    t = re.sub(r"\bfrom (?:left to right|right to left)$", "horizontally", t)
    t = re.sub(r"\bfrom (?:top to bottom|bottom to top)$", "vertically", t)
    m = re.search(r"(horizontal|vertical|diagonal)(?:ly)?\b", t)
    if m and re.search(r"\b(?:line|lines|row|column|along|up)\b", t):
        return _line_goal(t, m.group(1), scene, order.group(1) if order else None)
    return None


_ORDER = {"left to right": "left_of", "right to left": "right_of", "top to bottom": "above", "bottom to top": "below"}


def _line_goal(t: str, axis: str, scene: PhraseScene, order: str | None = None) -> str | None:
    """A line of every block, or of the blocks a colour list names ("the red, green and blue blocks"); a line
    of blocks the text qualifies otherwise ("two blocks", "some blocks") is not read: 'blocks' alone would
    demand a line of every block, a check the instruction does not license. `order` ("left to right"): of a
    named list, the order it names them in (of every block it says only which way the line runs)."""
    group = re.search(rf"\b({COLOUR_LIST})s\b", t)
    if group:
        names = named_blocks(group.group(1), scene)
        if not names:
            return None
        line = f"line([{', '.join(names)}], {axis})"
        pairs = [f"{_ORDER[order]}({a}, {b})" for a, b in zip(names, names[1:])] if order else []
        return f"all({', '.join([line] + pairs)}, unchanged(others))"
    if re.search(rf"\b{ALL_BLOCKS}\b", t) and not re.search(
            rf"\b(?:{COLOR}|\d+|two|three|four|five|six|some|several|a few|other|remaining) blocks\b", t):
        return f"line(blocks, {axis})"
    return None


def stack_goal(t: str, scene: PhraseScene) -> str | None:
    # "put all the blocks on top of each other (in X)", "stack all the blocks in one tall pile with …"
    one_on_another = r"(?:on (?:top of )?(?:each other|one another)|one on (?:top of )?(?:the other|another))"
    t = re.sub(rf"^(?:put|stack) (all (?:of )?the blocks|the blocks) {one_on_another}\b", r"stack \1", t)
    t = re.sub(r"^(?:build|make|form|create) (?:a|one) (?:single |tall |big |high )?stack (in|on|at) (.+?) "
               r"(?:using|with|from|out of) (?:every block|all (?:of )?the blocks|all blocks)$",
               r"stack all the blocks \1 \2", t)
    t = re.sub(r"^stack (all (?:of )?the blocks|the blocks) so (?:that )?(?:the )?([a-z]+)(?: one| block)? "
               r"(?:is|ends up|sits) (?:at the bottom|on the bottom)$", r"stack \1 with the \2 block at the bottom", t)
    t = re.sub(r"^(stack (?:up )?all (?:of )?the blocks) (?:in|into) (?:one|a single|a)(?: tall| big| high)? "
               r"(?:pile|stack|tower)\b", r"\1", t)
    t = re.sub(r" (?:on|in) (?:one another|each other)$", "", t)
    # "…, one on top of another, any order you like": a tower of every block, in no given order
    t = re.sub(r"^((?:stack|pile) (?:up )?(?:all (?:of )?)?the blocks(?: up)?),? "
               r"(?:one on (?:top of )?(?:another|the other),? )?(?:in )?(?:any|whatever|whichever) order"
               r"(?: you (?:like|want|prefer))?$", r"\1", t)
    # "… so they all form one stack" says again what stacking on one block does (tuning pt785)
    t = re.sub(r",? so (?:that )?(?:they|the blocks) (?:all )?(?:form|make|end up as|end up in|are) (?:one|a single|a) "
               r"(?:single |tall |big |high )?stack$", "", t)
    # "make one tall stack of all the blocks, and the one at the very bottom has to be the blue block, but the others
    # can go on top (in any order)" (tuning pt1186) -> "… with the blue block at the bottom"
    t = re.sub(r",? (?:and|with) the one (?:at|on) the (?:very )?(?:bottom|base) (?:has to|must|should|needs to) "
               r"be (?:the )?([a-z]+ block)"
               r"(?:,? (?:but|and) the (?:others|rest) (?:can|may) go on top(?: in any order)?)?$",
               r" with the \1 at the bottom", t)
    t = re.sub(r"^((?:build|make|form|create) (?:a|one)) (?:single |tall |big |high )(?=stack )", r"\1 ", t)
    m = re.fullmatch(r"(?:stack|pile|heap) (?:all (?:of )?)?(?:the (?:other|remaining) blocks|every other block) "
                     r"(?:up )?on (?:top of )?(.+)", t)
    base = object_ref(m.group(1), scene, kind="block") if m else None
    if base and base.endswith(" block"):  # every other block on it: a tower of every block standing on it
        return f"stack(blocks, {base})"
    m = re.fullmatch(r"stack (?:up )?(?:all (?:of )?)?the blocks(?: up)?(?: on (?:each other|one another))?(?:,| with) "
                     r"(?:the )?(.+?) (?:on top|at the top|on the top|as the top(?: one)?)", t) or re.fullmatch(
        r"stack (?:up )?(?:all (?:of )?)?the blocks(?: up)? so (?:that )?(?:the )?(.+?) (?:ends up|is|sits|goes) "
        r"(?:on top|at the top|on the top)", t)
    top = object_ref(re.sub(r" one$", " block", m.group(1)), scene, kind="block") if m else None
    if top and top.endswith(" block"):  # nothing stands on it
        return f"all(stack(blocks), forall(x in blocks except {top}: not(on(x, {top}))))"
    m = re.fullmatch(r"(?:stack|pile) (?:up )?(?:all (?:of )?)?the blocks(?: up)?(?: (?:on|in|at|to) (.+))?", t) or \
        re.fullmatch(r"(?:build|make|form|create) (?:a|one) (?:single |tall |big |high )?stack (?:of|with|from|out of|"
                     r"using) (?:all (?:of )?)?the blocks"
                     r"(?: (?:on|in|at|to) (.+))?", t)
    if m:
        where = m.group(1)
        if where is None:
            return "stack(blocks)"
        base = anchor_ref(where, scene)
        return f"stack(blocks, {base})" if base else None
    m = re.fullmatch(rf"(?:stack|pile) (?:up )?(?:all (?:of )?)?the blocks(?: up)?,? {EXCEPT} (.+)", t)
    if m:  # "stack all the blocks apart from the pink one": the ones left out stay where they are (not on top of it)
        return _every_block_but("stack", excluded_blocks(m.group(1), scene))
    m = re.fullmatch(r"(?:build|make|form) (?:a|one) stack"
                     r"(?: (?:of|with|from|out of|using) (?:all (?:of )?)?the blocks)? "
                     r"with (?:the )?(.+?) (?:at the bottom|as the base|at the base|on the bottom)", t) or \
        re.fullmatch(r"stack (?:up )?(?:all (?:of )?)?the blocks(?: up)?(?:,| with| using) (?:the )?(.+?) "
                     r"(?:at the bottom|as the base|at the base|on the bottom)", t) or \
        re.fullmatch(r"stack (?:up )?(?:all (?:of )?)?the blocks(?: up)?,? (?:starting|beginning) with "
                     r"(?:the )?(.+)", t)
    if m:
        base = object_ref(re.sub(r" one$", " block", m.group(1)), scene, kind="block")
        return f"stack(blocks, {base})" if base else None
    return None  # towers of named blocks: phrase_groups.named_stack_goal (it checks a stated size)


def _every_block_but(relation: str, left_out: str | None, rest: str = "") -> str | None:
    """A line or stack of every block but those left out, which stay where they are; None when none was read."""
    if not left_out:
        return None
    return f"all({relation}(blocks except {left_out}{rest}), unchanged({', '.join(excluded_names(left_out))}))"


def split_clauses(t: str) -> list[str]:
    # "both the cyan block and the pink block" names one group: its "and" joins no clauses
    t = re.sub(r"\bboth (the [a-z]+ block) and (?=the [a-z]+ block\b)", r"both \1 &and ", t)
    parts = re.split(rf",? (?:and then|and after that|and afterwards|then|and also|and finally|and lastly|finally|"
                     rf"lastly|and|after that|"
                     rf"afterwards),? (?!{VERB} it\b)", t)
    # "A, B and C": a comma before another clause's referent ("…, the blue block in the purple bowl")
    parts = [q for p in parts for q in re.split(rf", (?=(?:{VERB} )?(?:the )?{COLOR} (?:block|one) )", p)]
    return [p.replace(" &and ", " and ") for p in parts if p]
