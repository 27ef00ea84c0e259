"""Canonical text and JSON forms of a spec. `parse_goal(to_text(g)) == g` for every Formula, and
`from_json(to_json(g)) == g`; JSON nodes are {"type": <node class>, <field>: …}."""
from __future__ import annotations

import dataclasses
import json

from codebot.checks.goals.spec import (NODE_TYPES, All, Any, Const, Count, Implies, Name, Not, Quant, Rel, Select,
                            SetList, SetRef, Unchanged, Var)


def _num(x: float) -> str:
    return f"{x:g}"


def term_text(t) -> str:
    if isinstance(t, Name):
        return t.text
    if isinstance(t, Var):
        return t.name
    if isinstance(t, Select):
        if t.how == "nth":
            return f"nth({set_text(t.members)}, {t.n}, {t.direction})"
        if t.how == "side_of":
            return f"side_of({set_text(t.members)}, {t.direction}, {term_text(t.anchor)})"
        return f"{t.how}({set_text(t.members)}, {term_text(t.anchor)})"
    raise TypeError(f"not a term: {t!r}")


def set_text(s) -> str:
    if isinstance(s, SetList):
        return "[" + ", ".join(term_text(t) for t in s.items) + "]"
    if not s.excluded:
        return s.base
    if len(s.excluded) == 1 and not isinstance(s.excluded[0], Select):
        return f"{s.base} except {term_text(s.excluded[0])}"
    return f"{s.base} except [" + ", ".join(term_text(t) for t in s.excluded) + "]"


def to_text(g) -> str:
    """The canonical text of a Formula (one line)."""
    if isinstance(g, Const):
        return "true" if g.value else "false"
    if isinstance(g, All):
        return "all(" + ", ".join(to_text(i) for i in g.items) + ")"
    if isinstance(g, Any):
        return "any(" + ", ".join(to_text(i) for i in g.items) + ")"
    if isinstance(g, Not):
        return f"not({to_text(g.item)})"
    if isinstance(g, Implies):
        return f"implies({to_text(g.premise)}, {to_text(g.conclusion)})"
    if isinstance(g, Quant):
        return f"{g.kind}({g.var} in {set_text(g.members)}: {to_text(g.body)})"
    if isinstance(g, Count):
        return f"count({g.var} in {set_text(g.members)}: {to_text(g.body)}) {g.op} {g.n}"
    if isinstance(g, Unchanged):
        if isinstance(g.members, SetList):
            return "unchanged(" + ", ".join(term_text(t) for t in g.members.items) + ")"
        return f"unchanged({set_text(g.members)})"
    if isinstance(g, Rel):
        parts = []
        for a in g.args:
            if isinstance(a, str):
                parts.append(a)
            elif isinstance(a, (SetRef, SetList)):
                parts.append(set_text(a))
            else:
                parts.append(term_text(a))
        if g.dist is not None:
            parts.append("dist=" + (g.dist if isinstance(g.dist, str) else _num(g.dist)))
        return f"{g.name}(" + ", ".join(parts) + ")"
    raise TypeError(f"not a formula: {g!r}")


def _to_obj(node):
    if isinstance(node, tuple):
        return [_to_obj(x) for x in node]
    if dataclasses.is_dataclass(node):
        out = {"type": type(node).__name__}
        for f in dataclasses.fields(node):
            out[f.name] = _to_obj(getattr(node, f.name))
        return out
    return node


def _from_obj(obj):
    if isinstance(obj, list):
        return tuple(_from_obj(x) for x in obj)
    if isinstance(obj, dict):
        cls = NODE_TYPES.get(obj.get("type"))
        if cls is None:
            raise ValueError(f"unknown spec node type {obj.get('type')!r}")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(obj) - names - {"type"}
        if unknown:
            raise ValueError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
        return cls(**{k: _from_obj(v) for k, v in obj.items() if k != "type"})
    return obj


def to_json(g) -> str:
    return json.dumps(_to_obj(g), separators=(",", ":"))


def from_json(text_or_obj):
    """A Formula from its JSON form (a string or an already-decoded dict)."""
    obj = json.loads(text_or_obj) if isinstance(text_or_obj, str) else text_or_obj
    return _from_obj(obj)
