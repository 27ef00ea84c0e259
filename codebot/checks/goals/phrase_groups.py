"""Phrase-parser readings of more than one referent or more than one destination: named groups ("the red
and blue blocks", "both blocks", "all three blocks"), "them" for such a group, alternatives ("in the
yellow bowl or the purple bowl", "in either bowl"), some block ("a block", "any block") and towers of
named blocks. Each returns a spec text or None; none guesses: a group must name blocks the scene has,
a count must equal the scene's number of blocks, "either" needs exactly two bowls.
"""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_refs import (ANY_WILL_DO, COLOR, NUMBER_WORDS, PLACE, VERB, PhraseScene, anchor_ref,
                                              block_ref, clause, object_ref, target)

COLOUR_LIST = rf"{COLOR}(?: block)?(?:(?:,| and|, and) (?:the )?{COLOR}(?: block)?)+"
_GROUP_PLACES = r"(?:in|at|to|next to|beside|near|close to) "  # 'on X' for several blocks would be a pile


def named_blocks(text: str, scene: PhraseScene, kind: str = "block") -> list[str] | None:
    """'red, green and blue' / 'the red block and the blue block' -> the scene's blocks (or bowls) of those
    colours."""
    parts = [p.strip() for p in re.split(r",? and |, ", text) if p.strip()]
    names = []
    for part in parts:
        part = re.sub(r"^the |^both ", "", part)
        part = re.sub(rf" {kind}s?$", "", part)
        name = object_ref(part, scene, kind=kind)
        if not name or not name.endswith(kind) or name in names:
            return None
        names.append(name)
    return names if len(names) >= 2 else None


def whole_counts(t: str, scene: PhraseScene) -> str:
    """'both blocks' / 'all three blocks' / 'the four blocks' -> 'all the blocks' when the scene has exactly that
    many."""
    blocks = sum(1 for n in scene.names if n.endswith(" block"))

    def sub(m):
        n = 2 if m.group(1) is None else NUMBER_WORDS.get(m.group(1), int(m.group(1)) if m.group(1).isdigit() else 0)
        return "all the blocks" if n == blocks else m.group(0)
    return re.sub(r"\b(?:both|(?:all|the) (two|three|four|five|six|\d)) (?:of the )?blocks\b", sub, t)


def group_goal(t: str, scene: PhraseScene) -> str | None:
    if re.match(r"(?:stack|pile)\b", t):
        return None  # 'stack the red and blue blocks in the bowl' asks for a tower, not two blocks in it
    # "put the two leftmost blocks in the green bowl" (tuning pt1242): the first two from that side
    m = re.fullmatch(rf"(?:{VERB} )?the (two|three|[23]) (left|right|top|bottom)most blocks ({_GROUP_PLACES}.+)", t)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS[m.group(1)]
        if n >= sum(1 for name in scene.names if name.endswith(" block")):
            return None  # every block: said otherwise
        rels = [target(m.group(3), f"nth(blocks, {i}, {m.group(2)})", scene) for i in range(1, n + 1)]
        return f"all({', '.join(rels)}, unchanged(others))" if all(rels) else None
    # "put the red and the blue block in the same bowl, whichever" (tuning pt884): one bowl, any, holds them all
    m = re.fullmatch(rf"(?:{VERB} )?(?:both )?(?:the )?({COLOUR_LIST})s? (?:together )?in (?:the same bowl|one bowl"
                     rf"|a single bowl)(?: together)?{ANY_WILL_DO}?", t)
    if m:
        names = named_blocks(m.group(1), scene)
        if not names or sum(1 for n in scene.names if n.endswith(" bowl")) < 1:
            return None
        return f"exists(y in bowls: all({', '.join(f'in({n}, y)' for n in names)}))"  # as the tuning writer read it
    # "put the red, green and blue blocks in the red, green and blue bowls respectively" (tuning pt921)
    m = re.fullmatch(rf"(?:{VERB} )?(?:the )?({COLOUR_LIST})s? (in|on) (?:the )?({COLOUR_LIST}) (bowl|block)s?,? "
                     r"respectively", t)
    if m:
        names, places = named_blocks(m.group(1), scene), named_blocks(m.group(3), scene, kind=m.group(4))
        if not names or not places or len(names) != len(places):
            return None
        rels = [target(f"{m.group(2)} the {place}", name, scene) for name, place in zip(names, places)]
        return f"all({', '.join(rels)}, unchanged(others))" if all(rels) else None
    # "put the red and blue blocks in the bowl", "pick up the red and blue blocks and put them in the bowl"
    m = re.fullmatch(rf"(?:{VERB} )?(?:both )?(?:the )?({COLOUR_LIST})s?(?:,? (?:and|then|and then) (?:{VERB}) them)? "
                     rf"(?:(?:go|goes|should go|belong|need to go|must go) )?({_GROUP_PLACES}.+)", t)
    if m:
        names = named_blocks(m.group(1), scene)
        rels = [target(m.group(2), n, scene) for n in names] if names else []
        if rels and all(rels):
            return f"all({', '.join(rels)}, unchanged(others))"
        return None
    # "put the red block in the yellow bowl or the purple bowl"
    m = re.fullmatch(rf"(?:{VERB} )?(.+?) (in|at|on|next to|near|beside) (?:the )?(.+?) or "
                     rf"(?:(?:in|at|on|next to|near|beside) )?(?:the )?(.+?)"
                     rf"{ANY_WILL_DO}?", t)
    if m:
        subject = block_ref(m.group(1), scene)
        if subject is None:
            return None
        first = target(f"{m.group(2)} the {m.group(3)}", subject, scene)
        second = target(f"{m.group(2)} the {m.group(4)}", subject, scene)
        if first and second and first != second:
            return f"all(any({first}, {second}), unchanged(others))"
        return None
    # "put the pink block in a bowl of a different colour / in one of the bowls that doesn't match it"
    m = re.fullmatch(rf"(?:{VERB} )?(.+?) in(?:to)? (?:any bowl|any of the bowls|one of the bowls|a bowl|a "
                     rf"(?:different|differently) colou?red bowl|a bowl of (?:a different|another|some other) "
                     rf"colou?r)(?: (?:that|which) (?:is|s) (?:a )?(?:different|another) colou?r|(?: (?:that|which))? "
                     rf"(?:does not|doesn't|doesn t) match(?: it| its colou?r)?| of (?:a different|another) "
                     rf"colou?r)?(?: (?:from|than|to) (?:it|its own|the block|(the [a-z]+ block)))?{ANY_WILL_DO}?", t)
    if m and re.search(r"different|another|other colou?r|match", t[m.end(1):]):
        subject = block_ref(m.group(1), scene)
        if subject is None or (m.group(2) and block_ref(m.group(2), scene) != subject) or \
                not any(n.endswith(" bowl") and n.split()[0] != subject.split()[0] for n in scene.names):
            return None
        return f"all(exists(y in bowls: all(not(same_colour({subject}, y)), in({subject}, y))), unchanged(others))"
    # "put the blue block in either bowl / in any bowl / in one of the bowls"
    # "... in a bowl, but not the blue one": any bowl but that one
    m = re.fullmatch(rf"(?:{VERB} )?(.+?) in (either bowl|either of the bowls|any bowl|any of the bowls|"
                     rf"one of the bowls|a bowl|whichever bowl(?: you like| you want)?){ANY_WILL_DO}?"
                     rf"(?:,? (?:but not|but not in|except|other than|apart from|not) "
                     rf"(the {COLOR}(?: one| bowl)?))?", t)
    if m:
        subject = block_ref(m.group(1), scene)
        bowls = sum(1 for n in scene.names if n.endswith(" bowl"))
        excluded = object_ref(m.group(3).replace(" one", " bowl"), scene, kind="bowl") if m.group(3) else None
        if (subject is None or bowls < 2 + bool(m.group(3)) or (m.group(2).startswith("either") and bowls != 2)
                or (m.group(3) and not excluded)):
            return None
        where = f"bowls except {excluded}" if excluded else "bowls"
        return f"all(exists(y in {where}: in({subject}, y)), unchanged(others))"
    return None


# "…, just one of them though, not both" (the rewrites may have taken "just one" off: "…, of them though, not both")
NOT_BOTH = re.compile(r"(?:,? (?:but )?(?:(?:just |only )?one )?of them(?: though| only)?)?,? (?:but )?not both"
                      r"(?: of them)?$")


def either_block_goal(t: str, scene: PhraseScene) -> str | None:
    """One of two moves, either will do: 'put either the red block or the green block in the blue bowl, i don't
    care which', 'put the blue or the orange block in …' (tuning pt816, pt877), or two whole clauses joined by
    'or', the second maybe of the same block ("… or stack it on the gray block", "… or on the gray block")."""
    t = re.sub(rf"{ANY_WILL_DO}$", "", t)
    one_only = NOT_BOTH.search(t)
    t = t[:one_only.start()] if one_only else t
    m = re.fullmatch(rf"(?:{VERB} )?(?:either )?(the [a-z]+(?: block| one)?) or (the [a-z]+ (?:block|one)) "
                     r"((?:in|on|at|to|next to|near|beside) .+)", t)
    if m:
        first = m.group(1) if re.search(r" (?:block|one)$", m.group(1)) else f"{m.group(1)} block"
        names = [block_ref(first, scene), block_ref(m.group(2), scene)]
        rels = [target(m.group(3), name, scene) for name in names] if all(names) and names[0] != names[1] else []
        if one_only and all(rels):  # "…, just one of them though, not both" (tuning pt1601)
            rel = target(m.group(3), "x", scene)
            return f"all(count(x in [{names[0]}, {names[1]}]: {rel}) == 1, unchanged(others))" if rel else None
    elif one_only:
        return None
    else:
        m = re.fullmatch(rf"(?:either )?((?:{VERB} )?.+?),? or (?:else )?((?:{VERB} )?.+)", t)
        first = clause(m.group(1), scene, None) if m else None
        moved = re.match(r"[a-z_]+\(([a-z]+ block),", first[0]) if first else None
        second = m.group(2) if m else ""
        if moved:  # "... or stack it on the gray block" / "... or on the gray block": the same block (pt1515)
            second = re.sub(rf"^((?:{VERB} )?)it\b", rf"\1the {moved.group(1)}", second)
            second = re.sub(r"^(?=(?:in|on|onto|into|at|to|near|next to|beside) )", f"put the {moved.group(1)} ",
                            second)
            said = re.search(r"\b(in|on|onto|into|at|to|near|next to|beside) the [a-z ]+$", m.group(1))
            if said and second.startswith("the "):  # "… should go to the top left corner or the top right corner"
                second = f"put the {moved.group(1)} {said.group(1)} {second}"
        got = [first, clause(second, scene, None)] if first else []
        rels = [g[0] for g in got] if got and all(got) else []
    if len(rels) != 2 or not all(rels) or rels[0] == rels[1]:
        return None
    return f"all(any({rels[0]}, {rels[1]}), unchanged(others))"


def some_block_goal(t: str, scene: PhraseScene) -> str | None:
    """'put a block / any block / any one of the blocks in the yellow bowl' -> exists."""
    t = re.sub(r"\b(?:one|a) block, any (?:block|one),? ", "any block ", t)  # "get one block, any block, in …"
    t = re.sub(r",? any (?:block|one)(?: at all)? (?:will do|is fine|is ok|is okay|works)$", "", t)
    t = re.sub(r"\bany (?:one )?of the other blocks\b", "any other block", t)  # tuning pt1865's restatement
    # "put some other block on top of the red block, any one": a block but that one, on it
    m = re.fullmatch(rf"(?:{VERB} )?(?:(?:some|any|one) other|another) block (on|next to|near|beside) (.+?)"
                     r"(?:,? any one)?", t)
    anchor = object_ref(m.group(2), scene, kind="block") if m else None
    if anchor and anchor.endswith(" block"):
        rel = target(f"{m.group(1)} {m.group(2)}", "x", scene)
        return f"exists(x in blocks except {anchor}: {rel})" if rel else None
    m = re.fullmatch(rf"(?:{VERB} )?(?:(?:one|any one|a single|any) of the blocks|any block|a block) "
                     r"((?:in|on|at|to|next to|beside|near) .+)", t)
    if not m:
        return None
    rel = target(m.group(1), "x", scene)
    return f"exists(x in blocks: {rel})" if rel else None


def named_stack_goal(t: str, scene: PhraseScene) -> str | None:
    """'make a stack of the red and blue blocks' / 'stack the red, green and blue blocks' (a tower of
    exactly those, any order; a stated size must match)."""
    t = re.sub(r" (?:on|in) (?:one another|each other)$| up$", "", t)  # "pile the red and blue blocks on each other"
    # "(a) two-block stack in the bottom left corner, using the red and brown blocks" (tuning pt874, pt1190)
    t = re.sub(rf"^(?:(?:build|make|form|create|erect) )?(?:a |one )?(?P<size>(?:{_SIZE} )?)stack "
               rf"(?P<where>(?:in|on|at) [a-z ]+?),? (?:using|with|from|out of) "
               rf"(?P<names>the (?:{COLOUR_LIST})s?)(?=,|$)",
               r"make a \g<size>stack of \g<names> \g<where>", t)
    # "…, with the orange block serving as its base": that one at the bottom
    said = re.search(r",? with (?:the )?([a-z]+)(?: block| one)? (?:serving as|as|being) (?:its|the) base$"
                     r"|,? with (?:the )?([a-z]+)(?: block| one)? (?:at|on) the bottom$", t)
    bottom = object_ref(said.group(1) or said.group(2), scene, kind="block") if said else None
    if said and not (bottom and bottom.endswith(" block")):
        return None
    t = t[:said.start()] if said else t
    m = re.fullmatch(rf"(?:build|make|form) (?:a|one) (?:{_SIZE} )?stack "
                     rf"(?:of|with|from|out of|using) (?:the )?({COLOUR_LIST})s?(?: (?:in|on|at|into) (.+))?", t) or \
        re.fullmatch(rf"(?:stack|pile) (?:up )?(?:the )?()({COLOUR_LIST})s?(?: (?:in|on|at|into) (.+))?", t)
    if not m:
        return None
    names = named_blocks(m.group(2), scene)
    base = anchor_ref(m.group(3), scene) if m.group(3) else None
    if not names or m.group(3) and (base is None or base in names):
        return None  # on one of its own blocks: which is at the bottom is not said
    if base and base.endswith(" block") and bottom:
        return None  # a base said twice
    if m.group(1):
        size = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS[m.group(1)]
        if size != len(names):
            return None
    if bottom:  # the base said: on() when it leaves one order, and the base where the stack goes
        if bottom not in names:
            return None
        tower = f"on({names[1 - names.index(bottom)]}, {bottom})" if len(names) == 2 else \
            f"stack([{', '.join(names)}], {bottom})"
        where = f", {'in' if base.endswith(' bowl') else 'at'}({bottom}, {base})" if base else ""
        return f"all({tower}{where}, unchanged(others))"
    return f"all(stack([{', '.join(names)}]{', ' + base if base else ''}), unchanged(others))"


def two_stacks_goal(t: str, scene: PhraseScene) -> str | None:
    """Two towers of named blocks: 'make a stack of red and gray, and a separate stack of orange and pink' (tuning
    pt618); each read as named_stack_goal reads one, no block in both."""
    m = re.fullmatch(r"(.+?),? and (?:also )?(?:a|another|one more|a second|a separate)(?: separate)? stack "
                     r"((?:of|with|from|out of|using) .+)", t)
    if not m:
        return None
    stacks = [named_stack_goal(m.group(1), scene), named_stack_goal(f"make a stack {m.group(2)}", scene)]
    if not all(stacks):
        return None
    clauses = [spec[len("all("):-len(", unchanged(others))")] for spec in stacks]
    names = [set(re.findall(r"[a-z]+ block", clause)) for clause in clauses]
    return f"all({clauses[0]}, {clauses[1]}, unchanged(others))" if not names[0] & names[1] else None


_SIZE = r"(two|three|four|five|\d)[- ]block"
_BOTTOM = r"(?:on|at) the (?:very )?(?:bottom|base)|as the base|at the bottom|first|bottom|underneath|beneath"
_TOP = r"on (?:the )?(?:very )?top|at the (?:very )?top|up top|last|top"
_MIDDLE = r"in the middle|in between|next|second|middle"


def ordered_stack_goal(t: str, scene: PhraseScene) -> str | None:
    """A tower in a stated order: 'make a stack with green on the bottom, blue in the middle and red on top',
    'stack the red and green blocks with red on top', 'a stack with green first, then blue, then red'. Read
    only when the order is complete: one bottom and/or one top, and the rest either one block or in a 'then'
    sequence; the spec is the on() pairs from the bottom up."""
    # "one pile, purple block on the bottom, then gray, …" (tuning pt1188); "put the purple block on the bottom, then
    # the gray block, and finally the cyan block on the top" (its restatement)
    t = re.sub(r"^(?:one|a single) (?:stack|pile)[,:] ", "make a stack with ", t)
    # "tower time: green on the bottom, …", "stack them up: yellow at the bottom, then pink, with cyan on top"
    every = re.match(r"stack them(?: all)? up[,:] ", t) is not None  # "them": every block, so the order must name all
    t = re.sub(r"^(?:(?:tower|stack|stacking) time|stack them(?: all)? up)!*[,:] ", "make a stack with ", t)
    t = re.sub(r"^put (the [a-z]+ block (?:on|at) the bottom),? then ", r"make a stack with \1, then ", t)
    t = re.sub(r",? and finally |,? finally ", " then ", t)
    # "stack the cyan block and the brown block, with the cyan block underneath, over in the top left corner" (tuning
    # pt1979): the place said last
    t = re.sub(rf"^(stack [a-z ]+?),? (with [a-z ]+?),? (?:over )?((?:in|on|at) the (?:[a-z]+ bowl|{PLACE}))$",
               r"\1 \3 \2", t)
    m = re.fullmatch(rf"(?:(?:build|make|form|create) (?:a|one) (?:{_SIZE} )?stack|stack)"
                     rf"(?: (?:of|with|from|out of|using)? ?(?:the )?(?P<named>{COLOUR_LIST})s?)?"
                     rf"(?: (?P<place>(?:in|on|at) the (?:[a-z]+ bowl|{PLACE})))?(?: with|,|:)? (?P<parts>.+)", t)
    if not m:
        return None
    named = named_blocks(m.group("named"), scene) if m.group("named") else []
    size = m.group(1) and (int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS[m.group(1)])
    if named is None or (size and named and size != len(named)):  # "a two-block stack" of three named blocks
        return None
    roles: dict[str, list[str]] = {"bottom": [], "top": [], "rest": []}
    for part in re.split(r"(?:,? and then|,? then|,? and|,) ", m.group("parts")):
        p = re.fullmatch(rf"(?:(?:put|place|with) )?(?:the )?({COLOR})(?: block| one)?"
                         rf"(?: ({_BOTTOM})| ({_TOP})| ({_MIDDLE}))?", part)
        name = object_ref(p.group(1), scene, kind="block") if p else None
        if not name or not name.endswith("block") or (named and name not in named):
            return None
        roles["bottom" if p.group(2) else "top" if p.group(3) else "rest"].append(name)
    roles["rest"] += [n for n in named if n not in roles["bottom"] + roles["top"] + roles["rest"]]
    order = roles["bottom"] + roles["rest"] + roles["top"]
    sequenced = " then " in f" {m.group('parts')} "
    if named and len(roles["bottom"]) == 1 and not roles["top"] and len(roles["rest"]) > 1 and not sequenced:
        return f"all(stack([{', '.join(named)}], {roles['bottom'][0]}), unchanged(others))"  # the base alone said
    if sequenced and not (roles["bottom"] or roles["top"]) and ": " in t:
        roles["bottom"] = [order[0]]  # "build a stack: red, then blue, then green": built from the bottom up
    if (len(roles["bottom"]) > 1 or len(roles["top"]) > 1 or not (roles["bottom"] or roles["top"])
            or (len(roles["rest"]) > 1 and not sequenced) or len(order) < 2 or len(set(order)) != len(order)):
        return None
    if (size and size != len(order)) or (every and len(order) != sum(n.endswith(" block") for n in scene.names)):
        return None
    pairs = [f"on({upper}, {lower})" for lower, upper in zip(order, order[1:])]
    if m.group("place"):  # "build a two-block stack in the cyan bowl, gray on the bottom …" (tuning pt1070)
        where = target(m.group("place"), order[0], scene)
        if not where or where.startswith("on("):
            return None
        pairs.append(where)
    return f"all({', '.join(pairs)}, unchanged(others))"


EXCEPT = r"(?:except|but|other than|apart from|save|excluding)(?: for)?"


def excluded_blocks(text: str, scene: PhraseScene) -> str | None:
    """'the pink one' -> 'pink block'; 'the blue and green ones' -> '[blue block, green block]'."""
    several = named_blocks(re.sub(r" ones$", "", text), scene)
    if several:
        return f"[{', '.join(several)}]"
    text = text.replace(" one", " block")
    name = object_ref(text if " " in text else f"{text} block", scene, kind="block")  # "except yellow"
    if name and name.endswith(" block"):
        return name
    chosen = block_ref(text, scene)  # "all but the leftmost block": a block chosen by where it is (tuning pt1677)
    return f"[{chosen}]" if chosen and "(" in chosen else None


def excluded_names(excluded: str) -> list[str]:
    """excluded_blocks' answer as a list: '[red block, nth(blocks, 1, left)]' -> ['red block', 'nth(...)']."""
    if not excluded.startswith("["):
        return [excluded]
    names, depth, start = [], 0, 1
    for i, ch in enumerate(excluded[1:-1], 1):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            names.append(excluded[start:i].strip())
            start = i + 1
    return names + [excluded[start:-1].strip()]


_THE_REST = (r"(?:the other blocks|all the other blocks|every other block|the rest(?: of the blocks)?|"
             r"the remaining blocks|all the rest|the others|all the others)")


def the_rest_goal(t: str, protected: str, scene: PhraseScene) -> str | None:
    """After "don't touch the brown block, but" / "leave the yellow block where it is and": every other block
    somewhere, or in one stack; the protected one stays put."""
    if not protected.endswith(" block"):
        return None
    others = sum(1 for n in scene.names if n.endswith(" block")) - 1
    # "stack the other two" (tuning pt861): the other blocks, when the number says all of them
    t = re.sub(rf"\bthe other ({'|'.join(NUMBER_WORDS)}|\d)(?: blocks| ones)?\b",
               lambda m: "the other blocks" if NUMBER_WORDS.get(m.group(1), m.group(1)) in (others, str(others))
               else m.group(0), t)
    # "stack all the blocks except the purple block and leave the purple block where it is" (tuning pt1300)
    m = re.fullmatch(rf"(?:stack|pile) (?:up )?(?:{_THE_REST}|all (?:of )?the blocks {EXCEPT} (?:the )?([a-z]+)"
                     r"(?: block| one)?)(?: up)?(?: (?:on|in) (?:each other|one another))?", t)
    if m and (m.group(1) is None or object_ref(f"{m.group(1)} block", scene, kind="block") == protected):
        return f"all(stack(blocks except {protected}), unchanged({protected}))"
    # "line up the other blocks in a vertical line" / "line up all the blocks except the brown block vertically"
    # (tuning pt906): a line of every block but the protected one
    m = re.fullmatch(rf"line up (?:{_THE_REST}|all (?:of )?the blocks {EXCEPT} (?:the )?([a-z]+)(?: block| one)?) "
                     r"(?:in a (horizontal|vertical|diagonal) line|(horizontal|vertical|diagonal)ly)", t)
    if m and (m.group(1) is None or object_ref(f"{m.group(1)} block", scene, kind="block") == protected):
        return f"all(line(blocks except {protected}, {m.group(2) or m.group(3)}), unchanged({protected}))"
    # "all blocks in the red bowl, leave the cyan block alone" (tuning pt1210): all blocks but the one kept
    # "all the blocks except the red block in the green bowl and keep the red block in its place" (tuning pt1007)
    m = re.fullmatch(rf"(?:{VERB} )?(?:{_THE_REST}|all (?:of )?the blocks|all blocks)(?: {EXCEPT} (?:the )?([a-z]+)"
                     r"(?: block| one)?)? (?:(?:go|goes|should go|must go|belong) )?((?:in|on|at|to) .+)", t)
    if m and m.group(1) and object_ref(f"{m.group(1)} block", scene, kind="block") != protected:
        return None
    rel = target(m.group(2), "x", scene) if m else None
    return f"all(forall(x in blocks except {protected}: {rel}), unchanged({protected}))" if rel else None


def pair_said_twice(t: str) -> str:
    """'put the red and blue blocks in the yellow bowl and keep the green block out of it' (tuning pt1364's
    restatement): two named blocks put in one bowl, said as a clause each, so that a clause after them can lean on
    the bowl. Only "in" a bowl: two blocks "on" one thing would be a pile."""
    return re.sub(rf"^({VERB}) (?:both )?(?:the )?({COLOR})(?: block)? (?:and|&) (?:the )?({COLOR}) blocks? "
                  r"(?:in|into) (the [a-z]+ bowl)(?= and | then |, )",
                  r"\1 the \2 block in \4 and \1 the \3 block in \4", t)


def every_block_goal(except_text: str | None, target_text: str, scene: PhraseScene) -> str | None:
    """Every block (but one) to a target; None unless both read completely."""
    rel = target(target_text, "x", scene)
    if rel is None:
        return None
    if except_text is None:
        return f"forall(x in blocks: {rel})"
    excluded = excluded_blocks(except_text, scene)  # "the red one" / "the red and blue ones"
    if excluded is None:
        return None
    names = excluded_names(excluded)
    nots = ", ".join(f"not({target(target_text, name, scene)})" for name in names)
    return f"all(forall(x in blocks except {excluded}: {rel}), {nots})"
