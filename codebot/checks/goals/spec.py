"""The goal-spec language: typed AST nodes for relations over scene objects and named places.

A spec is a `Formula`. Objects are referred to by scene name ('red block'), by a variable bound by a
quantifier ('x'), or by a selector resolved on the *initial* scene ('nearest(blocks, blue bowl)').
Sets are 'blocks', 'bowls', 'objects', 'corners', 'sides', 'others', '[a, b]' and 'S except …'.
The text form is documented in codebot/checks/goals/README.md; `parse_goal` reads it and `to_text` writes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from codebot.checks.tasks.attributes import PLACES

KINDS = ("block", "bowl")
DIRECTION_WORDS = ("left", "right", "top", "bottom")
# Relation name -> the table direction it measures (left = -x, top = +y as in Code as Policies).
DIRECTION_RELATIONS = {"left_of": "left", "right_of": "right", "above": "top", "below": "bottom"}
AXES = ("horizontal", "vertical", "diagonal")
DIST_WORDS = ("a little", "a lot")
PLACE_NAMES = tuple(PLACES) + ("middle",)
SET_BASES = ("blocks", "bowls", "objects", "corners", "sides", "others")
PLACE_SETS = ("corners", "sides")
COMPARATORS = ("==", "!=", ">=", "<=", ">", "<")
# Relations over two object terms, and the ones with their own argument shapes.
PAIR_RELATIONS = ("on", "in", "near", "same_colour") + tuple(DIRECTION_RELATIONS)
RELATIONS = PAIR_RELATIONS + ("at", "stack", "line", "distinct_places")
SELECTORS = ("nearest", "farthest", "nth", "side_of")


# ---- terms: things a relation talks about ------------------------------------------------------
@dataclass(frozen=True)
class Name:
    """A scene object ('red block') or a named place ('top left corner', 'middle')."""
    text: str

    @property
    def is_place(self) -> bool:
        return self.text in PLACE_NAMES


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Select:
    """An object (or place) chosen from a set on the initial scene.
    nearest/farthest(set, anchor); nth(set, n, direction); side_of(set, direction, anchor)."""
    how: str
    members: "SetExpr"
    anchor: "Term | None" = None
    n: int | None = None
    direction: str | None = None


Term = Union[Name, Var, Select]


# ---- sets ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SetRef:
    """'blocks', 'bowls', 'objects', 'corners', 'sides' or 'others', minus the `excluded` terms."""
    base: str
    excluded: tuple[Term, ...] = ()


@dataclass(frozen=True)
class SetList:
    items: tuple[Term, ...]


SetExpr = Union[SetRef, SetList]


# ---- formulas --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class Rel:
    """A relation. args are Terms, except: stack(set[, base]), line(set, axis-word Name),
    distinct_places(set[, SetRef corners|sides]). `dist` only for the direction relations:
    a float (metres, centre to centre) or 'a little' / 'a lot'."""
    name: str
    args: tuple
    dist: float | str | None = None


@dataclass(frozen=True)
class All:
    items: tuple["Formula", ...]


@dataclass(frozen=True)
class Any:
    items: tuple["Formula", ...]


@dataclass(frozen=True)
class Not:
    item: "Formula"


@dataclass(frozen=True)
class Implies:
    premise: "Formula"
    conclusion: "Formula"


@dataclass(frozen=True)
class Quant:
    kind: str  # "forall" | "exists"
    var: str
    members: SetExpr
    body: "Formula"


@dataclass(frozen=True)
class Count:
    var: str
    members: SetExpr
    body: "Formula"
    op: str
    n: int


@dataclass(frozen=True)
class Unchanged:
    members: SetExpr


Formula = Union[Const, Rel, All, Any, Not, Implies, Quant, Count, Unchanged]
NODE_TYPES = {cls.__name__: cls for cls in (Name, Var, Select, SetRef, SetList, Const, Rel, All, Any, Not,
                                            Implies, Quant, Count, Unchanged)}


def children(node) -> list:
    """Direct sub-nodes of any AST node (for walks: names used, constants, variables)."""
    if isinstance(node, (All, Any)):
        return list(node.items)
    if isinstance(node, Not):
        return [node.item]
    if isinstance(node, Implies):
        return [node.premise, node.conclusion]
    if isinstance(node, (Quant, Count)):
        return [node.members, node.body]
    if isinstance(node, Unchanged):
        return [node.members]
    if isinstance(node, Rel):
        return [a for a in node.args if not isinstance(a, (str, float, int))]
    if isinstance(node, Select):
        return [node.members] + ([node.anchor] if node.anchor is not None else [])
    if isinstance(node, SetRef):
        return list(node.excluded)
    if isinstance(node, SetList):
        return list(node.items)
    return []


def walk(node):
    yield node
    for child in children(node):
        yield from walk(child)
