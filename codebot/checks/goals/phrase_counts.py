"""Counts the phrase parser reads beyond "N blocks in X" (phrases.py):

- split between two places: "two blocks in the red bowl and one in the blue bowl", "one block in the blue bowl and
  the other two in the red bowl", "the red bowl gets two blocks and the blue bowl one", "the red bowl holds exactly
  three blocks and the blue bowl holds none". Each part is a count of blocks at one target; the second may leave
  "blocks" out. "The other / last / remaining N" is read only when the two counts account for every block on the
  scene (else it says something the scene does not hold, and the reading is left to others);
- a range: "one or two blocks in the yellow bowl", "between two and four blocks", "at least one and at most two";
- the blocks left outside the bowls: "at most one block should be left outside the bowls";
- per bowl, said several ways: "exactly one block ends up in each bowl", "one block per bowl, no more, no less",
  "every bowl should have at least one block in it", "no more than one block per bowl"."""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_refs import NUMBERS, VERB, PhraseScene, target
from codebot.checks.goals.phrase_wholes import ALL_BLOCKS

# A count's comparison words; a bare number is exact ("put two blocks in the bowl" is not met by three).
COMPARISON_OPS = {"at least": ">=", "no fewer than": ">=", "at most": "<=", "no more than": "<=", "exactly": "==",
                  "more than": ">", "fewer than": "<"}
COMPARISON_WORDS = "|".join(COMPARISON_OPS)  # no one of them starts another: any order matches the same
_AMOUNT = rf"(?:({COMPARISON_WORDS}) )?(a single|one|two|three|four|five|none|no|\d)"
_REST = r"(?:the (?:other|last|remaining) )"
_HOLDS = r"(?:has|holds|gets|contains|ends up with|should (?:have|hold|get|contain)|must (?:have|hold|get|contain))"
_BOWL = r"(the [a-z]+ bowl)"


def _parts(t: str) -> list[tuple[str | None, str, str, bool]] | None:
    """(comparison, number word, target text, said as 'the other N') of each of two count parts, or None."""
    t = re.sub(r"^(?:at the end,? |in the end,? |when you(?:'re| are) done,? )", "", t)
    t = re.sub(r"^(?:(?:i want|i(?:'d| would) like) )?(the [a-z]+ bowl) to (?:have|hold|get|contain) ", r"\1 has ", t)
    t = re.sub(r"^(?:make sure |ensure |make it so )?(?:that )?there (?:are|is) ", "put ", t)
    halves = re.split(rf",? and (?:also |then )?(?:{VERB} )?|; ", t)  # "… and put two blocks in …" (tuning pt1240)
    if len(halves) != 2:
        return None
    first, second = halves
    m = re.fullmatch(rf"(?:{VERB} )?{_AMOUNT} (?:of the )?blocks? (in|on) (.+)", first)
    if m:
        parts = [(m.group(1), m.group(2), f"{m.group(3)} {m.group(4)}", False)]
        m = re.fullmatch(rf"(?:{VERB} )?({_REST})?{_AMOUNT}(?: of the)?(?: blocks?| ones?)? (in|on) (.+)", second)
        return parts + [(m.group(2), m.group(3), f"{m.group(4)} {m.group(5)}", bool(m.group(1)))] if m else None
    m = re.fullmatch(rf"{_BOWL} {_HOLDS} {_AMOUNT} blocks?(?: in it)?", first)
    if m:
        parts = [(m.group(2), m.group(3), f"in {m.group(1)}", False)]
        m = re.fullmatch(rf"{_BOWL}(?: {_HOLDS})? ({_REST})?{_AMOUNT}(?: blocks?)?(?: in it)?", second)
        return parts + [(m.group(3), m.group(4), f"in {m.group(1)}", bool(m.group(2)))] if m else None
    return None


def count_pair_goal(t: str, scene: PhraseScene) -> str | None:
    """`all(count(x in blocks: REL1) OP N, count(x in blocks: REL2) OP M)` for two counts at two targets."""
    parts = _parts(t)
    if parts is None:
        return None
    counts, rels = [], []
    for comparison, word, where, _ in parts:
        n = 0 if word in ("none", "no") else int(word) if word.isdigit() else NUMBERS[word]
        if word in ("none", "no") and comparison:
            return None
        rel = target(where, "x", scene)
        if rel is None or rel in rels:
            return None
        counts.append((COMPARISON_OPS[comparison or "exactly"], n))
        rels.append(rel)
    if parts[1][3]:  # "the other two": every block is counted, each count exact
        blocks = sum(1 for name in scene.names if name.endswith(" block"))
        if any(op != "==" for op, _ in counts) or sum(n for _, n in counts) != blocks:
            return None
    return "all(" + ", ".join(f"count(x in blocks: {rel}) {op} {n}" for rel, (op, n) in zip(rels, counts)) + ")"


# "two blocks …, I don't care which ones", "doesn't matter which two": which blocks left to the robot
_WHICH = r"(?:ones?|blocks?|one|two|three|four|\d)"
ANY_ONES = (r"(?:,| and then)? (?:and )?(?:(?:i (?:don't|do not) (?:care|mind)|(?:it )?(?:doesn'?t|does not) matter) "
             rf"which {_WHICH}(?: (?:you (?:pick|choose|use|take)|they are))?|(?:any|whichever) {_WHICH}"
             r"(?: you (?:like|want|pick))?(?: (?:will do|are fine|is fine))?"
             # "pick whichever you like", "any two, doesnt matter" (tuning pt1488, pt1545)
             r"|(?:pick|choose|take) (?:whichever|any)(?: ones?)?(?: you (?:like|want))?"
             r"|(?:any|whichever) (?:one|two|three|four|\d),? (?:it )?(?:doesn'?t|does not) matter)"
             r"(?:,? you (?:can )?(?:choose|pick|decide))?$")

_NUMBER = r"(one|two|three|four|five|\d+)"
# "one or two blocks in the yellow bowl, no more than that" (tuning pt1971), "between two and four blocks", "at least
# one and at most two blocks"
COUNT_RANGE = re.compile(rf"(?:{VERB} )?(?:exactly |somewhere )?(?:between {_NUMBER} and {_NUMBER}"
                         rf"|{_NUMBER} (?:or|to) {_NUMBER}|at least {_NUMBER},? (?:and|but) "
                         rf"(?:at most|no more than|not more than) {_NUMBER}) (?:of the )?blocks? "
                         r"(in|on|at|to) (.+?)(?:,? (?:but )?(?:no|not) more than that)?")


def count_range_goal(m: re.Match, scene: PhraseScene) -> str | None:
    """Both bounds of a COUNT_RANGE match; None unless the target reads and the range is one (1 <= low < high)."""
    low, high = [int(w) if w.isdigit() else NUMBERS[w] for w in m.groups()[:6] if w]
    rel = target(f"{m.group(7)} {m.group(8)}", "x", scene)
    if rel is None or not 1 <= low < high:
        return None
    return f"all(count(x in blocks: {rel}) >= {low}, count(x in blocks: {rel}) <= {high})"


# "at most one block should be left outside the bowls" (tuning pt933, pt1127, pt1238, pt1294, pt1954)
_OUTSIDE = re.compile(r"(?:(?:put (?:the |all the )?blocks in(?:to)? (?:the )?bowls,? )?so (?:that )?"
                      r"|make sure (?:that )?|ensure (?:that )?|i(?:'d| would) rather have |i want )?"
                      rf"({COMPARISON_WORDS}|less than|only|just) (one|two|three|a single|\d) blocks? "
                      r"(?:should |must |can |may |is |are |gets? |remains? |stays? )?"
                      r"(?:be |remain |stay |end up |get )?(?:left )?"
                      r"(?:sitting |standing |lying |over )?(?:outside(?: of)?|out of) (?:the|a|any) bowls?")


def outside_count_goal(t: str, scene: PhraseScene) -> str | None:
    """The blocks in no bowl, counted ("only one": exactly one); None for any other text, or a scene with no bowl."""
    m = _OUTSIDE.fullmatch(t)
    if not m or not any(name.endswith(" bowl") for name in scene.names):
        return None
    op = COMPARISON_OPS.get(m.group(1), "<" if m.group(1) == "less than" else "==")
    n = int(m.group(2)) if m.group(2).isdigit() else NUMBERS[m.group(2)]
    return f"count(x in blocks: not(exists(y in bowls: in(x, y)))) {op} {n}"


def per_bowl_forms(t: str) -> str:
    """Counts said of each bowl, in the wording the parser reads ("put exactly one block in each bowl", "at least one
    block in each bowl", "put all the blocks in different bowls")."""
    # "every bowl should have at least one block in it by the end" (tuning pt1357)
    t = re.sub(r"^(?:make sure |ensure )?(?:that )?(?:every|each) bowl (?:gets|has|holds|contains|ends up with|"
               r"(?:should|must) (?:get|have|hold|contain|end up with)) at least one block(?: in it)?"
               r"(?:,? (?:by|at|in) the end)?$", "at least one block in each bowl", t)
    # "make sure exactly one block ends up in each bowl", "one block per bowl, no more, no less" (tuning pt1583,
    # pt1713, pt1421)
    t = re.sub(r"^(?:make sure |ensure )?(?:that )?((?:exactly |precisely )?(?:one|a single|two|three|\d) blocks?) "
               r"(?:ends? up|goes|go|should (?:be|go|end up)|must (?:be|go|end up)|is|are|sits?) "
               r"in (?:each|every) bowl$", r"put \1 in each bowl", t)
    t = re.sub(r"^(?:put )?(?:exactly )?(one|a single|two|three|\d) blocks? (?:per|in each|for each) bowl,? "
               r"(?:no more,? no less|nothing more|no more than that|not more,? not less|exactly)$",
               r"put exactly \1 block in each bowl", t)
    # "put the blocks in bowls, but no more than one block per bowl" (tuning pt1654, pt895): no two share a bowl
    return re.sub(rf"^(?:(?:{VERB} )?{ALL_BLOCKS} (?:in|into) (?:the |some )?bowls?"
                  rf"|{ALL_BLOCKS} (?:should|must) (?:be|go|end up) in (?:a|some) bowls?),? (?:but |with |and )?"
                  r"(?:no more than|at most|not more than) one(?: block)? (?:per|in each|in any|to a) bowl$",
                  "put all the blocks in different bowls", t)
