"""Checks a held-out instruction set (default benchmarks/data/everyday_heldout.jsonl, issue 28) before it
is used to measure anything: each line has an id, an instruction, a scene {"blocks", "bowls"} of known
colours (no colour twice per kind), a kind and an expected spec. A non-null expected spec must parse
(`load_goal`) and validate (`validate_goal`) on the scene laid out as benchmarks/verdict_accuracy.py lays
out verdict_heldout.jsonl (blocks in a row, bowls in a row above them); only 'already_true' is tolerated,
and only for instructions that ask for nothing to change. A null expected spec (the language cannot say
it, or the instruction is ambiguous on its scene) must have kind 'unexpressible'. No instruction may
paraphrase an unseen-instruction (UA/UI) template of the Code-as-Policies suite (codebot/bench/splits.py).

    .venv/bin/python benchmarks/check_heldout.py [path.jsonl]    # exit 1 on any invalid item
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from codebot.agent_layout import LAYOUT_BOUND
from codebot.bench.splits import leaks
from codebot.checks.goals import load_goal, validate_goal
from codebot.checks.goals.validate import DO_NOTHING
from codebot.primitives.colors import COLORS
from codebot.primitives.protocols import ObjectInfo

DEFAULT = ROOT / "benchmarks" / "data" / "everyday_heldout.jsonl"


def scene_objects(scene: dict) -> list[ObjectInfo]:
    """The synthetic layout of benchmarks/verdict_accuracy.py's held-out phase."""
    objects = [ObjectInfo(f"{c} block", "block", c, (-0.2 + 0.1 * i, -0.55, 0.02), (-0.22 + 0.1 * i, -0.57, 0.0),
                          (-0.18 + 0.1 * i, -0.53, 0.04)) for i, c in enumerate(scene["blocks"])]
    objects += [ObjectInfo(f"{c} bowl", "bowl", c, (-0.2 + 0.15 * i, -0.3, 0.0225), (-0.26 + 0.15 * i, -0.36, 0.0),
                           (-0.14 + 0.15 * i, -0.24, 0.045)) for i, c in enumerate(scene["bowls"])]
    return objects


def second_layout(objects: list[ObjectInfo]) -> list[ObjectInfo]:
    """Another layout of the same objects (left and right swapped, the block and bowl rows swapped, the blocks
    staggered out of their row), for a label or reading that only the first layout defeats: the agent tries
    further layout seeds then (codebot/agent_layout.py)."""
    rows = {"block": -0.3, "bowl": -0.55}
    out, k = [], 0
    for o in objects:
        y = rows[o.kind] + ((0.04 if k % 2 else -0.04) if o.kind == "block" else 0.0)
        k += o.kind == "block"
        dx, dy = -o.position[0] - o.position[0], y - o.position[1]
        out.append(replace(o, position=(o.position[0] + dx, y, o.position[2]),
                           bbox_min=(o.bbox_min[0] + dx, o.bbox_min[1] + dy, o.bbox_min[2]),
                           bbox_max=(o.bbox_max[0] + dx, o.bbox_max[1] + dy, o.bbox_max[2])))
    return out


def check_entry(e: dict) -> list[str]:
    problems = [f"missing field {k!r}" for k in ("id", "instruction", "scene", "expected", "kind") if k not in e]
    if problems:
        return problems
    for kind in ("blocks", "bowls"):
        colours = e["scene"].get(kind, [])
        problems += [f"unknown {kind[:-1]} colour {c!r}" for c in colours if c not in COLORS]
        if len(set(colours)) != len(colours):
            problems.append(f"a colour twice among the {kind}")
    if e["expected"] is None:
        if e["kind"] != "unexpressible":
            problems.append("null expected spec but kind is not 'unexpressible'")
        return problems
    if e["kind"] == "unexpressible":
        problems.append("kind 'unexpressible' but an expected spec is given")
    try:
        goal = load_goal(e["expected"])
    except Exception as exc:  # a malformed label
        return problems + [f"does not parse: {exc}"]
    problems_here = validate_goal(goal, scene_objects(e["scene"]), e["instruction"])
    if problems_here and all(p.kind in LAYOUT_BOUND for p in problems_here):
        # true already on this layout only: the agent moves to another layout then (codebot/agent_layout.py)
        problems_here = validate_goal(goal, second_layout(scene_objects(e["scene"])), e["instruction"])
    for p in problems_here:
        if p.kind == "already_true" and DO_NOTHING.search(e["instruction"].lower()):
            continue
        problems.append(f"{p.kind}: {p}")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    bad = 0
    ids = [e.get("id") for e in entries]
    if len(set(ids)) != len(ids):
        print("duplicate ids")
        bad += 1
    leaked = {leak.line.strip(): leak for leak in leaks(("set", e["instruction"]) for e in entries)}
    for e in entries:
        problems = check_entry(e)
        if e.get("instruction", "").strip() in leaked:
            problems.append(leaked[e["instruction"].strip()].describe())
        bad += bool(problems)
        status = "ok" if not problems else "INVALID: " + "; ".join(problems)
        spec = "null" if e.get("expected") is None else "spec"
        print(f"{e.get('id', '?'):4s} {e.get('kind', '?'):16s} {spec:4s} {status}  | {e.get('instruction', '')}")
    print(f"{len(entries)} items, {sum(e.get('expected') is None for e in entries)} null, {bad} invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
