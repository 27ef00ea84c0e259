"""What a spec's selectors pick on the initial scene: `nearest(blocks, green bowl)` is the red block here.
The program writer is shown these (beside the `# goal:` line) so it need not re-derive, with a small
model's arithmetic, referents the deterministic reader has already resolved on the same scene the program
will run on. Selectors inside forall/exists/count depend on their variable and are left out."""
from __future__ import annotations

import re

import numpy as np

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.checks.goals.printer import term_text, to_text
from codebot.checks.goals.selectors import Resolver, SpecError
from codebot.checks.goals.spec import (DIRECTION_RELATIONS, PLACE_NAMES, All, Count, Name, Not, Quant, Rel, Select,
                                      SetList, SetRef, Var, children)
from codebot.checks.tasks.relations import Scene, radius_xy, xy


def _unbound(goal, entry, skip: tuple = (Quant, Count)) -> list:
    """entry(node) for each node of `goal` outside the `skip` kinds (a quantifier's body depends on its variable),
    outermost first, each distinct value once; None entries are left out."""
    found: list = []

    def walk(node) -> None:
        if isinstance(node, skip):
            return
        value = entry(node)
        if value is not None and value not in found:
            found.append(value)
        for child in children(node):
            walk(child)

    walk(goal)
    return found


def resolved_referents(goal, objects: list[ObjectInfo],
                       workspace: Workspace = DEFAULT_WORKSPACE) -> list[tuple[str, str]]:
    """(selector as the spec writes it, the object or place it picks) for each selector of `goal` that
    does not depend on a bound variable, outermost first (one inside another's set after it), each once;
    a selector that picks nothing here is left out (validation reports it)."""
    resolver = Resolver(goal, Scene(objects), workspace)

    def entry(node):
        try:
            return (term_text(node), resolver.select(node, {})[1]) if isinstance(node, Select) else None
        except SpecError:
            return None

    return _unbound(goal, entry)


def resolved_goal(goal, objects: list[ObjectInfo], workspace: Workspace = DEFAULT_WORKSPACE,
                  counts: bool = False) -> str | None:
    """The goal's text with each selector resolved_referents resolves replaced by what it picks here
    ("all(in(blue block, orange bowl), unchanged(others))" for "all(in(nearest(blocks, middle), orange bowl), …)"),
    and (`counts`) each count moving blocks meets replaced by one choice of moves (codebot.checks.goals.count_choice),
    which maps onto primitives one to one; None when it has neither."""
    from codebot.checks.goals.count_choice import counts_chosen

    text = to_text(goal)
    resolved = to_text(counts and counts_chosen(goal, objects, workspace) or goal)
    for selector, picked in resolved_referents(goal, objects, workspace):
        resolved = resolved.replace(selector, picked)
    return resolved if resolved != text else None


def placed_pairs(goal, objects: list[ObjectInfo], workspace: Workspace = DEFAULT_WORKSPACE) -> list[tuple[str, str]]:
    """(A, B) for each on(A, B) or in(A, B) the goal asks for outside forall/exists/count and not(...), its terms
    resolved on this scene (a selector to what it picks), each once: what feedback.reversed_notes compares a
    program's moves with."""
    resolver = Resolver(goal, Scene(objects), workspace)

    def entry(node):
        if not (isinstance(node, Rel) and node.name in ("on", "in") and len(node.args) == 2):
            return None
        try:
            return resolver.term(node.args[0], {})[1], resolver.term(node.args[1], {})[1]
        except SpecError:
            return None

    return _unbound(goal, entry, (Quant, Count, Not))


MAX_PHRASE_WORDS = 14  # the longest selector phrase in the tuning set has 11 ("the block that is the farthest …")


def named_referents(instruction: str, goal, objects: list[ObjectInfo],
                    workspace: Workspace = DEFAULT_WORKSPACE) -> list[tuple[str, str]]:
    """(words of the instruction, the object they pick) for each phrase the phrase parser reads as one of the goal's
    selectors ("the second block from the left" -> red block), so that the program writer's copy of the instruction
    can say the object instead (Preparation.shown_instruction). A phrase is matched to a goal selector by its text, so
    it names exactly what the checker picks; a phrase the parser does not read alone is left as it is, and "it" in
    a phrase ("the bowl nearest to it") is the object named last before it."""
    return [(phrase, name) for _, _, phrase, name in _named_spans(instruction.split(), goal, objects, workspace)]


def instruction_with_names(instruction: str, goal, objects: list[ObjectInfo],
                           workspace: Workspace = DEFAULT_WORKSPACE) -> str | None:
    """The instruction with each phrase named_referents finds replaced, where it found it, by "the <object>":
    "pick up the red block and …" for "pick up the second block from the left and …"; None when none is found."""
    words = instruction.split()
    spans = _named_spans(words, goal, objects, workspace)
    if not spans:
        return None
    shown, at = [], 0
    for start, end, phrase, name in spans:
        tail = " ".join(words[start:end])[len(phrase):]  # punctuation after the phrase stays
        shown += words[at:start] + [f"the {name}{tail}"]
        at = end
    return " ".join(shown + words[at:])


def _named_spans(words: list[str], goal, objects: list[ObjectInfo],
                 workspace: Workspace) -> list[tuple[int, int, str, str]]:
    """(first word, word past the last, phrase, object) of each phrase named_referents finds, in order."""
    from codebot.checks.goals.phrase_refs import COLOR, PhraseScene

    picked = dict(resolved_referents(goal, objects, workspace))
    if not picked:
        return []
    scene, found = PhraseScene(objects), []
    last_named = _last_named(words, COLOR, scene)
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_PHRASE_WORDS), i + 1, -1):  # the longest from word i that reads
            phrase = " ".join(words[i:j]).rstrip(".,;:!?")
            name = picked.get(_term_of(_selector_read(phrase.lower(), scene, last_named[i])))
            if name and j < len(words) and phrase == " ".join(words[i:j]) and words[j].lower() == "of":
                break  # "the block closest to the middle | of the table": the reading stops short of the phrase
            if name:
                found.append((i, j, phrase, name))
                i = j - 1
                break
        i += 1
    return found


def _last_named(words: list[str], color: str, scene) -> list[str | None]:
    """For each word index i, the last "<colour> block|bowl" of this scene named in words[:i] (what "it" means
    in a phrase starting at i), or None; one pass over the text."""
    text = " ".join(words).lower()
    names = [(m.end(), m.group(1)) for m in re.finditer(rf"\b({color} (?:block|bowl))\b", text)
             if scene.has(m.group(1))]
    last: list[str | None] = []
    current, k, offset = None, 0, -1  # offset: where words[:i] ends in `text` (the space before word i)
    for word in words:
        while k < len(names) and names[k][0] <= offset:
            current, k = names[k][1], k + 1
        last.append(current)
        offset += len(word) + 1
    return last


def _selector_read(text: str, scene, last: str | None = None) -> str | None:
    """The selector the phrase parser reads `text` as, alone: a block, a bowl, or a bowl or corner as a target (where
    "it" is `last`)."""
    from codebot.checks.goals.phrase_forms import selector_forms
    from codebot.checks.goals.phrase_refs import block_ref, bowl_ref, target

    text = selector_forms(re.sub(r"^whatever (?=block|bowl|corner)", "whichever ", text))
    # the table's edges as the parser says them: "the block nearest the top edge of the table" (held-out v6 n27's
    # program prompt kept the phrase, and the program measured to the edge's midpoint)
    text = re.sub(r"\b(left|right|top|bottom) edge\b", r"\1 side", text.replace(" of the table", ""))
    read = block_ref(text, scene) or bowl_ref(text, scene)
    if read is None:
        where = re.fullmatch(r"(?:in|at)\([a-z ]+, (.+)\)", target(f"in {text}", last or "x", scene) or "")
        read = where.group(1) if where else None
    return read if read and "(" in read else None


def _term_of(selector: str | None) -> str | None:
    """A selector as the phrase parser writes it, in term_text's form."""
    from codebot.checks.goals.parser import GoalSyntaxError, parse_term

    if selector is None:
        return None
    try:
        return term_text(parse_term(selector))
    except GoalSyntaxError:
        return None


PLACE_MARGINS = (0.04, 0.02, 0.01)  # m past both outlines: clear of the relation's edge and of the anchor
_DIRECTION_XY = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "top": (0.0, 1.0), "bottom": (0.0, -1.0)}


def placement_hints(goal, objects: list[ObjectInfo], workspace: Workspace = DEFAULT_WORKSPACE,
                    shapes: bool = True) -> list[tuple[str, str]]:
    """(clause as the spec writes it, a program expression for a point where it holds) for each direction
    relation on an object outside forall/exists/count: `above(red block, purple bowl)` ->
    `offset_xyz('purple bowl', 'top', 0.12)`. A small model reads "above"/"below" as on/under and "left of"
    from its own side; the point says what the check measures. Without dist the offset clears the anchor's
    outline by the mover's size plus a margin (less near the table's edge); with dist=metres it is that
    offset. Points off the table, and the 'a little'/'a lot' bands, are left out. A line gets the
    `points_on_line` call whose points lie clear of every object (a small model stacks what it cannot lay out),
    and distinct places the names to put one object at each (`shapes`)."""
    scene = Scene(objects)
    resolver = Resolver(goal, scene, workspace)

    def entry(node):
        if isinstance(node, Rel) and node.name in DIRECTION_RELATIONS and not isinstance(node.dist, str):
            return _direction_hint(node, resolver, scene, workspace)
        if isinstance(node, Rel) and node.name == "line" and shapes:
            return _line_hint(node, resolver, scene, workspace)
        if isinstance(node, Rel) and node.name == "distinct_places" and shapes:
            return _places_hint(node, resolver)
        return None

    return _unbound(goal, entry)


def _direction_hint(rel: Rel, resolver: Resolver, scene: Scene, workspace: Workspace) -> tuple[str, str] | None:
    try:
        (kind_a, mover), (kind_b, anchor) = (resolver.term(t, {}) for t in rel.args[:2])
    except SpecError:
        return None
    if kind_a != "object" or kind_b != "object":
        return None
    direction = DIRECTION_RELATIONS[rel.name]
    clear = radius_xy(scene.get(anchor)) + radius_xy(scene.get(mover))
    # Without dist, the widest margin whose point is still on the table (an anchor near the edge).
    for dist in ([float(rel.dist)] if rel.dist is not None else [clear + m for m in PLACE_MARGINS]):
        point = xy(scene.get(anchor)) + np.array(_DIRECTION_XY[direction]) * dist
        if workspace.x[0] <= point[0] <= workspace.x[1] and workspace.y[0] <= point[1] <= workspace.y[1]:
            return to_text(rel), f"offset_xyz({anchor!r}, {direction!r}, {dist:.2f})"
    return None


LINE_CLEARANCE = 0.08  # m from each point to every object's centre: nothing in the way of a placement
_LINE_AXES = ("horizontal", "vertical", "diagonal")


def _line_hint(rel: Rel, resolver: Resolver, scene: Scene, workspace: Workspace) -> tuple[str, str] | None:
    """`points_on_line(axis, n, center=(x, y))` with the centre nearest the table's middle (on a 3 cm grid)
    whose n points are all clear of every object, so no block is put down on another or in a bowl."""
    from codebot.primitives.geometry import line_points

    axis = rel.args[1] if isinstance(rel.args[1], str) else getattr(rel.args[1], "text", None)
    try:
        members = resolver.members(rel.args[0], {})
    except SpecError:
        return None
    if axis not in _LINE_AXES or len(members) < 2 or any(kind != "object" for kind, _ in members):
        return None
    n, taken = len(members), np.array([xy(o) for o in scene.objects])
    middle = np.array(workspace.center[:2])
    grid = [middle + np.array([dx, dy]) * 0.03 for dx in range(-8, 9) for dy in range(-8, 9)]
    for centre in sorted(grid, key=lambda c: (round(float(np.linalg.norm(c - middle)), 6), c[0], c[1])):
        points = line_points(axis, n, workspace, center=(float(centre[0]), float(centre[1])))[:, :2]
        inside = all(workspace.x[0] <= x <= workspace.x[1] and workspace.y[0] <= y <= workspace.y[1] for x, y in points)
        gaps = np.linalg.norm(points[:, None] - taken[None], axis=2) if len(taken) else np.array([np.inf])
        if inside and gaps.min() >= LINE_CLEARANCE:
            call = f"points_on_line({axis!r}, {n}, center=({centre[0]:.2f}, {centre[1]:.2f}))"
            return to_text(rel), f"{call}, one of the {n} blocks on each point"
    return None


def _places_hint(rel: Rel, resolver: Resolver) -> tuple[str, str] | None:
    """`distinct_places(blocks, corners)` -> each block at one of get_corner_names()."""
    places = getattr(rel.args[1], "base", "corners") if len(rel.args) > 1 else "corners"
    try:
        n = len(resolver.members(rel.args[0], {}))
    except SpecError:
        return None
    call = {"corners": "get_corner_names()", "sides": "get_side_names()"}.get(places)
    return (to_text(rel), f"{call}, one of the {n} objects at each (put_first_on_second(block, get_location(place)))") \
        if call else None


def order_hints(goal, places: bool = True) -> list[str]:
    """'first put the red block where it goes, then put the green block on it' for each on(a, b) between named objects
    outside forall/exists/count where b is itself moved by another clause (in, at, on, near, a direction): a
    small model stacks first and then cannot pick the base with a block on it; with `places`, a tower on a place is
    started there (_tower_at_place), and a tower with a named bottom or top block is built in that order
    (_tower_order)."""
    moved: set[str] = set()
    stacked: list[tuple[str, str]] = []

    def walk(node) -> None:
        if isinstance(node, (Quant, Count)):
            return
        if isinstance(node, Rel) and node.name != "unchanged" and node.args and hasattr(node.args[0], "text"):
            if node.name == "on" and hasattr(node.args[1], "text"):
                stacked.append((node.args[0].text, node.args[1].text))
            else:
                moved.add(node.args[0].text)
        for child in children(node):
            walk(child)

    walk(goal)
    moved |= {top for top, _ in stacked}
    towers = _tower_at_place(goal) + _tower_order(goal) if places else []
    return [f"first put the {base} where it goes, then put the {top} on it" for top, base in stacked
            if base in moved and base.endswith(" block")] + towers


def _tower_at_place(goal) -> list[str]:
    """For a tower whose base is a place or a bowl (outside forall/exists/count), of every block or of named ones, the
    calls that build it there, as a note: a small model stacks where the blocks stand, or drops every block on the
    place (or in the bowl); shown the calls, it writes them (tuning pt1027)."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, (Quant, Count)):
            return
        base = getattr(node.args[1], "text", "") if isinstance(node, Rel) and len(node.args) > 1 else ""
        if isinstance(node, Rel) and node.name == "stack" and (base in PLACE_NAMES or base.endswith(" bowl")):
            members = node.args[0]
            where = f"get_location({base!r})" if base in PLACE_NAMES else repr(base)
            items = getattr(members, "items", None)
            if items is not None and all(hasattr(t, "text") for t in items):
                blocks = repr([t.text for t in items])
            elif getattr(members, "base", None) == "blocks" and not members.excluded:
                blocks = "get_blocks()"
            else:
                blocks = None
            if blocks:
                found.append(f"the tower's base is {'at' if base in PLACE_NAMES else 'in'} {where}: blocks = "
                             f"{blocks}, put_first_on_second(blocks[0], {where}), then "
                             f"put_first_on_second(blocks[i], blocks[i - 1]) for each next block")
        for child in children(node):
            walk(child)

    walk(goal)
    return found


def _tower_order(goal) -> list[str]:
    """For one tower of every block (or of named blocks) whose bottom block is named (`stack(blocks, blue block)`) or
    whose top one is (`forall(x in blocks except yellow block: not(on(x, yellow block)))` beside it), the order to
    build it in, as a note: a small model copies the example that stacks get_blocks() as listed (tuning pt506)."""
    items = goal.items if isinstance(goal, All) else (goal,)
    towers = [r for r in items if isinstance(r, Rel) and r.name == "stack"]
    if len(towers) != 1:
        return []
    members, base = towers[0].args[0], (towers[0].args[1:] or (None,))[0]
    bottom = base.text if isinstance(base, Name) and base.text.endswith(" block") else None
    if base is not None and bottom is None:
        return []
    tops = [q.members.excluded[0].text for q in items if isinstance(q, Quant) and q.kind == "forall"
            and isinstance(q.members, SetRef) and q.members.base == "blocks" and len(q.members.excluded) == 1
            and isinstance(q.members.excluded[0], Name)
            and q.body == Not(Rel("on", (Var(q.var), q.members.excluded[0])))]
    top = tops[0] if len(tops) == 1 else None
    if bottom is None and top is None or bottom == top:
        return []
    ends = [name for name in (bottom, top) if name]
    if isinstance(members, SetRef) and members.base == "blocks" and not members.excluded:
        middle = f"[b for b in get_blocks() if b not in {tuple(ends)!r}]" if len(ends) > 1 else \
            f"[b for b in get_blocks() if b != {ends[0]!r}]"
        order = " + ".join(([repr([bottom])] if bottom else []) + [middle] + ([repr([top])] if top else []))
    elif isinstance(members, SetList) and all(isinstance(t, Name) for t in members.items) \
            and set(ends) <= {t.text for t in members.items}:
        rest = [t.text for t in members.items if t.text not in ends]
        order = repr(([bottom] if bottom else []) + rest + ([top] if top else []))
    else:
        return []
    return [f"the tower's order from the bottom up: blocks = {order}, then "
            f"put_first_on_second(blocks[i], blocks[i - 1]) for each next block"]
