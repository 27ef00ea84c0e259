"""The frame condition of an LLM-written spec. Every reading of a move of named objects that the parser and
the templates give says the rest of the scene stays put (`unchanged(others)`); a small model often leaves it
out (the v2 run's one false success: a tower of three named blocks verified while a fourth block was knocked
away). A written spec that talks only about objects it names or selects, with no quantifier, set, count or
unchanged() of its own, gets that clause added: a stricter check, never a more lenient one, and it names
nothing the instruction does not."""
from __future__ import annotations

from codebot.checks.goals.spec import All, Count, Formula, Quant, Rel, SetRef, Unchanged, walk

FRAME = Unchanged(SetRef("others"))


def needs_frame(goal: Formula) -> bool:
    nodes = list(walk(goal))
    if any(isinstance(n, (Quant, Count, Unchanged)) for n in nodes):
        return False  # it already says what happens to a whole set, or to what it leaves alone
    if any(isinstance(n, Rel) and any(isinstance(a, SetRef) for a in n.args) for n in nodes):
        return False  # stack(blocks), line(objects, ...): every object of a set is in the goal
    return any(isinstance(n, Rel) for n in nodes)


def with_frame(goal: Formula) -> Formula:
    """`goal` and unchanged(others) when it needs_frame, else `goal` itself."""
    if not needs_frame(goal):
        return goal
    items = goal.items if isinstance(goal, All) else (goal,)
    return All(tuple(items) + (FRAME,))
