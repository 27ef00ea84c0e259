"""What a written or restated spec must not drop: what the instruction forbids. goals/written.py's other rules ask
whether each thing a spec says was asked for; these ask whether what the instruction rules out is still said.
A restatement in the parser's plain wording tends to lose the "don't" (tuning pt1300, pt1387, pt1402, pt1427):
- an object the instruction says not to touch, move or use ("don't use the purple one", "the orange block - leave
  it where it is") must be kept where it is by the spec, and never moved by it;
- a move the instruction forbids ("… next to the red block, but don't put it on top of it", "close to the green
  bowl? Not in it") needs a not();
- an order in time between moves ("do it after you've put the green one in") cannot be checked, unless the moves
  build on each other (a tower shows which block went first).
And the other way: where the instruction lets the other objects move ("you can move whatever you need to"), a spec
that keeps every other object where it is (unchanged(others), the plain wording's default) forbids what it allows
(fresh batch pt1510).
"""
from __future__ import annotations

import re

from codebot.checks.goals.grounding import BLOCK_NOUNS, BOWL_NOUNS
from codebot.checks.goals.phrase_refs import ANYTHING_ELSE, MOVE_ANY
from codebot.checks.goals.printer import to_text
from codebot.checks.goals.spec import Formula, Implies, Name, Not, Quant, Rel, Unchanged, Var, walk
from codebot.checks.goals.written_sets import COLOUR_WORD

MOVES = {"in", "on", "at", "near", "left_of", "right_of", "above", "below"}
_COLOURED = r"(?:the )?(\w+) (block|bowl|one)"
KEPT_STILL = re.compile(rf"\b(?:don'?t|do not|never|without) (?:touch|move|disturb|use)(?:ing)? {_COLOURED}\b"
                        rf"|\b(?:leave|keep) {_COLOURED} (?:where it is|alone|in place|as it is|untouched)\b"
                        rf"|\b{_COLOURED}\W+(?:leave|keep) it (?:where it is|alone|in place|as it is|untouched)\b")
NEGATED_MOVE = re.compile(r"\b(?:don'?t|do not|never|without|not) (?:put|place|set|stack|drop|putting|placing|"
                          r"setting|stacking|dropping)\b[^.;]*?\b(?:on|in|into|onto|inside|near|next to|beside)\b"
                          # a place ruled out after the one asked for: "close to the green bowl? not in it"
                          r"|(?:^|[.,;?!-] *|\bbut )not (?:in|inside|into|on|onto|on top of) (?:it|them)\b")
# an order said as a constraint ("but do it after …", "not until …"), not a narration ("first …, and after you did
# that …", tuning pt1207, whose moves are checked as a conjunction)
ORDER_IN_TIME = re.compile(r"\b(?:do (?:it|that|this)|but(?: only)?|only) (?:after|before|once)\b"
                           r"|\bnot (?:until|before)\b")


REST_KEPT = re.compile(r"\b(?:the )?(?:rest|others|other ones|other blocks) (?:stays?|remains?|should stay)"
                       r"(?: put\b| where (?:it is|they are)\b| in place\b|\s*(?:$|[.,;!)]))"
                       # "the ones without a matching dish stay where they are" (tuning pt1761)
                       r"|\bthe ones? (?:without|with no|that (?:don'?t|do not) have)\b[^.;]*? (?:stays?|remains?) "
                       r"(?:put|where (?:it is|they are)|in place)\b"
                       r"|\b(?:leave|keep) (?:the rest|the others|the other ones|the other blocks) "
                       r"(?:where (?:it is|they are)|alone|in place|untouched|as (?:it is|they are))\b")
OTHERS_MAY_MOVE = re.compile(rf"\b(?:can|may|could|are free to|feel free to|(?:it'?s|is) (?:fine|ok|okay|alright) to) "
                             rf"{MOVE_ANY} {ANYTHING_ELSE}\b"
                             r"|\b(?:doesn'?t|does not|don'?t|do not) (?:matter|care) (?:if|whether|what) (?:else )?"
                             r"(?:the )?(?:others?|rest|anything else|everything else) (?:moves?|gets? moved)\b"
                             # "don't care what happens to anything else" (s23 pt1910)
                             rf"|\b(?:doesn'?t|does not|don'?t|do not) (?:matter|care) what happens to "
                             rf"{ANYTHING_ELSE}\b")


def kept_still(instruction: str) -> list[str]:
    """The objects the instruction says not to touch, move or use ("purple one" where it does not say which kind)."""
    found = []
    for m in KEPT_STILL.finditer(instruction.lower()):
        colour, kind = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i))
        if f"{colour} {kind}" not in found:
            found.append(f"{colour} {kind}")
    return found


def forbidden_problems(goal: Formula, instruction: str) -> list[str]:
    """Why the spec drops something the instruction forbids ([] when it keeps all of it)."""
    problems = []
    text = to_text(goal)
    kept = [to_text(node) for node in walk(goal) if isinstance(node, Unchanged)]
    for name in kept_still(instruction):
        said = name.replace(" one", " ")  # "the purple one": the block or the bowl
        if any(isinstance(node, Rel) and node.name in MOVES and node.args and isinstance(node.args[0], Name)
               and node.args[0].text.startswith(said) for node in walk(goal)):
            problems.append(f"the instruction says not to touch the {name}, and the spec moves it")
        elif not any(said in k or ("others" in k and said not in text) for k in kept):  # others: the unmentioned
            problems.append(f"the instruction says not to touch the {name}, and the spec does not keep it where it "
                            f"is")
    negated = NEGATED_MOVE.search(instruction.lower())
    if negated and not any(isinstance(node, Not) for node in walk(goal)) and not _set_apart(goal):
        problems.append(f"the instruction forbids a move ({negated.group(0)}) that the spec does not rule out")
    problems += [f"names the {name}, which the instruction takes back ({said})" for name, said in
                 _taken_back(goal, instruction.lower())]
    problems += [f"puts the {place} of the table where the instruction says the {place} of an object ({said})"
                 for place, said in _object_sides(goal, instruction.lower())]
    rest = REST_KEPT.search(instruction.lower())
    # "each block whose colour matches a bowl goes in it; the rest stay put" (s19 pt1584): a conditional goal leaves
    # the blocks it does not match free, and the instruction keeps them where they are
    if rest and not kept and any(isinstance(node, Implies) for node in walk(goal)):
        problems.append(f"the instruction keeps the rest where it is ({rest.group(0)}), and the spec keeps nothing")
    # "blue->red bowl, green->yellow bowl, rest stay" restated as "… and stack the rest in the same bowl" (tuning
    # pt1519): the rest moved by a quantifier, where the instruction keeps them
    elif rest and _moves_every(goal):
        problems.append(f"the instruction keeps the rest where it is ({rest.group(0).strip(' .,;!)')}), and the spec "
                        f"moves every block of a set")
    allowed = OTHERS_MAY_MOVE.search(instruction.lower())
    if allowed and any(isinstance(node, Unchanged) and to_text(node) == "unchanged(others)" for node in walk(goal)):
        problems.append(f"the instruction lets the other objects move ({allowed.group(0)}), and the spec keeps them "
                        "where they are")
    problems += [f"puts a block in the {bowl}, which the instruction names only to keep out of ({said})"
                 for bowl, said in _kept_out_of(goal, instruction.lower())]
    order = ORDER_IN_TIME.search(instruction.lower())
    if order and not any(isinstance(node, Rel) and node.name in ("on", "stack") for node in walk(goal)):
        problems.append(f"the instruction sets an order in time ({order.group(0)}) that no check can see")
    return problems


_BOWL_WORDS = r"(?:bowl|dish|container|bin|cup)"
_OUT_OF = re.compile(r"\b(?:out of|away from|outside(?: of)?|clear of|not in|not into|never in|never into) (?:the )?$")


def _kept_out_of(goal: Formula, instruction: str) -> list[tuple[str, str]]:
    """(bowl, how the instruction names it) for each bowl a spec puts a block in (outside any not()) where every
    mention of that bowl's colour and a bowl word follows "out of" / "away from" / "not in": "put all the blocks in
    bowls, but keep the yellow block out of the red bowl" restated as "… except the yellow block in the red bowl"
    (s23 pt1906)."""
    negated = {id(n) for node in walk(goal) if isinstance(node, Not) for n in walk(node.item)}
    found = []
    for node in walk(goal):
        if not (isinstance(node, Rel) and node.name == "in" and id(node) not in negated and len(node.args) > 1
                and isinstance(node.args[1], Name) and node.args[1].text.endswith(" bowl")):
            continue
        colour = node.args[1].text.split()[0]
        mentions = list(re.finditer(rf"\b{'gr[ae]y' if colour == 'gray' else colour} {_BOWL_WORDS}\b", instruction))
        if mentions and all(_OUT_OF.search(instruction[:m.start()]) for m in mentions):
            found.append((node.args[1].text, instruction[max(0, mentions[0].start() - 12):mentions[0].end()].strip()))
    return list(dict.fromkeys(found))


def _moves_every(goal: Formula) -> bool:
    """A forall whose body (not a condition) puts its bound object somewhere."""
    return any(isinstance(node, Quant) and node.kind == "forall" and not isinstance(node.body, Implies)
               and any(isinstance(rel, Rel) and rel.name in MOVES and rel.args and rel.args[0] == Var(node.var)
                       for rel in walk(node.body)) for node in walk(goal))


DIRECTIONS = {"left_of", "right_of", "above", "below"}
APART_M = 0.05  # a stated offset at least this far is past a block's outline, so never on or in it


def _set_apart(goal: Formula) -> bool:
    """Every move the spec asks for is a direction from an object, past its outline ("above as in further up the
    table, not on top of it", tuning pt1563): such a relation already rules out on top of it or in it."""
    moves = [node for node in walk(goal) if isinstance(node, Rel) and node.name in MOVES]
    return bool(moves) and all(node.name in DIRECTIONS and (node.dist is None or isinstance(node.dist, str)
                                                             or node.dist >= APART_M) for node in moves)


# a correction after a pause: "on the red - no, sorry, on the yellow block", "in the blue bowl, I mean the green one"
CORRECTION = re.compile(r"(?:^|[-,;.!:\u2013\u2014]\s*)(?:no|nope|wait|sorry|oops|actually|i mean|i meant|scratch that|"
                        r"make that|rather)\b")
_FILLER = (r"^(?:[\s,.;:!\-\u2013\u2014]|no\b|nope\b|wait\b|sorry\b|oops\b|actually\b|i mean\b|i meant\b|make that\b"
           r"|rather\b)+")


def _taken_back(goal: Formula, instruction: str) -> list[tuple[str, str]]:
    """The objects the spec names that a correction takes back: the last colour said before it, of the kind the first
    colour after it names, when that colour differs (fresh batch s20: "put the cyan block on the red - no, sorry, on
    the yellow block" takes back the red block; "… in the blue bowl... no wait, the yellow block" the red one)."""
    found = []
    for m in CORRECTION.finditer(instruction):
        rest = re.sub(_FILLER, "", instruction[m.end():])
        if not re.match(rf"(?:(?:in|into|on|onto|to|at|near|next to|beside) )?(?:the )?{COLOUR_WORD}\b", rest):
            continue  # no other object said straight after: "actually no, scratch that, put it on …" (s19 pt1610)
        before, after = _coloured(instruction[:m.start()]), _coloured(rest)
        colour, kind = after[0]
        said = [c for c, k in before if kind is None or k in (None, kind)]
        if not said or said[-1] == colour:
            continue
        taken = said[-1]
        found += [(node.text, m.group(0).strip(" -,;.!:")) for node in walk(goal) if isinstance(node, Name)
                  and node.text.split()[0] == taken and (kind is None or node.text.endswith(kind))
                  and taken not in (c for c, _ in after)]
    return list(dict.fromkeys(found))


def _coloured(text: str) -> list[tuple[str, str | None]]:
    """(colour, 'block' / 'bowl' / None where the noun does not say) of each colour the text says, in order."""
    out = []
    for m in re.finditer(rf"\b({COLOUR_WORD})\b(?:\s+(\w+))?", text):
        noun = m.group(2) or ""
        kind = "block" if noun in BLOCK_NOUNS else "bowl" if noun in BOWL_NOUNS else None
        out.append(("gray" if m.group(1) == "grey" else m.group(1), kind))
    return out


def _object_sides(goal: Formula, instruction: str) -> list[tuple[str, str]]:
    """at(x, <side> side) where every '<side> side' the instruction says is of an object ("on the right-hand side of
    it", "the left side of the red one"; fresh batch s20's pt1650), not of the table."""
    found = []
    for node in walk(goal):
        place = node.args[1].text if isinstance(node, Rel) and node.name == "at" and len(node.args) > 1 and \
            isinstance(node.args[1], Name) else ""
        m = re.fullmatch(r"(left|right|top|bottom) side", place)
        said = list(re.finditer(rf"\b{m.group(1)}(?:[- ]hand)? side(?: of (?:the )?(\w+))?", instruction)) if m else []
        if said and all(s.group(1) and s.group(1) not in ("table", "board", "workspace", "mat") for s in said):
            found.append((place, said[0].group(0)))
    return found

