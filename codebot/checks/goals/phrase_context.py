"""Phrase-parser readings that lean on the clause before: "the same bowl" / "there" (where that clause put its
object), "it" beside a direction word (that clause's anchor), "the opposite corner" (across from the corner
that clause named), a block kept out of "it" (the bowl that clause filled), "… and the blue one too" (that clause's
relation again), "the other block" / "the other bowl" of two, "the rest of the blocks", a bowl kept empty, and "that
stack" (where the tower's base goes). Each takes the clause text and the relations read so far, and returns the
clause in plain words or as a relation, or says it is ambiguous."""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_refs import VERB, PhraseScene, block_ref, except_set, object_ref, target


def same_place(part: str, relations: list[str]) -> str:
    """'the same bowl' / 'that bowl' / 'there' / 'in with it' after a clause that put something in or on a named object
    or at a place: that object or place ('... and the green block in the same bowl', '... then put the red block
    there', '... then put the red block in with it')."""
    m = re.fullmatch(r"(in|on|at)\([^,()]+, ([a-z ]+)\)", relations[-1]) if relations else None
    if not m:
        return part
    prep, where = m.groups()
    said = part
    if where.endswith(" bowl"):
        moved = re.match(r"[a-z]+\(([a-z]+) block", relations[-1]).group(1)
        part = re.sub(rf"\bthe same bowl as (?:the )?{moved}(?: one| block)?$", f"the {where}", part)
        part = re.sub(r"\b(?:the same bowl|that bowl|that same bowl)\b", f"the {where}", part)
        # "... put the red block in with it": in the bowl the block just moved went into (fresh batch pt1525)
        part = re.sub(rf"\bin (?:there )?with (?:it|the {moved}(?: one| block)?)$", f"in the {where}", part)
    part = re.sub(r"\b(?:in |on |at )?there\b", f"{prep} the {where}", part)
    return part if part == said else re.sub(r" (?:too|as well|also)$", "", part)


def direction_it(part: str, relations: list[str]) -> str:
    """'the yellow block left of the red bowl and the green block right of it': "it" beside a direction word,
    after a clause that placed a block by direction from a named object, is that object (two tuning writers
    of two batches, pt948 and pt1109, meant it so)."""
    before = re.fullmatch(r"(?:left_of|right_of|above|below)\([a-z]+ (?:block|bowl), ([a-z]+ (?:block|bowl))"
                          r"(?:, .*)?\)", relations[-1]) if relations else None
    if not before or re.match(rf"(?:(?:{VERB}) )?it\b", part):
        return part
    return re.sub(r"\b((?:left|right) of|above|below) it$", rf"\1 the {before.group(1)}", part)


def ambiguous_it(part: str, relations: list[str]) -> bool:
    """'… the red block left of the green bowl and the blue block right of it': "it" after a clause that placed
    one named object beside another may mean either (after 'in the yellow bowl' or 'on the green block', the
    tuning set's writers all meant the moved block); a clause whose own subject is "it" means the moved one."""
    before = re.fullmatch(r"(?:left_of|right_of|above|below|near)\([a-z]+ (?:block|bowl), [a-z]+ (?:block|bowl)"
                          r"(?:, .*)?\)", relations[-1]) if relations else None
    return bool(before) and bool(re.search(r"\b(?:of|to|from|near|beside|by|on|onto|in|into|above|below|under) it\b",
                                           part)) and not re.match(rf"(?:(?:{VERB}) )?it\b", part)


_ACROSS = {"top": "bottom", "bottom": "top", "left": "right", "right": "left"}


def opposite_place(part: str, relations: list[str]) -> str:
    """'… the purple block in the top left corner and the brown block in the opposite corner' (tuning pt958): after a
    clause that put something at a corner or a side, "the opposite corner / side" is the one across from it (a
    corner's diagonal opposite)."""
    before = re.fullmatch(r"at\(([^,()]+), ((?:top|bottom) (?:left|right) corner|(?:top|bottom|left|right) side)\)",
                          relations[-1]) if relations else None
    if not before:
        return part
    kind = before.group(2).rsplit(" ", 1)[1]
    across = " ".join(_ACROSS.get(word, word) for word in before.group(2).split())
    if kind == "corner":  # "put the orange block diagonally opposite (it / the green block)" (tuning pt1700)
        it = rf"(?:it|the {before.group(1)})"
        part = re.sub(rf"\b(?:(?:at|in|to) the (?:one )?)?diagonal(?:ly)? opposite(?: corner| (?:to |from )?{it})?$",
                      f"at the {across}", part)
    other = "|other" if kind == "side" else ""  # of four corners, "the other corner" could be any of three
    return re.sub(rf"\bthe (?:opposite|diagonally opposite{other}) {kind}(?: diagonally| across from it)?$",
                  f"the {across}", part)


def kept_out(part: str, relations: list[str], scene: PhraseScene) -> str | None:
    """'… and keep the green block out of it' / '… and the green block stays out of that bowl' (tuning pt1085):
    after a clause that put a block in a bowl, that bowl ("it", "that bowl") or one named: the block is not in
    it."""
    m = re.fullmatch(r"(?:keep|leave) (the [a-z]+ block) out of (it|that bowl|the [a-z]+ bowl)|(the [a-z]+ block) "
                     r"(?:stays?|should stay|must stay|remains?) out of (it|that bowl|the [a-z]+ bowl)", part)
    if not m or not relations:  # alone, "keep the red block out of the bowl" asks for nothing to be done
        return None
    block = object_ref(m.group(1) or m.group(3), scene, kind="block")
    bowl = said_bowl(m.group(2) or m.group(4), relations, scene)
    if not block or not block.endswith(" block") or not bowl:
        return None
    return f"not(in({block}, {bowl}))"


def said_bowl(said: str, relations: list[str], scene: PhraseScene) -> str | None:
    """The bowl "it" / "that bowl" means (the one the clause before put a block in), or the bowl named."""
    if said in ("it", "that bowl"):
        before = re.fullmatch(r"in\([^,()]+, ([a-z]+ bowl)\)", relations[-1]) if relations else None
        return before.group(1) if before else None
    bowl = object_ref(said, scene, "bowl")
    return bowl if bowl and bowl.endswith(" bowl") else None


def beside_stack(part: str, relations: list[str]) -> str:
    """'… gray block on the purple block, then the orange block right next to that stack' (tuning pt1123): beside
    (never on) the tower the clause before built, which stands where its base does."""
    before = re.fullmatch(r"on\([a-z]+ block, ([a-z]+ block)\)", relations[-1]) if relations else None
    if not before:
        return part
    return re.sub(r"\b(next to|beside|near|close to|by|left of|right of|above|below) (?:that|this|the)"
                  r"(?: little| small| whole)? (?:stack|tower|pile)$", rf"\1 the {before.group(1)}", part)


def emptied_after(t: str, scene: PhraseScene) -> tuple[str, str] | None:
    """(the goal said before it, the bowl) for a whole-scene goal followed by a bowl kept empty: "put the blocks in
    the bowls and keep the yellow bowl empty", "put all the blocks in the blue bowl, leaving the pink bowl empty"
    (the LLM's restatements of tuning pt976 and pt1227)."""
    m = re.fullmatch(r"(.+?),? (?:and (?:then )?|but )?(?:keep|leave|keeping|leaving) (the [a-z]+ bowl) empty", t)
    bowl = object_ref(m.group(2), scene, kind="bowl") if m else None
    return (m.group(1), bowl) if bowl and bowl.endswith(" bowl") else None


def same_again(part: str, relations: list[str], last: str | None, scene: PhraseScene) -> tuple[str, str] | None:
    """'... and the blue one too' / '... and do the same with the blue block': the last clause's relation again,
    on another block."""
    m = re.fullmatch(r"do the same (?:with|for|to) (.+)|(.+?) (?:too|as well)", part)
    subject = block_ref(m.group(1) or m.group(2), scene) if m and relations and last else None
    if subject is None or subject == last:
        return None
    again = re.sub(rf"^(\w+)\({re.escape(last)}, ", rf"\1({subject}, ", relations[-1])
    return (again, subject) if again != relations[-1] and last not in again.split(", ", 1)[0] else None


def the_other(part: str, last: str | None, scene: PhraseScene) -> tuple[str, str] | None:
    """'... and the other block in the blue bowl' in a scene of two blocks: every block but the one just moved
    (a relation the spec states, so it names no block the instruction does not)."""
    m = re.fullmatch(rf"(?:{VERB} )?the other (?:block|one) (.+)", part)
    if not m or not last or sum(1 for n in scene.names if n.endswith(" block")) != 2:
        return None
    rel = target(m.group(1), "x", scene)
    return (f"forall(x in {except_set('blocks', [last])}: {rel})", last) if rel else None


def the_rest(part: str, moved: list[str], scene: PhraseScene) -> tuple[str, str] | None:
    """'red block in the red bowl, and the rest of the blocks in the gray bowl': every block the clauses before
    did not move."""
    m = re.fullmatch(rf"(?:{VERB} )?(?:the rest(?: of the blocks)?|all the others|all the other blocks|the other "
                     r"blocks|every other block|the remaining blocks)(?: (?:go|goes|should go|belong))? (.+)", part)
    done = [name for name in dict.fromkeys(moved) if name and name.endswith(" block")]
    if not m or not done:
        return None
    rel = target(m.group(1), "x", scene)
    return (f"forall(x in {except_set('blocks', done)}: {rel})", done[-1]) if rel else None


def kept_empty(part: str, relations: list[str], moved: list[str], scene: PhraseScene) -> str | None:
    """'keep the green bowl empty' / 'don't let any other block end up in that bowl': no block (but the ones the
    clauses before put there) in that bowl."""
    m = re.fullmatch(r"(?:keep|leave) (the [a-z]+ bowl) empty", part) or re.fullmatch(
        r"(?:don't|do not) (?:let|put) any (other )?blocks? (?:end up |go |get )?in(?:to)? "
        r"(that bowl|it|the [a-z]+ bowl)", part)
    if not m:
        return None
    bowl = said_bowl(m.group(m.lastindex), relations, scene)
    if not bowl:
        return None
    if m.lastindex == 1:  # every block kept out
        return None if any(f", {bowl})" in r for r in relations) else f"forall(x in blocks: not(in(x, {bowl})))"
    if not m.group(1) or not moved:
        return None  # "any block" after a clause that put one there contradicts it; "other" needs one before
    return f"forall(x in {except_set('blocks', moved)}: not(in(x, {bowl})))"


def that_stack(part: str, relations: list[str], scene: PhraseScene) -> tuple[str, str] | None:
    """'… green on yellow, and put that little stack in the top right corner': after on(a, b), where the tower
    goes is where its base b goes (a stays on it: the on() already says so)."""
    m = re.fullmatch(r"(?:(?:put|move|place|set|slide|take|bring|have) )?(?:that|this|the)(?: little| small| whole)? "
                     r"(?:pile|stack|tower|thing)(?: of blocks)? ((?:in|at|on|to) .+)|(?:put |move )?both (?:of them|"
                     r"(the [a-z]+ block and the [a-z]+ block)) ((?:in|at|to) .+)", part)
    before = re.fullmatch(r"on\(([a-z]+ block), ([a-z]+ block)\)", relations[-1]) if relations and m else None
    if not before:
        return None
    if m.group(2) and sorted(re.findall(r"[a-z]+ block", m.group(2))) != sorted(before.groups()):
        return None  # "both the X and the Y" names the two blocks of that tower (tuning pt1120), or it is not read
    rel = target(re.sub(r"^on (?=the (?:top|bottom|left|right) side)", "at ", m.group(1) or m.group(3)),
                 before.group(2), scene)
    return (rel, before.group(2)) if rel and not rel.startswith("on(") else None


def the_other_bowl(part: str, relations: list[str], scene: PhraseScene) -> tuple[str, str] | None:
    """'… the cyan block in the purple bowl and the pink block in the other one' in a scene of two bowls: the bowl
    the clauses before did not name, said as a relation the spec states (every bowl but that one), so it names no
    bowl the instruction does not (tuning pt1577)."""
    m = re.fullmatch(rf"(?:{VERB} )?(.+?) in the other (?:bowl|one)", part)
    bowls = [n for n in scene.names if n.endswith(" bowl")]
    named = {b for r in relations for b in re.findall(r"[a-z]+ bowl", r)}
    block = block_ref(m.group(1), scene) if m and len(bowls) == 2 and len(named) == 1 else None
    if not block or not block.endswith(" block"):
        return None
    return f"exists(y in bowls except {named.pop()}: in({block}, y))", block


_PLACED = re.compile(r"(in|on|at)\(([a-z]+ block), ([a-z ]+)\)")
_LATER = re.compile(r"\b(?:then|after that|afterwards|next|later|finally)\b")


def last_placement(relations: list[str], t: str) -> list[str] | None:
    """A block put in (on, at) one place and later in (on, at) another ends where it was put last: "move the yellow
    block to the green bowl, after that shift it over to the blue bowl" (fresh batch s24 pt2005's restatement); said
    with no word of time between the two, they contradict each other and the text stays unread."""
    placed: dict[tuple[str, str], int] = {}
    dropped = set()
    for i, relation in enumerate(relations):
        m = _PLACED.fullmatch(relation)
        if not m:
            continue
        earlier = placed.get((m.group(1), m.group(2)))
        if earlier is not None and relations[earlier] != relation:
            if not _LATER.search(t):
                return None
            dropped.add(earlier)
        placed[(m.group(1), m.group(2))] = i
    return [r for i, r in enumerate(relations) if i not in dropped]
