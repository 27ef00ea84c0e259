"""A deterministic reading of common tabletop phrasings into goal specs, tried after the task
templates and before the LLM writer.

It covers what people say most: one object to a place, bowl, block or offset ("put the red block 10 cm
left of the blue bowl"), referents by colour, nearness, ordinal or side ("the second block from the
left", "whichever block sits right of the red bowl"), two clauses joined by "and"/"then", every block
(but one) somewhere, counts ("at least two blocks"), stacks, lines, distinct corners, matching and
mismatched bowls, and "leave the rest alone". Anything it cannot read completely returns None, so a
half-understood instruction never becomes a spec: the LLM writer (and its validation) takes over.
The input is `normalize_instruction`'s output (lower case, synonyms already mapped). Around it:
phrase_forms.py maps everyday wordings onto the ones read here (politeness, verb synonyms, fronted
targets, place and selector word orders), phrase_refs.py reads referents, targets and clauses, and
phrase_groups.py reads named groups, "them", alternatives, "a block" and towers of named blocks, and
phrase_wholes.py whole-scene goals (lines, matching bowls, stacks of every block) and the clause splitter,
phrase_protect.py the named objects an instruction keeps where they are, phrase_context.py what a clause means by
the clause before it ("the same bowl", "the opposite corner"), phrase_tails.py tails that say a thing again, and
phrase_frames.py, the last try, one or two moves wrapped in courtesy and filler said again in this parser's words.
"""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_context import (ambiguous_it, beside_stack, direction_it, emptied_after, kept_empty,
                                                 kept_out, last_placement, opposite_place, same_again, same_place,
                                                 that_stack, the_other, the_other_bowl, the_rest)
from codebot.checks.goals.phrase_counts import (ANY_ONES, COMPARISON_OPS, COMPARISON_WORDS, COUNT_RANGE,
                                                count_pair_goal, count_range_goal, outside_count_goal, per_bowl_forms)
from codebot.checks.goals.phrase_forms import rewrite
from codebot.checks.goals.phrase_frames import frame_restatement
from codebot.checks.goals.phrase_groups import (COLOUR_LIST, EXCEPT, either_block_goal, every_block_goal, group_goal,
                                                named_stack_goal, ordered_stack_goal, pair_said_twice, some_block_goal,
                                                the_rest_goal, two_stacks_goal, whole_counts)
from codebot.checks.goals.phrase_refs import (ANY_WILL_DO, COLOR, NUMBERS, PLACE, VERB, PhraseScene, block_ref, clause,
                                              except_set, object_ref, target)
from codebot.checks.goals.phrase_protect import every_block_but_kept, protected_readings
from codebot.checks.goals.phrase_speech import sentence_forms, spoken_forms
from codebot.checks.goals.phrase_tails import (far_restated, measure_after, not_inside, others_free,
                                               without_others_kept)
from codebot.checks.goals.phrase_wholes import ALL_BLOCKS, MATCHING, set_goal, split_clauses, stack_goal
from codebot.primitives.protocols import ObjectInfo

_KEEP_OTHERS = (r"(?:,? and then |,? and |,? but |,? )(?:(?:nothing else|no other object) (?:should|must|may|can|will|"
                r"needs to|has to|is to) (?:move|be moved|change|have moved|have been moved|have changed)"
                r"|(?:leave|keep) (?:everything else|the rest|"
                r"the others|the other ones|all else|all the rest|every other object|the other objects)"
                r"(?: of the objects)?"
                r"(?: alone|(?: exactly| just)? where (?:it is|they are)| as (?:it is|they are)| untouched| in place)?"
                r"|(?:do not|don't|never) (?:touch|move|disturb) (?:anything|anything else|everything else|the rest|"
                r"the others|any other objects?|any of the other objects)"
                r"|without (?:touching|moving|disturbing|shifting) (?:anything|anything else|the rest|the others)"
                r"|(?:and )?nothing else(?: (?:moves|has moved|has shifted|should move|changes|has changed))?"
                r"|(?:the )?(?:rest|others|other ones) (?:untouched|stays?(?: put)?|unchanged|alone)"
                r"|(?:leaving|while leaving) (?:all )?(?:the )?(?:other objects|everything else|the rest|others) "
                r"(?:undisturbed|untouched|alone|where (?:it is|they are))|(?:just|only) that one,? "
                r"(?:and nothing else|the other ones stay|the others stay)|nobody else has moved(?: at all)?"
                r"|(?:and )?every other thing (?:exactly )?where it was"
                r"|while ensuring that the remaining objects retain their positions)$")
_KEEP_BLOCKS = (r"(?:,? and |,? but |,? )(?:(?:leave|keep) (?:the other blocks|every other block)"
                r"(?: alone| where they are| where it is| as they are"
                r"| untouched)?|(?:do not|don't|never) (?:touch|move) the other blocks|without (?:touching|moving) "
                r"the other blocks)$")
_KEEP_BOWLS = (r"(?:,? and |,? but |,? )(?:(?:(?:do not|don't|never) (?:touch|move)|without (?:touching|moving)) "
               r"the bowls|(?:leave|keep) the bowls(?: alone| where they are| as they are| untouched| in place)?)$")


# a stack verb with a place beside something: the tower would be dropped from a reading of the place alone
STACKED_BESIDE = re.compile(r"^(?:stack|pile)\b.*?\b(?:around|near|next to|beside|close to|left of|right of|above|"
                            r"below)\b")


def clean_text(text: str) -> str:
    """Lower case, politeness and fillers off, wordings mapped onto the ones this parser reads."""
    t = text.strip().lower()
    t = re.sub(r"[.!?]+$", "", t)
    t = re.sub(r"! ", ", ", t)  # "hey there! could you …"
    t = sentence_forms(t)
    t = re.sub(r"^(?:please |could you |can you |would you |now |then |go ahead and |go and |go )+", "", t)
    t = re.sub(r",? please$", "", t)
    t = re.sub(r"\s+", " ", t)
    t = t.replace(" of the table", "").replace("on top of", "on").replace("onto", "on").replace("into", "in")
    t = re.sub(r"\b(?:atop|upon)\b", "on", t).replace("the table's ", "the ")
    t = re.sub(r"\bat (?:the )?top of ((?:the )?[a-z]+ block)\b", r"on \1", t)  # of a block, not a bowl (tuning pt1462)
    # "center the purple block (on the table)": it goes to the middle
    t = re.sub(r"^(?:center|centre) (the [a-z]+ (?:block|one))(?: on the table| on the board)?$",
               r"put \1 in the middle", t)
    t = re.sub(r"\b((?:stack|pile) .+?) on (?:each other|one another)\b", r"\1", t)  # tuning pt1585
    t = re.sub(r"\b(in|at|on|near|next to) either (?=the [a-z ]+ or )", r"\1 ", t)  # "at either the A or the B"
    t = re.sub(r"\bany one of the bowls\b", "any bowl", t)
    # "in a bowl, just not the red one", "in one of the bowls - just not the pink one" (tuning pt1921)
    t = re.sub(r"\b(a bowl|any bowl|one of the bowls)(?:,| -+| –)? (?:just|only) not\b", r"\1, but not", t)
    # "the leftmost one" of blocks: "move the leftmost block on the rightmost one"
    t = re.sub(r"\b(the (?:left|right|top|bottom)most (block|bowl)\b.*\bthe (?:left|right|top|bottom)most) one\b",
               r"\1 \2", t)
    t = re.sub(r"\bin the bowl (?=(?:of|in|with) (?:a|another) different colou?r\b)", "in a bowl ", t)  # pt1499's
    t = t.replace("inside of", "in").replace("inside", "in").replace("centre", "middle").replace("center", "middle")
    t = re.sub(r"\b(top|bottom)-(left|right)\b", r"\1 \2", t)
    # "in a straight left-to-right row" -> "in a straight row from left to right"
    t = re.sub(r"\bin an? ((?:straight |single )?)(left|right|top|bottom)[- ]to[- ](left|right|top|bottom) "
               r"(row|line|column)\b", r"in a \1\4 from \2 to \3", t)
    t = re.sub(r"\b(?:winds?|wound) up (?=(?:in|on|at|next to|near)\b)", "end up ", t)  # "wind up in a bowl" (pt1814)
    t = re.sub(r"\b(?<!end )(?<!ends )(?:over|across|down|up|back) (to|on|in|at)\b", r"\1", t)
    t = re.sub(r"\b(set|put|place|drop) (the (?:[a-z]+ )?(?:block|one|bowl)) (?:down|off)\b", r"\1 \2", t)
    t = re.sub(r"\b(set|put|place|drop|lay) it (?:back )?down\b", r"\1 it", t)
    t = spoken_forms(t)
    t = re.sub(r"\s*(?:->|→|=>)\s*(?:(in|on) (?=the ))?", lambda m: f" {m.group(1) or 'to'} ", t)  # "X -> (in)to Y"
    t = re.sub(r"\ball the way (?=(?:to|over to|across to|up to|down to)\b)", "", t)
    # "needs to be moved to …" / "has to be put on …": where it should go
    t = re.sub(r"\b(?:should|must|needs to|has to|ought to|is to) be (?:moved|put|placed|set|taken|brought|dropped|"
               r"stacked|deposited|positioned)\b", "should go", t)
    # "should be sitting / resting in …": where it should be
    t = re.sub(r"\b(should|must|needs to|has to|ought to) be (?:sitting|resting|lying|standing|located)\b", r"\1 be", t)
    return re.sub(r"\b(corner|side) one\b", r"\1", rewrite(t))  # "… the pink cube to the top right one" (pt1832)


def _quantified_goal(t: str, scene: PhraseScene) -> str | None:
    # "put exactly two blocks in the yellow bowl and keep the red block out of it": that count, and not that block
    m = re.fullmatch(r"(.+?) and (?:keep|leave) (the [a-z]+ block) out of (?:it|that bowl|(the [a-z]+ bowl))", t)
    count = _quantified_goal(m.group(1), scene) if m else None
    held = re.fullmatch(r"count\(x in blocks: in\(x, ([a-z]+ bowl)\)\) [<>=!]+ \d+", count or "")
    block = object_ref(m.group(2), scene, kind="block") if held else None
    if held and block and block.endswith(" block") and (not m.group(3) or object_ref(m.group(3), scene) == held[1]):
        return f"all({count}, not(in({block}, {held[1]})))"
    # "put all the blocks in bowls, but keep the yellow block out of the red bowl" (tuning pt1906): every block in
    # some bowl, that one not in that bowl (a bowl named: "it" has no one bowl to mean)
    every = count if m and m.group(3) and count == "forall(x in blocks: exists(y in bowls: in(x, y)))" else None
    block = object_ref(m.group(2), scene, kind="block") if every else None
    bowl = object_ref(m.group(3), scene) if every else None
    if block and bowl and block.endswith(" block") and bowl.endswith(" bowl"):
        return f"all({every}, not(in({block}, {bowl})))"
    # "all but the green block go in …" / "put the blocks, except for the blue one, in …"
    t = re.sub(rf"^((?:{VERB} )?)all but (?=the {COLOR} (?:block|one)s?\b)", r"\1all the blocks except ", t)
    t = re.sub(rf"^((?:{VERB} )?{ALL_BLOCKS}), ({EXCEPT} [a-z ]+?), (?=(?:in|on|at|to) )", r"\1 \2 ", t)
    # "every bowl gets exactly one block", "no bowl should be left empty", "so each bowl has exactly two"
    t = re.sub(r"^(?:make sure |ensure )?(?:that )?(?:every|each) bowl (?:gets|has|holds|contains|ends up with|"
               r"should (?:get|have|hold|contain)|must (?:get|have|hold|contain)) (?:exactly |precisely )?"
               r"(one|a single|two|three|\d) blocks?(?: in it)?$", r"put exactly \1 block in each bowl", t)
    t = re.sub(r"^(?:make sure )?no bowl (?:should|must|may) (?:be|end up|stay) (?:left )?empty$",
               "at least one block in each bowl", t)
    t = per_bowl_forms(t)
    if t == "at least one block in each bowl":
        return "forall(y in bowls: exists(x in blocks: in(x, y)))"
    m = re.fullmatch(rf"(?:{VERB} )?(?:exactly |precisely )?(one|a single|two|three|\d) blocks? (?:in|on) "
                     r"(?:each|every) bowl", t)
    if m:
        n = NUMBERS.get(m.group(1)) or int(m.group(1))
        return f"forall(y in bowls: count(x in blocks: in(x, y)) == {n})"
    m = re.fullmatch(rf"(?:{VERB} )?{ALL_BLOCKS} (?:in|on) (?:a different|separate|different|its own) bowls?", t)
    if m:
        return ("all(forall(x in blocks: exists(y in bowls: in(x, y))), "
                "forall(y in bowls: count(x in blocks: in(x, y)) <= 1))")
    # "each of the blocks needs to be in a bowl, I don't mind which" (tuning pt1961): a state of every block
    m = re.fullmatch(rf"(?:{VERB} )?{ALL_BLOCKS}(?: (?:should|must|needs? to|ha(?:s|ve) to) (?:be|go|end up)| go| goes"
                     r"| belongs?| ends? up)? (?:in|on) (?:any bowl|a bowl|bowls|the bowls|some bowl)"
                     rf"(?:{ANY_WILL_DO}|,? (?:but )?(?:except|not in|other than) (?:the )?([a-z]+)(?: bowl| one))?", t)
    if m:
        left_out = object_ref(f"the {m.group(1)} bowl", scene, kind="bowl") if m.group(1) else None
        if m.group(1) and not left_out:
            return None
        return f"forall(x in blocks: exists(y in bowls{' except ' + left_out if left_out else ''}: in(x, y)))"
    m = re.fullmatch(rf"(?:{VERB} )?{ALL_BLOCKS} in (?:either )?(the [a-z]+ bowl) or (?:in )?(the [a-z]+ bowl)", t)
    if m:  # "put all the blocks in the cyan bowl or the gray bowl" (tuning pt1225): each in one of the two
        bowls = [object_ref(b, scene, kind="bowl") for b in m.groups()]
        if not all(b and b.endswith(" bowl") for b in bowls) or bowls[0] == bowls[1]:
            return None
        return f"forall(x in blocks: any(in(x, {bowls[0]}), in(x, {bowls[1]})))"
    m = re.fullmatch(rf"(?:{VERB} )?(?:one|any one|a single) of the blocks (in|on|at|to) (.+)", t)
    if m:
        rel = target(f"{m.group(1)} {m.group(2)}", "x", scene)
        return f"exists(x in blocks: {rel})" if rel else None
    blocks = sum(1 for n in scene.names if n.endswith(" block"))
    t = re.sub(r"\ball but one (?:of the )?blocks\b", f"exactly {blocks - 1} blocks", t)
    t = re.sub(r"\ba pair of blocks\b", "two blocks", t)
    if blocks % 2 == 0:  # "half of the blocks" is a number only when the blocks split evenly
        t = re.sub(r"\bhalf (?:of )?the blocks\b", f"exactly {blocks // 2} blocks", t)
    # "two blocks should end up in X" / "(make sure) X has exactly one block (in it)" -> "put two blocks in X"
    amount = rf"(?:(?:{COMPARISON_WORDS}) )?(?:one|two|three|four|\d+)"
    t = re.sub(r"\b(has|holds|contains|gets) (?:just )?a single block in it(?:,? (?:just|only) the one)?$",
               r"\1 exactly one block in it", t)  # "make sure the blue bowl has a single block in it"
    if outside := outside_count_goal(t, scene):
        return outside
    t = re.sub(rf"^({amount} (?:of the )?blocks?) (?:(?:should|must|needs? to|ha(?:s|ve) to) (?:end up|go|be|sit)"
               r"|go|end up) "
               r"(?=(?:in|on|at) )", r"put \1 ", t)
    t = re.sub(rf"^(?:make sure |ensure )?(?:that )?there (?:are|is) ({amount} (?:of the )?blocks?) (?=(?:in|on|at) )",
               r"put \1 ", t)
    # "I want exactly three of the blocks sitting in …" -> "put exactly three of the blocks in …"
    t = re.sub(rf"^(?:i want|i need|i(?:'d| would) like) ({amount} (?:of the )?blocks?) (?:sitting |to sit |to be |"
               r"to end up |resting |placed |put |to go )?(?=(?:in|on|at) )", r"put \1 ", t)
    if re.search(rf"\b{amount} (?:of the )?blocks?\b", t):  # "two blocks …, i don't care which ones"
        t = re.sub(ANY_ONES, "", t)
    t = re.sub(rf"^(?:make sure |ensure |i want )?(?:that )?(the [a-z]+ bowl) (?:has|holds|contains|ends up with|"
               rf"needs|should (?:have|hold|contain)|must (?:have|hold|contain)|to (?:have|hold|contain|end up with)) "
               rf"({amount}) blocks?(?: in it| inside(?: of)? it)?(?: when you(?:'re| are)? finish(?:ed)?)?$",
               r"put \2 blocks in \1", t)
    m = COUNT_RANGE.fullmatch(t)
    if m:
        return count_range_goal(m, scene)
    m = re.fullmatch(rf"(?:{VERB} )?({COMPARISON_WORDS})? ?(one|two|three|four|\d+) "
                     r"(?:of the )?blocks? (in|on|at|to) (.+)", t)
    if m:
        # a bare number is what was asked for: "put two blocks in the bowl" is not met by three
        op = COMPARISON_OPS[m.group(1) or "exactly"]
        n = int(m.group(2)) if m.group(2).isdigit() else NUMBERS[m.group(2)]
        rel = target(f"{m.group(3)} {m.group(4)}", "x", scene)
        # "put at least three blocks in a bowl" (tuning pt1814's restatement): each of them in some bowl
        if m.group(3) == "in" and re.fullmatch(r"(?:a|any|some) bowl|(?:the )?bowls|one of the bowls", m.group(4)) \
                and any(name.endswith(" bowl") for name in scene.names):
            rel = "exists(y in bowls: in(x, y))"
        return f"count(x in blocks: {rel}) {op} {n}" if rel else None
    # "put everything apart from the blue block in the pink bowl": into a bowl, "everything" is every block
    t = re.sub(rf"^(?:{VERB} )?everything ((?:except|but|other than|apart from|save|excluding) (?:for )?the {COLOR} "
               r"(?:block|one)) (?:(?:(?:should|must|has to|needs to) (?:go|end up|be)|goes|go|belongs?) )?"
               rf"(?=in (?:the )?{COLOR} bowl$|(?:at|to|in|on) the {PLACE}$)", r"put all the blocks \1 ", t)
    t = re.sub(rf"^(?:{VERB} )?everything (?:goes |should go |go |must go )?(?=in the {COLOR} bowl$)",
               "put all the blocks ", t)
    # "every block in the bowl but the green one" -> "every block but the green one in the bowl"
    t = re.sub(rf"^({ALL_BLOCKS}) (?:go|goes|should go|must go) (?=(?:in|on|at|to) .+?,? (?:but|except|other than|"
               r"apart from|leaving out|excluding) )", r"put \1 ", t)
    t = re.sub(rf"^((?:{VERB} )?{ALL_BLOCKS}) ((?:in|on|at|to) .+?),? (?:but not|but|except(?: for)?|other than|"
               r"apart from|leaving out|excluding) "
               rf"((?:the )?(?:{COLOUR_LIST}(?: ones| blocks)|{COLOR}(?: one| block)?))$", r"\1 except \3 \2", t)
    t = re.sub(rf"^(?:gather|collect|group|cluster) ({ALL_BLOCKS}) (?=(?:around|near|next to|beside|close to|in|at) )",
               r"put \1 ", t)
    for form in (rf"(?:{VERB} )?{ALL_BLOCKS}(?: (?:except|but|other than|apart from|save) (?:for )?(.+?))? "
                 r"((?:in|on|at|to|around|near|next to|beside|close to|above|below|left of|right of) .+)",
                 rf"{ALL_BLOCKS}(?: (?:except|but|other than|apart from|save|excluding) (?:for )?(.+?))? "
                 r"(?:goes|go|should go|must go|should end up|must end up|need to go|needs to go|belongs?|should be|"
                 r"needs? to be|ha(?:s|ve) to be|must be) "
                 r"((?:in|on|at|to) .+)",
                 # the exception itself says "to": "all the blocks except the one closest to the brown bowl in it"
                 rf"(?:{VERB} )?{ALL_BLOCKS} (?:except|but|other than|apart from|save) (?:for )?(.+) "
                 r"((?:in|on|at|to|around|near|next to|beside|close to|above|below|left of|right of) .+)"):
        m = re.fullmatch(form, t)
        if m and STACKED_BESIDE.match(t):
            return None  # "stack all the blocks near the bowl": a tower is asked for, not only a place
        spec = every_block_goal(m.group(1), m.group(2), scene) if m else None
        if spec:
            return spec
    return None


def _chained_stack_goal(t: str, scene: PhraseScene) -> str | None:
    """'stack the red block on the blue block on the green block' -> on() pairs down the chain."""
    m = re.fullmatch(rf"(?:{VERB} )?(.+?) on (.+?) on (.+)", t)
    names = [block_ref(part, scene) for part in m.groups()] if m else []
    if len(names) != 3 or not all(n and n.endswith(" block") for n in names) or len(set(names)) != 3:
        return None
    return f"all(on({names[0]}, {names[1]}), on({names[1]}, {names[2]}), unchanged(others))"


MAX_WORDS = 60  # far above any tabletop command; the clause split is quadratic in the words


def phrase_spec(text: str, objects: list[ObjectInfo]) -> str | None:
    """The spec text of a phrasing this parser reads completely, or None."""
    if len(text.split()) > MAX_WORDS:
        return None
    scene = PhraseScene(objects)
    if (rest := others_free(text.strip().lower().rstrip(".!"))) is not None:
        # "…, feel free to move anything else"; not where the rest keeps something still: unchanged(others) may be
        # what keeps it (tuning pt1510: "… but the purple bowl and the pink block stay put")
        kept = re.search(r"\b(?:stay|stays|remain|remains|leave|keep|alone|untouched|in place|where (?:it|they) "
                         r"(?:is|are))\b|\b(?:don't|do not|never) (?:touch|move)\b", rest)
        return None if kept else without_others_kept(phrase_spec(rest, objects))
    spec = _read(text, scene)
    if spec is None and (plain := frame_restatement(text.strip().lower(), scene)):
        return _read(plain, scene)  # one move wrapped in filler, said again in the parser's words
    return spec


def _read(text: str, scene: PhraseScene) -> str | None:
    t = whole_counts(clean_text(text), scene)
    near, kept_out_of = not_inside(t)
    if kept_out_of and (spec := _read_kept(near, scene)) and (spec := _near_not_in(spec, kept_out_of, scene)):
        return spec
    return _read_kept(t, scene)


def _read_kept(t: str, scene: PhraseScene) -> str | None:
    for rest, protected in protected_readings(t, scene):
        spec = _protected_spec(rest, protected, scene)
        if spec:
            return spec
    return None


def _near_not_in(spec: str, said: str, scene: PhraseScene) -> str | None:
    """`spec` with the block it puts near a bowl kept out of that bowl ('…, not in it'); None unless exactly one block
    is near one bowl and the tail's bowl (if it names one) is that bowl."""
    near = re.findall(r"\bnear\(([a-z]+ block), ([a-z]+ bowl)\)", spec)
    named = object_ref(said, scene, kind="bowl") if said.startswith("the ") and said != "the bowl" else None
    if len(near) != 1 or (named and named != near[0][1]) or not spec.startswith("all("):
        return None
    block, bowl = near[0]
    return spec.replace(f"near({block}, {bowl})", f"near({block}, {bowl}), not(in({block}, {bowl}))", 1)


def _without_a_bowl(scene: PhraseScene) -> list[str]:
    """The blocks of the scene whose colour no bowl has (what "the rest" is after a sort into matching bowls)."""
    bowls = {n.split()[0] for n in scene.names if n.endswith(" bowl")}
    return sorted(n for n in scene.names if n.endswith(" block") and n.split()[0] not in bowls)


def _protected_spec(t: str, protected: tuple[str, ...], scene: PhraseScene) -> str | None:
    """The spec of `t` with the objects `protected` kept where they are, or None."""
    keep = "others"
    kept = f"unchanged({', '.join(protected)})"
    text_before = t
    for pattern, what in ((_KEEP_BLOCKS, "blocks"), (_KEEP_BOWLS, "bowls"), (_KEEP_OTHERS, "others")):
        stripped = re.sub(pattern, "", t)
        if stripped != t:
            t, keep = stripped, what
            break
    t = measure_after(far_restated(t))  # a distance said again, or after its relation
    emptied = emptied_after(t, scene) if not protected and keep == "others" else None
    for rule in (set_goal, _quantified_goal) if emptied else ():
        spec = rule(emptied[0], scene)
        if spec and emptied[1] not in spec:
            return f"all({spec}, forall(x in blocks: not(in(x, {emptied[1]}))))"
    bowls_kept = all(name.endswith(" bowl") for name in protected)
    for rule in (set_goal, stack_goal, _quantified_goal, count_pair_goal):
        spec = rule(t, scene)
        if spec and not bowls_kept:  # a line of named blocks keeps the others, the block kept too (tuning pt1586)
            if keep == "others" and spec.endswith(", unchanged(others))") and not any(n in spec for n in protected):
                return spec
            continue
        if spec and protected:  # "line up the blocks, but don't touch the green bowl"
            return f"all({spec}, {kept})" if keep == "others" else None
        if spec:  # "… and leave the bowls alone" is said of a whole-scene goal too; "the other blocks" is not
            if keep != "others":
                return f"all({spec}, unchanged(bowls))" if keep == "bowls" else None
            if spec == MATCHING and t != text_before and _without_a_bowl(scene):
                return None  # "…, the rest stay put": the blocks no bowl matches, which a grounded spec cannot name
            return f"all({spec}, unchanged(others))" if spec.startswith("stack([") else spec
    # these say unchanged(others) themselves, which holds what the instruction protects unless the spec names it
    for rule in (named_stack_goal, two_stacks_goal, ordered_stack_goal, _chained_stack_goal, group_goal,
                 either_block_goal, some_block_goal):
        spec = rule(t, scene)
        if spec and (keep != "others" and "unchanged(others)" in spec or any(name in spec for name in protected)):
            return None
        if spec:
            return spec if not protected or "unchanged(others)" in spec else f"all({spec}, {kept})"
    # except-clauses with two destinations: "every block goes in the blue bowl except the red block, which goes in..."
    m = re.fullmatch(r"(.+?) except (?:the )?(.+?),? which (?:goes|should go|must go) (.+)", t)
    if m:
        rest = _quantified_goal(f"{m.group(1)}", scene)
        excluded = object_ref(m.group(2), scene, kind="block")
        rel = target(m.group(3), excluded, scene) if excluded else None
        if rest and rest.startswith("forall(x in blocks: ") and rel:
            inner = rest[len("forall(x in blocks: "):-1]
            return f"all(forall(x in blocks except {excluded}: {inner}), {rel})"
    spec = every_block_but_kept(_quantified_goal(t, scene) if protected else None, protected)
    if spec:
        return spec if keep == "others" else None
    if len(protected) == 1:
        spec = the_rest_goal(t, protected[0], scene)
        if spec:
            return spec
    relations, moved, last = [], [], None
    for part in split_clauses(pair_said_twice(t)):
        empty = kept_empty(part, relations, moved, scene) or kept_out(part, relations, scene)
        if empty:
            relations.append(empty)
            continue
        moved_stack = that_stack(part, relations, scene)
        if moved_stack:
            relations.append(moved_stack[0])
            moved.append(moved_stack[1])
            continue
        for in_context in (beside_stack, opposite_place, direction_it, same_place):  # the clause before's words
            part = in_context(part, relations)
        got = clause(part, scene, last) or same_again(part, relations, last, scene) or \
            the_other(part, last, scene) or the_other_bowl(part, relations, scene) or \
            the_rest(part, moved, scene) or \
            (clause(part[:-len(" too")], scene, last) if part.endswith(" too") and relations else None)
        if got is None or ambiguous_it(part, relations):
            return None
        relations.append(got[0])
        moved.append(got[1])
        last = got[1]
    if not relations or any(name in moved for name in protected):
        return None
    relations = last_placement(relations, t)
    if relations is None:
        return None
    named = [name for name in protected if any(name in r for r in relations)]
    if named:  # named in the spec, so not one of "others"
        relations.append(f"unchanged({', '.join(named)})")
    if keep == "blocks":
        others = f"unchanged({except_set('blocks', moved)})"
    elif keep == "bowls":
        others = "unchanged(bowls)"
    else:
        others = "unchanged(others)"
    return f"all({', '.join(relations)}, {others})"
