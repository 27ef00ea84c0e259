"""One way to meet a goal's counts on this scene, for the program writer: `count(x in blocks: in(x, orange bowl))
== 2` is met by putting the red and the blue block there. Shown the count, the 1.5B model copied a few-shot loop
or sorted blocks by colour (tuning pt769: "two blocks in the orange bowl and two in the pink bowl", 0 of 3
attempts); shown named moves, it writes one call per move. Only the program writer sees the choice: the checker
still evaluates the count, so any other blocks that meet it also pass."""
from __future__ import annotations

from codebot.checks.goals.evaluate import evaluate_goal
from codebot.checks.goals.selectors import Resolver, SpecError
from codebot.checks.goals.spec import PLACE_NAMES, All, Count, Name, Rel, Var, walk
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
    got = _choose(goal, objects, workspace)
    if got is None:
        return None
    items = got[0]
    return All(tuple(items)) if len(items) > 1 else items[0]


def moves_said(goal, objects: list[ObjectInfo], workspace: Workspace = DEFAULT_WORKSPACE) -> str | None:
    """The moves counts_chosen chose, in words for the instruction the program writer sees: "put the red block and
    the blue block in the orange bowl, and the green block in the pink bowl". Probed at temperature 0 on tuning
    pt769's first prompt: with the moves in the goal line alone the model still wrote a loop over colours; with
    them also said after the instruction it put two blocks in each bowl."""
    got = _choose(goal, objects, workspace)
    if got is None:
        return None
    groups: dict[tuple[str, str], list[str]] = {}
    for move in got[1]:
        groups.setdefault((move.name, move.args[1].text), []).append(f"the {move.args[0].text}")
    said = [f"{_listed(movers)} {'on' if how == 'on' else 'at' if target in PLACE_NAMES else 'in'} the {target}"
            for (how, target), movers in groups.items()]
    return "put " + ", and ".join(said)


def _listed(words: list[str]) -> str:
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"


def _choose(goal, objects: list[ObjectInfo], workspace: Workspace) -> tuple[list, list[Rel]] | None:
    """(the goal's top clauses with each count replaced by its moves, the moves), or None."""
    items = list(goal.items) if isinstance(goal, All) else [goal]
    if not any(isinstance(item, Count) for item in items):
        return None
    resolver, named = Resolver(goal, Scene(objects), workspace), _named(goal)
    clauses: list = []
    moves: list[Rel] = []
    for item in items:
        if not isinstance(item, Count):
            clauses.append(item)
            continue
        chosen = _moves_for(item, resolver, objects, named | {m.args[0].text for m in moves}, workspace)
        if chosen is None:
            return None
        clauses += chosen
        moves += chosen
    return clauses, moves


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
    order = {o.name: i for i, o in enumerate(objects)}  # the scene's order, as the prompt's `# objects` lists it
    free = sorted((name for kind, name in members if kind == "object" and name.endswith(" block")
                   and name not in taken and name != target), key=lambda name: order.get(name, len(order)))
    if len(free) < needed:
        return None
    return [Rel(body.name, (Name(name), Name(target))) for name in free[:needed]]


def _named(goal) -> set[str]:
    """Every object name the goal says (a block it names is moved or kept by another clause)."""
    return {node.text for node in walk(goal) if isinstance(node, Name)}
