"""One way to meet a goal's counts on this scene, for the program writer: `count(x in blocks: in(x, orange bowl))
== 2` is met by putting the red and the blue block there. Shown the count, the 1.5B model copied a few-shot loop
or sorted blocks by colour (tuning pt769: "two blocks in the orange bowl and two in the pink bowl", 0 of 3
attempts); shown named moves, it writes one call per move. Only the program writer sees the choice: the checker
still evaluates the count, so any other blocks that meet it also pass."""
from __future__ import annotations

from dataclasses import fields, is_dataclass

from codebot.checks.goals.evaluate import evaluate_goal
from codebot.checks.goals.selectors import Resolver, SpecError
from codebot.checks.goals.spec import All, Count, Name, Rel, Var
from codebot.checks.tasks.relations import Scene
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace

_NEEDED = {"==": lambda n: n, ">=": lambda n: n, ">": lambda n: n + 1}  # a count met by moving blocks in
_MOVES = ("in", "at", "on")


def counts_chosen(goal, objects: list[ObjectInfo], workspace: Workspace = DEFAULT_WORKSPACE):
    """`goal` with each count among its top clauses that moving blocks meets (==, >= or > n of the blocks in(x, T),
    at(x, P), or one block on(x, B)) replaced by the moves of blocks the goal names nowhere else, each block used
    once, in the scene's order; None when some such count cannot be met that way or nothing is replaced. A count
    whose body already holds for some block on this scene is left out (moving n more would overshoot)."""
    items = list(goal.items) if isinstance(goal, All) else [goal]
    if not any(isinstance(item, Count) for item in items):
        return None
    resolver, named = Resolver(goal, Scene(objects), workspace), _named(goal)
    used: set[str] = set()
    chosen: list = []
    for item in items:
        moves = _moves_for(item, resolver, objects, named | used, workspace) if isinstance(item, Count) else [item]
        if moves is None:
            return None
        used |= {move.args[0].text for move in moves if isinstance(item, Count)}
        chosen += moves
    return All(tuple(chosen)) if len(chosen) > 1 else chosen[0]


def _moves_for(count: Count, resolver: Resolver, objects: list[ObjectInfo], taken: set[str],
               workspace: Workspace) -> list[Rel] | None:
    body = count.body
    if count.op not in _NEEDED or not (isinstance(body, Rel) and body.name in _MOVES and len(body.args) == 2
                                       and body.args[0] == Var(count.var) and not isinstance(body.args[1], Var)):
        return None
    needed = _NEEDED[count.op](count.n)
    try:
        members = resolver.members(count.members, {})
        target = resolver.term(body.args[1], {})[1]
    except SpecError:
        return None
    if body.name == "on" and needed != 1 or needed < 1:
        return None
    none_yet = Count(count.var, count.members, body, "==", 0)
    if not evaluate_goal(none_yet, objects, objects, workspace).success:
        return None
    free = [name for kind, name in members if kind == "object" and name.endswith(" block")
            and name not in taken and name != target]
    if len(free) < needed:
        return None
    return [Rel(body.name, (Name(name), Name(target))) for name in free[:needed]]


def _named(goal) -> set[str]:
    """Every object name the goal says (a block it names is moved or kept by another clause)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, Name):
            found.add(node.text)
        for field in fields(node):
            value = getattr(node, field.name)
            for child in value if isinstance(value, tuple) else (value,):
                if is_dataclass(child):
                    walk(child)

    walk(goal)
    return found
