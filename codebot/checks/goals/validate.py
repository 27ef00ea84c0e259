"""Validation of a spec against the scene it will judge, before any program runs: every name must
exist, arguments must have the right kind (an object where an object goes), selectors must find
something, a spec of constants only is refused, and a spec already true on the initial scene is
flagged unless the instruction asks for nothing to change."""
from __future__ import annotations

import re
from dataclasses import dataclass

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.checks.goals.evaluate import evaluate_goal
from codebot.checks.goals.printer import term_text, to_text
from codebot.checks.goals.selectors import Resolver, SpecError
from codebot.checks.goals.spec import (DIRECTION_RELATIONS, PAIR_RELATIONS, PLACE_NAMES, All, Const, Formula, Name,
                                       Not, Rel, Select, SetRef, Unchanged, walk)
from codebot.checks.tasks.relations import Scene

DO_NOTHING = re.compile(r"\b(do nothing|don'?t (move|touch)|do not (move|touch)|leave (everything|it|them|"
                        r"the [a-z]+( [a-z]+)?) (alone|as (it|they) (is|are)|where (it|they) (is|are))|"
                        r"keep (everything|it|them) (still|where)|nothing should move)\b")


@dataclass(frozen=True)
class Problem:
    kind: str  # unknown_name | bad_argument | unresolved | constant | already_true
    message: str

    def __str__(self) -> str:
        return self.message


def scene_vocabulary(objects: list[ObjectInfo]) -> str:
    names = ", ".join(sorted(o.name for o in objects)) or "none"
    return f"objects: {names}; places: {', '.join(PLACE_NAMES)}"


def _argument_problems(goal: Formula, names: set[str]) -> list[Problem]:
    out = []
    for node in walk(goal):
        if not isinstance(node, Rel) or node.name not in PAIR_RELATIONS + ("at",):
            continue
        first = node.args[0]
        if isinstance(first, Name) and first.text in PLACE_NAMES:
            out.append(Problem("bad_argument", f"{node.name}(…): its first argument must be an object, "
                                               f"not the place {first.text!r}"))
        if node.name in ("on", "in") and isinstance(first, Name) and first.text.endswith(" bowl"):
            out.append(Problem("bad_argument", f"{node.name}({first.text}, …): the robot moves blocks, not "
                                               f"bowls; the first argument must be a block"))
        second = node.args[1]
        if first == second:
            out.append(Problem("bad_argument", f"{node.name}(…) relates {term_text(first)} to itself"))
        if node.name == "in" and isinstance(second, Name) and second.text.endswith(" block"):
            out.append(Problem("bad_argument", f"in(…, {second.text}): only a bowl holds things; use on(…) "
                                               f"for a block on a block"))
        needs_object = node.name in DIRECTION_RELATIONS or node.name in ("near", "same_colour")
        if needs_object and isinstance(second, Name) and second.text in PLACE_NAMES:
            out.append(Problem("bad_argument", f"{node.name}(…) compares two objects; {second.text!r} is a "
                                               f"place (use at(…, {second.text}))"))
    return out + _stack_problems(goal) + _contradictions(goal)


def _stack_problems(goal: Formula) -> list[Problem]:
    """A tower is made of blocks: no bowl among stack(...)'s members (its base may be a bowl)."""
    out = []
    for node in walk(goal):
        if not isinstance(node, Rel) or node.name != "stack":
            continue
        members = node.args[0]
        bowls = [t.text for t in getattr(members, "items", ()) if isinstance(t, Name) and t.text.endswith(" bowl")]
        if isinstance(members, SetRef) and members.base in ("bowls", "objects"):
            bowls.append(members.base)
        if bowls:
            out.append(Problem("bad_argument", f"stack(…) is a tower of blocks; {', '.join(bowls)} cannot be "
                                               f"part of it (a bowl may only be the base)"))
    return out


def _contradictions(goal: Formula) -> list[Problem]:
    """all(p, …, not(p)) can never hold, nor all(in(a, B), in(a, C)) with two named bowls (places may overlap: the
    top side and the left side meet in a corner): a spec that contradicts itself passes no program (fresh batch
    s24 pt2005's restatement, "put the yellow block in the green bowl and then put the yellow block in the blue
    bowl", had been read as both at once)."""
    out = []
    for node in walk(goal):
        if isinstance(node, All):
            said = {to_text(i) for i in node.items if not isinstance(i, Not)}
            denied = {to_text(i.item) for i in node.items if isinstance(i, Not)}
            for text in sorted(said & denied):
                out.append(Problem("contradiction", f"the spec both requires and forbids {text}"))
            bowls_of: dict[str, set[str]] = {}
            for item in node.items:
                if isinstance(item, Rel) and item.name == "in" and all(isinstance(a, Name) for a in item.args[:2]):
                    bowls_of.setdefault(item.args[0].text, set()).add(item.args[1].text)
            for subject, bowls in sorted(bowls_of.items()):
                if len(bowls) > 1:
                    out.append(Problem("contradiction", f"the spec puts the {subject} in the "
                                                        f"{' and the '.join(sorted(bowls))} at once"))
    return out


def validate_goal(goal: Formula, objects: list[ObjectInfo], instruction: str | None = None,
                  workspace: Workspace = DEFAULT_WORKSPACE) -> list[Problem]:
    """Problems that make `goal` unfit to judge `instruction` on this initial scene ([] = fit)."""
    names = {o.name for o in objects}
    problems = []
    unknown = sorted({n.text for n in walk(goal) if isinstance(n, Name)
                      and n.text not in names and n.text not in PLACE_NAMES})
    for text in unknown:
        if len(text) == 1:  # a variable used outside the quantifier that binds it
            problems.append(Problem("unknown_name", f"{text!r} is a variable used outside forall/exists/count: "
                                                    f"write forall({text} in blocks: ...) around its use"))
            continue
        problems.append(Problem("unknown_name", f"no object or place named {text!r} in this scene "
                                                f"({scene_vocabulary(objects)})"))
    problems += _argument_problems(goal, names)
    if not any(isinstance(n, (Rel, Unchanged)) for n in walk(goal)):
        problems.append(Problem("constant", "the spec is made of constants only (it says nothing about the "
                                            "scene), so it cannot verify anything"))
    if any(isinstance(n, Const) for n in walk(goal)) and not problems:
        problems.append(Problem("constant", "the spec contains true/false constants; write relations only"))
    if problems:
        return problems
    scene = Scene(objects)
    resolver = Resolver(goal, scene, workspace)
    for node in walk(goal):
        if isinstance(node, Select):
            try:
                resolver.select(node, {})
            except SpecError as exc:
                if "not bound" not in str(exc):
                    problems.append(Problem("unresolved", str(exc)))
    if problems:
        return problems
    verdict = evaluate_goal(goal, objects, objects, workspace)
    broken = [c for c in verdict.clauses if "cannot be evaluated" in c.reason]
    if broken:
        return [Problem("unresolved", f"{c.text} {c.reason}") for c in broken]
    if verdict.success and not (instruction and DO_NOTHING.search(instruction.lower())):
        problems.append(Problem("already_true", "the spec already holds on the initial scene, so it cannot "
                                                "tell whether the program did anything"))
    return problems
