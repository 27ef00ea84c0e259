"""A goal spec said back in the restatement's plain wording ("put the red block in the blue bowl and leave the green
block where it is"): the words codebot/prompts/restate_system.txt offers the LLM, which the phrase parser reads.

Used offline, to turn labelled instructions (an everyday phrasing with its expected spec) into restatement examples
(benchmarks/build_restate_library.py): each candidate wording is kept only where the parser reads it back as the
same spec on the item's scene, so a wording this module gets wrong is dropped, never taught. `plain_wordings`
gives every candidate, plainest first; an empty list means "no plain wording for this shape".

    plain_wordings(load_goal("all(in(red block, blue bowl), unchanged(others))"))
    # ['put the red block in the blue bowl']
"""
from __future__ import annotations

from itertools import product

from codebot.checks.goals.spec import (All, Any, Count, Implies, Name, Not, Quant, Rel, Select, SetList, SetRef,
                                       Unchanged, Var)

ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
DIRECTION_WORDS = {"left_of": "left of", "right_of": "right of", "above": "above", "below": "below"}
AXIS_WORDS = {"horizontal": "horizontally", "vertical": "vertically", "diagonal": "diagonally"}
KIND_OF_SET = {"blocks": "block", "bowls": "bowl", "objects": "object"}


def _kind(members) -> str | None:
    return KIND_OF_SET.get(members.base) if isinstance(members, SetRef) and not members.excluded else None


def term_words(term) -> list[str]:
    """Ways to say one object (or place) term; [] where the plain wording has none."""
    if isinstance(term, Name):
        return ["the middle of the table", "the middle"] if term.text == "middle" else [f"the {term.text}"]
    if not isinstance(term, Select) or (kind := _kind(term.members)) is None:
        return []
    anchors = term_words(term.anchor) if term.anchor is not None else [""]
    if term.how == "nearest":
        return [f"the {kind} nearest {a}" for a in anchors]
    if term.how == "farthest":
        return [f"the {kind} farthest from {a}" for a in anchors]
    if term.how == "side_of":
        return [f"the {kind} {term.direction} of {a}" for a in anchors]
    if term.how == "nth" and term.n in ORDINAL_WORDS and term.direction in ("left", "right", "top", "bottom"):
        said = [f"the {ORDINAL_WORDS[term.n]} {kind} from the {term.direction}"]
        extreme = {"left": "leftmost", "right": "rightmost", "top": "topmost", "bottom": "bottommost"}
        return said + ([f"the {extreme[term.direction]} {kind}"] if term.n == 1 else [])
    return []


def _dist_words(dist) -> list[str]:
    if dist is None:
        return [""]
    if dist == "a little":
        return ["a little "]
    if dist == "a lot":
        return ["far "]
    return [f"{float(dist) * 100:g} cm "]


def _set_words(members) -> list[str]:
    """'all the blocks', 'all the blocks except the red block', 'the red and blue blocks'."""
    if isinstance(members, SetRef) and members.base == "blocks":
        if not members.excluded:
            return ["all the blocks"]
        excluded = [term_words(t) for t in members.excluded]
        if any(not w for w in excluded):
            return []
        return ["all the blocks except " + " and ".join(words) for words in product(*excluded)]
    if isinstance(members, SetList) and members.items and all(isinstance(t, Name) for t in members.items):
        names = [f"the {t.text}" for t in members.items]
        return [", ".join(names[:-1]) + " and " + names[-1]] if len(names) > 1 else names
    return []


def step_words(formula) -> list[str]:
    """Ways to say one conjunct of a goal as a command."""
    if isinstance(formula, Rel):
        return _relation_words(formula)
    if isinstance(formula, Not) and isinstance(formula.item, Rel) and formula.item.name == "in":
        x, y = formula.item.args
        return [f"keep {a} out of {b}" for a, b in product(term_words(x), term_words(y))]
    if isinstance(formula, Unchanged):
        items = formula.members.items if isinstance(formula.members, SetList) else ()
        if isinstance(formula.members, SetRef) and formula.members.base == "objects":
            return ["keep everything where it is"]
        if len(items) == 1:
            return [f"leave {w} where it is" for w in term_words(items[0])]
        return []
    if isinstance(formula, Quant):
        return _quantified_words(formula)
    if isinstance(formula, Count):
        return _count_words(formula)
    if isinstance(formula, Any):
        return _either_words(formula)
    return []


def _relation_words(rel: Rel) -> list[str]:
    if rel.name in ("in", "on", "near") and len(rel.args) == 2:
        x, y = rel.args
        return [f"put {a} {rel.name} {b}" for a, b in product(term_words(x), term_words(y))]
    if rel.name in DIRECTION_WORDS and len(rel.args) == 2:
        x, y = rel.args
        return [f"put {a} {d}{DIRECTION_WORDS[rel.name]} {b}"
                for a, b, d in product(term_words(x), term_words(y), _dist_words(rel.dist))]
    if rel.name == "at" and len(rel.args) == 2:
        x, place = rel.args
        where = ["in the middle of the table", "in the middle"] if place == Name("middle") else \
            [f"at {w}" for w in term_words(place)]
        return [f"put {a} {w}" for a, w in product(term_words(x), where)]
    if rel.name == "stack":
        return _stack_words(rel)
    if rel.name == "distinct_places" and len(rel.args) == 2 and _kind(rel.args[1]) is None:
        places = {"corners": "corner", "sides": "side"}.get(getattr(rel.args[1], "base", ""))
        return [f"put each block at a different {places}"] if places and rel.args[0] == SetRef("blocks") else []
    if rel.name == "line" and len(rel.args) == 2:
        axis = AXIS_WORDS.get(getattr(rel.args[1], "text", rel.args[1]))
        return [f"line up {s} {axis}" for s in _set_words(rel.args[0])] if axis else []
    return []


def _stack_words(rel: Rel) -> list[str]:
    members = rel.args[0]
    base = rel.args[1] if len(rel.args) > 1 else None
    on_base = [""] if base is None else [f" on {w}" for w in term_words(base)]
    if isinstance(members, SetRef):
        return [f"stack {s}{b}" for s, b in product(_set_words(members), on_base)]
    if isinstance(members, SetList) and all(isinstance(t, Name) for t in members.items) and base is None:
        names = [f"the {t.text}" for t in members.items]  # bottom first
        steps = [f"put {top} on {under}" for under, top in zip(names, names[1:])]
        return [" and then ".join(steps)] if steps else []
    return []


def _quantified_words(q: Quant) -> list[str]:
    body = q.body
    if q.kind == "exists" and isinstance(body, Rel) and body.name == "in" and body.args[1] == Var(q.var):
        kind = _kind(q.members)
        return [f"put {a} in any {kind}" for a in term_words(body.args[0])] if kind == "bowl" else []
    if q.kind != "forall" or body is None:
        return []
    if _kind(q.members) == "bowl":  # a count said of each bowl
        if isinstance(body, Count) and _count_words(body) and body.body.args[1] == Var(q.var) and body.op == "==":
            noun = "block" if body.n == 1 else "blocks"
            return [f"put exactly {NUMBER_WORDS[body.n]} {noun} in each bowl"]
        if (isinstance(body, Quant) and body.kind == "exists" and _kind(body.members) == "block"
                and body.body == Rel("in", (Var(body.var), Var(q.var)))):
            return ["put at least one block in each bowl"]
        return []
    if (isinstance(body, Quant) and body.kind == "exists" and _kind(body.members) == "bowl"
            and body.body == Rel("in", (Var(q.var), Var(body.var)))):
        return [f"put {s} in any bowl" for s in _set_words(q.members)] + ["put every block in a bowl"]
    if isinstance(body, Rel) and body.args and body.args[0] == Var(q.var) and len(body.args) == 2:
        target = body.args[1]
        verbs = {"in": "in", "on": "on", "near": "near"}
        if body.name in verbs:
            return [f"put {s} {verbs[body.name]} {t}" for s, t in product(_set_words(q.members), term_words(target))]
        if body.name == "at":
            return [f"put {s} at {t}" for s, t in product(_set_words(q.members), term_words(target))]
    if isinstance(body, Quant) and _kind(q.members) == "block" and _kind(body.members) == "bowl":
        inner = body.body
        said = {i.name for i in inner.items if isinstance(i, Rel)} if isinstance(inner, All) else set()
        if isinstance(inner, Implies) and all(isinstance(r, Rel) for r in (inner.premise, inner.conclusion)):
            said = {inner.premise.name, inner.conclusion.name}
        if said == {"same_colour", "in"}:
            return ["put each block in the bowl of the same colour"]
    return []


def _count_words(c: Count) -> list[str]:
    body = c.body
    if _kind(c.members) != "block" or not (isinstance(body, Rel) and body.name == "in" and body.args[0] == Var(c.var)):
        return []
    number = NUMBER_WORDS.get(c.n)
    if number is None:
        return []
    noun = "block" if c.n == 1 else "blocks"
    how = {"==": [f"exactly {number}"], ">=": [f"at least {number}"]}.get(c.op, [])
    return [f"put {h} {noun} in {t}" for h, t in product(how, term_words(body.args[1]))]


def _either_words(formula: Any) -> list[str]:
    """any(in(x, a), in(x, b)) -> 'put x in a or b'; any(in(x, a), in(y, a)) -> 'put x or y in a'."""
    rels = formula.items
    if len(rels) != 2 or not all(isinstance(r, Rel) and r.name in ("in", "on") for r in rels):
        return []
    (r1, r2) = rels
    if r1.name != r2.name:
        return []
    if r1.args[0] == r2.args[0]:
        return [f"put {x} {r1.name} {a} or {b}" for x, a, b in
                product(term_words(r1.args[0]), term_words(r1.args[1]), term_words(r2.args[1]))]
    if r1.args[1] == r2.args[1]:
        return [f"put {x} or {y} {r1.name} {a}" for x, y, a in
                product(term_words(r1.args[0]), term_words(r2.args[0]), term_words(r1.args[1]))]
    return []


def plain_wordings(goal, limit: int = 12) -> list[str]:
    """Candidate plain wordings of a whole goal, plainest first (at most `limit`). A goal that keeps the rest put
    (`all(…, unchanged(others))`) is said as its steps: the plain wording of one move keeps the rest still."""
    steps = list(goal.items) if isinstance(goal, All) else [goal]
    if steps and steps[-1] == Unchanged(SetRef("others")):
        steps = steps[:-1]
    out = _joined(steps, limit)
    # "all the blocks except X in Y" already keeps X out of Y in the parser's reading
    implied = [s for s in steps if not (isinstance(s, Not) and _excluded_from(s.item, steps))]
    if len(implied) < len(steps):
        out += [w for w in _joined(implied, limit) if w not in out]
    return out[:limit]


def _excluded_from(rel, steps) -> bool:
    """`rel` is in(x, Y) where a step puts all the blocks except x in Y."""
    return isinstance(rel, Rel) and rel.name == "in" and any(
        isinstance(s, Quant) and s.kind == "forall" and isinstance(s.members, SetRef) and rel.args[0] in
        s.members.excluded and isinstance(s.body, Rel) and s.body.name == "in" and s.body.args[1] == rel.args[1]
        for s in steps)


def _joined(steps, limit: int) -> list[str]:
    said = [step_words(s) for s in steps]
    if not steps or any(not words for words in said):
        return []
    out: list[str] = []
    for joiner in (" and ", " and then "):
        for combo in product(*said):
            text = joiner.join(combo)
            if text not in out:
                out.append(text)
            if len(out) >= limit:
                return out
        if len(steps) == 1:
            break
    return out
