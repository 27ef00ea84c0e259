"""Resolving a spec's terms and sets on the initial scene: names, variables, selectors
(nearest/farthest/nth/side_of, as templates 6-8 and 13 pick their referents) and the 'others' set."""
from __future__ import annotations

import numpy as np

from codebot.primitives.workspace import Workspace
from codebot.checks.goals.spec import PLACE_NAMES, Name, Select, SetList, SetRef, Unchanged, Var, children
from codebot.checks.tasks.attributes import CORNERS, DIRECTIONS, PLACES
from codebot.checks.tasks.relations import Scene, named_place_point, xy

SIDES = tuple(p for p in PLACES if p.endswith("side"))
Ref = tuple[str, str]  # ("object" | "place", name)


class SpecError(ValueError):
    """A spec refers to something the scene cannot supply (unknown name, empty selector...)."""


class Resolver:
    def __init__(self, goal, before: Scene, workspace: Workspace):
        self.before, self.workspace = before, workspace
        self.mentioned: set[str] = set()
        self._collect_mentioned(goal)

    # ---- terms ------------------------------------------------------------------------------
    def term(self, t, env: dict) -> Ref:
        if isinstance(t, Name):
            if self.before.get(t.text) is not None:
                return "object", t.text
            if t.text in PLACE_NAMES:
                return "place", t.text
            raise SpecError(f"no object or place named {t.text!r} in this scene")
        if isinstance(t, Var):
            if t.name not in env:
                raise SpecError(f"variable {t.name!r} is not bound by forall/exists/count")
            return env[t.name]
        if isinstance(t, Select):
            return self.select(t, env)
        raise SpecError(f"not a term: {t!r}")

    def point(self, ref: Ref) -> np.ndarray:
        kind, name = ref
        return named_place_point(name, self.workspace) if kind == "place" else xy(self.before.get(name))

    def select(self, s: Select, env: dict) -> Ref:
        members = self.members(s.members, env)
        if not members:
            raise SpecError(f"{s.how}(…) has an empty set to choose from")
        if s.how in ("nearest", "farthest"):
            kind, name = self.term(s.anchor, env)
            if kind == "place" and name in SIDES:  # a side is an edge: nearest it is nth(…, 1, that way), ties too
                toward = _unit(name.split()[0]) * (1 if s.how == "nearest" else -1)
                return max((float(np.dot(self.point(m), toward)), m) for m in members)[1]
            anchor = self.point((kind, name))
            dists = [(float(np.linalg.norm(self.point(m) - anchor)), m) for m in members]
            pick = min(dists) if s.how == "nearest" else max(dists)
            return pick[1]
        if s.how == "nth":
            # Counting 'from the left' starts at the member farthest to the left (template 8).
            ranked = sorted(((float(np.dot(self.point(m), _unit(s.direction))), m) for m in members), reverse=True)
            if not 1 <= s.n <= len(ranked):
                raise SpecError(f"nth(…, {s.n}, {s.direction}) but the set has {len(ranked)} member(s)")
            return ranked[s.n - 1][1]
        if s.how == "side_of":
            anchor = self.point(self.term(s.anchor, env))
            ranked = sorted(((float(np.dot(self.point(m) - anchor, _unit(s.direction))), m) for m in members),
                            reverse=True)
            if ranked[0][0] <= 0:
                raise SpecError(f"nothing in the set lies to the {s.direction} of {self.term(s.anchor, env)[1]}")
            return ranked[0][1]
        raise SpecError(f"unknown selector {s.how!r}")

    # ---- sets -------------------------------------------------------------------------------
    def members(self, s, env: dict) -> list[Ref]:
        if isinstance(s, SetList):
            return [self.term(t, env) for t in s.items]
        if not isinstance(s, SetRef):
            raise SpecError(f"not a set: {s!r}")
        base = {
            "blocks": [("object", o.name) for o in self.before.blocks()],
            "bowls": [("object", o.name) for o in self.before.bowls()],
            "objects": [("object", o.name) for o in sorted(self.before.objects, key=lambda o: o.name)],
            "corners": [("place", c) for c in CORNERS],
            "sides": [("place", c) for c in SIDES],
            "others": [("object", o.name) for o in sorted(self.before.objects, key=lambda o: o.name)
                       if o.name not in self.mentioned],
        }.get(s.base)
        if base is None:
            raise SpecError(f"unknown set {s.base!r}")
        excluded = {self.term(t, env) for t in s.excluded}
        return [m for m in base if m not in excluded]

    # ---- what the spec mentions (everything else is 'others') -------------------------------
    def _collect_mentioned(self, node) -> None:
        if isinstance(node, Unchanged):
            return
        if isinstance(node, Name):
            if self.before.get(node.text) is not None:
                self.mentioned.add(node.text)
            return
        if isinstance(node, (Select, SetRef)):
            if isinstance(node, SetRef) and node.base == "others":
                return
            try:  # a selector mentions what it selects; a set its members, not its exclusions
                refs = [self.select(node, {})] if isinstance(node, Select) else self.members(node, {})
            except SpecError:
                return  # depends on a variable, or resolves to nothing: validation reports it
            self.mentioned.update(n for k, n in refs if k == "object")
            return
        for child in children(node):
            self._collect_mentioned(child)


def _unit(direction: str) -> np.ndarray:
    return np.array(DIRECTIONS[direction])
