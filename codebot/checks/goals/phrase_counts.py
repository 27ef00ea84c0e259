"""Counts split between two places: "two blocks in the red bowl and one in the blue bowl", "one block in the
blue bowl and the other two in the red bowl", "the red bowl gets two blocks and the blue bowl one", "the red
bowl holds exactly three blocks and the blue bowl holds none". Each part is a count of blocks at one target;
the second may leave "blocks" out. "The other / last / remaining N" is read only when the two counts account
for every block on the scene (else it says something the scene does not hold, and the reading is left to
others)."""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_refs import NUMBERS, VERB, PhraseScene, target

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
