"""The objects an instruction says must not move, and the rest of it: "..., but don't touch the green block",
"leave the red and blue blocks where they are and ...", "..., the yellow one stays put". phrases.phrase_spec
adds unchanged(those objects) to what it reads from the rest. Only named objects are read here; "the rest" and
"the bowls" are phrases.py's _KEEP_* clauses."""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_refs import COLOR, PhraseScene, except_set, object_ref

_ONE = rf"(?:the {COLOR}(?: block| bowl| one)?|{COLOR} (?:block|bowl|one))"
_SEVERAL = rf"the {COLOR}(?:(?:,| and| or|, and|, or) (?:the )?{COLOR})+ (?:blocks?|bowls?|ones?)"
_NAMED = rf"({_SEVERAL}|{_ONE}(?:(?: and| or|, and|, or) {_ONE})*)"
_STILL = (r"(?:(?:exactly |just )?where (?:it is|they are)|alone|in place|in (?:its|their) (?:place|spot)s?"
          r"|as (?:it is|they are)|untouched|still|put)")
_PROTECT_END = (rf"(?=(?:,? but |,? and then |,? and |[,;]? )(?:(?:(?:don't|do not|never) (?:touch|move|disturb)|keep "
                rf"(?:your hands|your gripper|the gripper|the arm) off|stay away from) {_NAMED}"
                rf"|(?:leave|keep) {_NAMED}(?: {_STILL})?"  # "… and leave the blue block" (tuning pt1226)
                rf"|leave {_NAMED} out(?: of it| of this| of that)?"  # out of a tower (tuning pt1567)
                rf"|{_NAMED} (?:can|may|gets to|is to) stay(?: {_STILL})?"  # "the green one can stay" (tuning pt1586)
                rf"|(?:make sure )?{_NAMED}(?: itself| themselves)? (?:should |must |has to |have to )?"
                rf"(?:stays?|remains?) {_STILL}"
                rf"|{_NAMED} (?:doesn't|does not|don't|do not|mustn't|must not|shouldn't|should not|can't|cannot|"
                rf"won't|will not) (?:move|get moved|be moved|be touched))$)")
_PROTECT_START = (rf"^(?:(?:without (?:touching|moving|disturbing)|(?:don't|do not) (?:touch|move|disturb)) {_NAMED}|"
                  rf"(?:leave|keep) {_NAMED} {_STILL}"
                  # "the brown block has to stay put - just get the orange one into …" (tuning pt1873)
                  rf"|{_NAMED} (?:should |must |has to |needs to )?(?:stays?|remains?) {_STILL}),? "
                  rf"(?:but |and then |and |just )?")


def protected_readings(t: str, scene: PhraseScene) -> list[tuple[str, tuple[str, ...]]]:
    """(the rest of `t`, the objects a clause at its start or end says must not move) for each way to read such a
    clause, the longest first: a clause at the end may start at several places ("… on the blue block and the green
    block stays put" reads as a list too, leaving "… on"), so phrases.phrase_spec takes the first whose rest it
    reads. [(t, ())] when there is no such clause; [] when one names no object of the scene."""
    ends = [(m.start(), next(g for g in m.groups() if g)) for m in re.finditer(_PROTECT_END, t)]
    start = re.match(_PROTECT_START, t)
    if not ends and not start:
        return [(t, ())]
    readings = [(t[:at], names) for at, text in ends if (names := _names(text, scene)) is not None]
    names = _names(next(g for g in start.groups() if g), scene) if start else None
    return readings + ([(t[start.end():], names)] if names is not None else [])


def _names(text: str, scene: PhraseScene) -> tuple[str, ...] | None:
    """'the green block' / 'the red and blue blocks' / 'the red block or the blue one' -> the scene's objects."""
    last = re.search(r" (block|bowl|one)s?$", text)  # the noun said once for every colour
    noun = f" {last.group(1)}" if last else ""
    text = text[:last.start()] if last else text
    names: list[str] = []
    for part in re.split(r",? (?:and|or) |, ", text):
        part = re.sub(r"^the ", "", part.strip())
        name = object_ref(part if re.search(r" (?:block|bowl|one)$", part) else f"the {part}{noun}", scene)
        if name is None or name in names:
            return None
        names.append(name)
    return tuple(names)


def every_block_but_kept(spec: str | None, protected: tuple[str, ...]) -> str | None:
    """'put all the blocks near the green bowl and leave the purple block where it is' (tuning pt1609's restatement):
    every block but the kept ones goes there, and those stay where they are. `spec` is the reading of the rest
    (`forall(x in blocks: R)`, or `all(forall(x in blocks except P: R), not(...))` where the rest names the same
    exception); None for any other."""
    if not spec or not protected or not all(name.endswith(" block") for name in protected):
        return None
    rest = except_set("blocks", list(protected))
    m = re.fullmatch(r"forall\(x in blocks: (.+)\)", spec)
    if m and "forall(" not in m.group(1):
        return f"all(forall(x in {rest}: {m.group(1)}), unchanged({', '.join(protected)}))"
    m = re.fullmatch(r"all\(forall\(x in (blocks except .+?): (.+?)\)(?:, not\([^()]*\([^()]*\)\))+\)", spec)
    if m and m.group(1) == rest:
        return f"all(forall(x in {rest}: {m.group(2)}), unchanged({', '.join(protected)}))"
    return None
