"""Evaluate a goal spec against the perceived objects before and after a program ran.

Runs in the trusted process (the sim server), never in the program process. Selectors and sets are
resolved on the initial scene; relations are measured on the final scene, except that a direction
relation measures from where its anchor stood at the start. An object that fell off the table makes
every relation about it false, and a quantifier over a set counts it as failing (forall) or absent
(exists, count). `others` is every object the spec does not mention (selectors mention only what they
select, not their anchors)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.checks.goals import measures
from codebot.checks.goals.printer import to_text
from codebot.checks.goals.selectors import Resolver, SpecError
from codebot.checks.goals.spec import (DIRECTION_RELATIONS, All, Any, Const, Count, Formula, Implies, Not,
                            Quant, Rel, Unchanged)
from codebot.checks.tasks.relations import Scene, fell, moved, xy


@dataclass
class ClauseResult:
    text: str
    holds: bool
    reason: str
    measured: dict = field(default_factory=dict)

    def line(self) -> str:
        return f"{self.text} {'true' if self.holds else 'false'}: {self.reason}"


@dataclass
class GoalVerdict:
    """success; reason (the first failing clause with its measured values, or a summary); one
    ClauseResult per top-level clause; the spec's canonical text."""
    success: bool
    reason: str
    clauses: list[ClauseResult]
    spec: str

    def to_dict(self) -> dict:
        return asdict(self)


_MAX_LISTED = 3


class _Gone(Exception):
    """An object a relation needs fell off the table or vanished: the clause fails, even under not()."""


class _Evaluator:
    def __init__(self, goal: Formula, before: list[ObjectInfo], after: list[ObjectInfo], workspace: Workspace):
        self.before, self.after, self.workspace = Scene(before), Scene(after), workspace
        self.resolver = Resolver(goal, self.before, workspace)

    # ---- objects on the final scene ---------------------------------------------------------
    def final(self, name: str) -> tuple[ObjectInfo | None, str]:
        obj = self.after.get(name)
        if obj is None:
            return None, f"{name} is not in the final scene"
        if fell(obj, self.workspace):
            return None, f"{name} fell off the table"
        return obj, ""

    def present(self, name: str) -> ObjectInfo:
        obj, missing = self.final(name)
        if obj is None:
            raise _Gone(missing)
        return obj

    def obj_arg(self, term, env) -> ObjectInfo:
        kind, value = self.resolver.term(term, env)
        if kind != "object":
            raise SpecError(f"{value} is a place, not an object")
        return self.present(value)

    # ---- formulas ---------------------------------------------------------------------------
    def eval(self, g: Formula, env: dict) -> tuple[bool, str, dict]:
        if isinstance(g, Const):
            return g.value, "a constant", {}
        if isinstance(g, All):
            results = [(i, self.eval(i, env)) for i in g.items]
            failed = [f"{to_text(i)}: {r[1]}" for i, r in results if not r[0]]
            return not failed, "; ".join(failed[:_MAX_LISTED]) or "every part holds", {}
        if isinstance(g, Any):
            results = [(i, self.eval(i, env)) for i in g.items]
            held = [to_text(i) for i, r in results if r[0]]
            if held:
                return True, f"{held[0]} holds", {}
            return False, "none holds: " + "; ".join(f"{to_text(i)}: {r[1]}" for i, r in results[:_MAX_LISTED]), {}
        if isinstance(g, Not):
            ok, why, m = self.eval(g.item, env)
            return not ok, ("it does not hold: " if not ok else "it holds: ") + why, m
        if isinstance(g, Implies):
            ok, why, _ = self.eval(g.premise, env)
            if not ok:
                return True, "the condition does not apply", {}
            return self.eval(g.conclusion, env)
        if isinstance(g, (Quant, Count)):
            return self.quantifier(g, env)
        if isinstance(g, Unchanged):
            return self.unchanged(g, env)
        if isinstance(g, Rel):
            return self.relation(g, env)
        raise SpecError(f"not a formula: {g!r}")

    def quantifier(self, g, env) -> tuple[bool, str, dict]:
        members = self.resolver.members(g.members, env)
        held, failed = [], []
        for kind, name in members:
            if kind == "object":
                _, missing = self.final(name)
                if missing:
                    failed.append(missing)
                    continue
            try:
                ok, why, _ = self.eval(g.body, {**env, g.var: (kind, name)})
            except _Gone as gone:
                ok, why = False, str(gone)
            (held if ok else failed).append(name if ok else f"{g.var}={name}: {why}")
        measured = {"members": len(members), "holding": len(held)}
        if isinstance(g, Count):
            n = len(held)
            ok = {"==": n == g.n, "!=": n != g.n, ">=": n >= g.n, "<=": n <= g.n, ">": n > g.n,
                  "<": n < g.n}[g.op]
            return ok, f"{n} of {len(members)} hold (asked {g.op} {g.n})", measured
        if g.kind == "forall":
            if failed:
                more = f" (+{len(failed) - _MAX_LISTED} more)" if len(failed) > _MAX_LISTED else ""
                return False, "; ".join(failed[:_MAX_LISTED]) + more, measured
            return True, f"holds for all {len(members)}", measured
        if held:
            return True, f"holds for {held[0]}", measured
        return False, "holds for none of " + str(len(members)) + (": " + failed[0] if failed else ""), measured

    def unchanged(self, g: Unchanged, env) -> tuple[bool, str, dict]:
        moved_list = []
        members = [n for k, n in self.resolver.members(g.members, env) if k == "object"]
        for name in members:
            b = self.before.get(name)
            a = self.after.get(name)
            if b is not None and moved(b, a):
                dist = "it vanished" if a is None else f"{float(((xy(a) - xy(b)) ** 2).sum() ** 0.5) * 100:.0f} cm"
                moved_list.append(f"{name} moved {dist}")
        if moved_list:
            return False, "; ".join(moved_list) + " (at most 5 cm)", {"moved": len(moved_list)}
        return True, f"{len(members)} object(s) stayed put", {"checked": len(members)}

    def relation(self, g: Rel, env) -> tuple[bool, str, dict]:
        name, args, after = g.name, g.args, self.after.objects
        if name in ("stack", "line", "distinct_places"):
            members = self.resolver.members(args[0], env)
            objs = []
            for kind, n in members:
                if kind != "object":
                    raise SpecError(f"{name}() takes objects; {n} is a place")
                objs.append(self.present(n))
            if name == "line":
                return measures.line_measure(objs, args[1], self.workspace)
            if name == "distinct_places":
                places = tuple(n for _, n in self.resolver.members(args[1], env))
                return measures.distinct_places_measure(objs, places, self.workspace)
            base = None
            if len(args) > 1:
                kind, value = self.resolver.term(args[1], env)
                if kind == "place":
                    base = value
                else:
                    base = self.present(value)
            return measures.stack_measure(objs, base, after, self.workspace)
        a = self.obj_arg(args[0], env)
        kind, value = self.resolver.term(args[1], env)
        if name == "same_colour":
            first = self.before.get(a.name) or a
            other = self.before.get(value) if kind == "object" else None
            if other is None:
                return False, f"{value} is not an object", {}
            same = first.color == other.color
            return same, f"{a.name} is {first.color}, {other.name} is {other.color}", {}
        if kind == "place":
            if name in ("on", "in", "at"):
                return measures.at_place_measure(a, value, self.workspace)
            raise SpecError(f"{name}() needs two objects, not the place {value!r}")
        b = self.present(value)
        if name == "on":
            return measures.on_object(a, b)
        if name in ("in", "at"):
            return measures.in_object(a, b, after)
        if name == "near":
            return measures.near_measure(a, b)
        if name in DIRECTION_RELATIONS:
            start = self.before.get(b.name) or b
            return measures.direction_measure(a, start, xy(start), DIRECTION_RELATIONS[name], g.dist,
                                              after, self.workspace)
        raise SpecError(f"unknown relation {name!r}")


def top_clauses(goal: Formula) -> list[Formula]:
    return list(goal.items) if isinstance(goal, All) else [goal]


def evaluate_goal(goal: Formula, before: list[ObjectInfo], after: list[ObjectInfo],
                  workspace: Workspace = DEFAULT_WORKSPACE) -> GoalVerdict:
    """Judge a spec. Never raises for a well-formed spec: a reference that cannot be resolved (a name
    not in the scene, a selector that finds nothing) makes its clause false with the reason."""
    text = to_text(goal)
    try:
        ev = _Evaluator(goal, before, after, workspace)
    except SpecError as exc:
        return GoalVerdict(False, f"{text} cannot be evaluated: {exc}", [ClauseResult(text, False, str(exc))], text)
    clauses = []
    for clause in top_clauses(goal):
        try:
            ok, why, measured = ev.eval(clause, {})
        except SpecError as exc:
            ok, why, measured = False, f"cannot be evaluated: {exc}", {}
        except _Gone as gone:
            ok, why, measured = False, str(gone), {}
        clauses.append(ClauseResult(to_text(clause), bool(ok), why, measured))
    failed = [c for c in clauses if not c.holds]
    if failed:
        return GoalVerdict(False, failed[0].line(), clauses, text)
    summary = "; ".join(c.reason for c in clauses[:2])
    return GoalVerdict(True, f"{text} holds: {summary}", clauses, text)
