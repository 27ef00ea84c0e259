"""How much everyday English does the deterministic phrase parser read, and does it ever misread?

Over an instruction set (default benchmarks/data/paraphrase_tuning.jsonl, the set the parser is tuned
on; `--set heldout` for benchmarks/data/everyday_heldout.jsonl and `--set heldout2` … `heldout6` for
its successors everyday_heldout_v2.jsonl … _v6, which it must never be tuned on while they are held out), each
instruction is normalised and given to `phrase_spec` on its scene (laid out as
benchmarks/check_heldout.py lays it out). A reading counts only as the agent would use it: it parses,
validates on the scene and is licensed by the instruction (grounding: it names nothing the instruction
does not); a reading that fails those is 'refused' and counts as unread. Each used reading is then

    correct  equivalent to the expected spec (same canonical text, or the same verdict on every probe
             outcome: codebot/checks/goals/equivalence.py over the synthetic outcomes below)
    wrong    the expected spec is null (the instruction should stay unread) or the reading differs
             from it on some outcome: a misread, worse than no reading. This must stay 0.

Probe outcomes: every block moved alone to every destination the scene offers (each bowl, onto each
other block, each named place, beside each object, 6-20 cm off each object in each direction), all blocks
into each bowl or onto each place, towers in every order, colour sorts, and random two-block moves.

    .venv/bin/python benchmarks/phrase_coverage.py                    # the tuning set
    .venv/bin/python benchmarks/phrase_coverage.py --set heldout      # once, not tuned on
    .venv/bin/python benchmarks/phrase_coverage.py --set heldout2     # v2 (held out until v3 was written)
    .venv/bin/python benchmarks/phrase_coverage.py --set heldout3     # the fresh held-out set (v3)
    .venv/bin/python benchmarks/phrase_coverage.py --out results/phrase_coverage.json --show wrong,unread
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_heldout import scene_objects, second_layout

from codebot.agent_layout import LAYOUT_BOUND
from codebot.bench.stats import wilson_interval
from codebot.checks.goals import load_goal, normalize_instruction, to_text, validate_goal
from codebot.checks.goals.equivalence import equivalent
from codebot.checks.goals.grounding import grounding_problems
from codebot.checks.goals.phrases import phrase_spec
from codebot.checks.goals.spec import PLACE_NAMES, Count, Quant, Rel, Select, walk
from codebot.checks.tasks.relations import named_place_point
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE

SETS = {"tuning": ROOT / "benchmarks" / "data" / "paraphrase_tuning.jsonl",
        "heldout": ROOT / "benchmarks" / "data" / "everyday_heldout.jsonl",
        "heldout2": ROOT / "benchmarks" / "data" / "everyday_heldout_v2.jsonl",
        "heldout3": ROOT / "benchmarks" / "data" / "everyday_heldout_v3.jsonl",
        "heldout4": ROOT / "benchmarks" / "data" / "everyday_heldout_v4.jsonl",
        "heldout5": ROOT / "benchmarks" / "data" / "everyday_heldout_v5.jsonl",
        "heldout6": ROOT / "benchmarks" / "data" / "everyday_heldout_v6.jsonl"}
_DIRS = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "top": (0.0, 1.0), "bottom": (0.0, -1.0)}


# ---- synthetic outcomes ------------------------------------------------------------------------
def placed(obj: ObjectInfo, x: float, y: float, bottom_z: float) -> ObjectInfo:
    """`obj` with its box moved so its centre is over (x, y) and its bottom at bottom_z."""
    lo, hi, p = np.array(obj.bbox_min), np.array(obj.bbox_max), np.array(obj.position)
    shift = np.array([x - p[0], y - p[1], bottom_z - lo[2]])
    return replace(obj, position=tuple(p + shift), bbox_min=tuple(lo + shift), bbox_max=tuple(hi + shift))


def _radius(o: ObjectInfo) -> float:
    return float(max(o.bbox_max[0] - o.bbox_min[0], o.bbox_max[1] - o.bbox_min[1]) / 2)


def destinations(block: ObjectInfo, scene: dict[str, ObjectInfo]) -> list[tuple[float, float, float]]:
    """(x, y, bottom z) points a block could be moved to in `scene` (name -> current object)."""
    table = DEFAULT_WORKSPACE.table_z
    out = []
    for o in scene.values():
        if o.name == block.name:
            continue
        x, y = o.position[:2]
        if o.kind == "bowl":
            out.append((x, y, o.bbox_min[2] + 0.005))
        else:
            out.append((x, y, o.bbox_max[2]))
        gap = _radius(o) + _radius(block) + 0.025
        for dx, dy in _DIRS.values():
            out.append((x + dx * gap, y + dy * gap, table))
            for dist in (0.1, 0.15, 0.2):
                out.append((x + dx * dist, y + dy * dist, table))
    for place in PLACE_NAMES:
        px, py = named_place_point(place, DEFAULT_WORKSPACE)
        out.append((float(px), float(py), table))
    return out


def outcomes(before: list[ObjectInfo], seed: int = 0, random_pairs: int = 120) -> list[list[ObjectInfo]]:
    base = {o.name: o for o in before}
    blocks = [o for o in before if o.kind == "block"]
    bowls = [o for o in before if o.kind == "bowl"]
    table = DEFAULT_WORKSPACE.table_z

    def scene_with(moves: dict[str, ObjectInfo]) -> list[ObjectInfo]:
        return [moves.get(o.name, o) for o in before]

    afters = []
    for b in blocks:  # one block moved
        for x, y, z in destinations(b, base):
            afters.append(scene_with({b.name: placed(b, x, y, z)}))
    for w in bowls:  # all blocks into one bowl (a small tower in it)
        moves, z = {}, w.bbox_min[2] + 0.005
        for b in blocks:
            moves[b.name] = placed(b, w.position[0], w.position[1], z)
            z = moves[b.name].bbox_max[2]
        afters.append(scene_with(moves))
    for place in PLACE_NAMES:  # all blocks at one place, side by side
        px, py = named_place_point(place, DEFAULT_WORKSPACE)
        afters.append(scene_with({b.name: placed(b, float(px) + 0.045 * (i - 1) * (1 if abs(px) < 0.2 else 0),
                                                float(py) + 0.045 * (i - 1) * (0 if abs(px) < 0.2 else 1), table)
                                  for i, b in enumerate(blocks)}))
    for order in itertools.permutations(blocks):  # towers, on the table and in each bowl
        for base_obj in [None] + bowls:
            x, y = (order[0].position[:2] if base_obj is None else base_obj.position[:2])
            z = table if base_obj is None else base_obj.bbox_min[2] + 0.005
            moves = {}
            for b in order:
                moves[b.name] = placed(b, x, y, z)
                z = moves[b.name].bbox_max[2]
            afters.append(scene_with(moves))
    by_colour = {w.color: w for w in bowls}  # colour sorts, and one block per bowl
    afters.append(scene_with({b.name: placed(b, *by_colour[b.color].position[:2],
                                             by_colour[b.color].bbox_min[2] + 0.005)
                              for b in blocks if b.color in by_colour}))
    for chosen in itertools.permutations(blocks, min(len(blocks), len(bowls))):
        afters.append(scene_with({b.name: placed(b, *w.position[:2], w.bbox_min[2] + 0.005)
                                  for b, w in zip(chosen, bowls)}))
    rng = np.random.default_rng(seed)
    for _ in range(random_pairs):  # two blocks moved, the second after the first
        if len(blocks) < 2:
            break
        first, second = rng.choice(len(blocks), size=2, replace=False)
        moves: dict[str, ObjectInfo] = {}
        for k in (first, second):
            b = blocks[k]
            now = {**base, **moves}
            options = destinations(b, now)
            moves[b.name] = placed(b, *options[int(rng.integers(len(options)))])
        afters.append(scene_with(moves))
    return afters


# ---- one item ----------------------------------------------------------------------------------
def relations_of(spec_text: str | None) -> list[str]:
    """The relations, selectors and quantifiers a spec uses (an item is counted under each)."""
    if spec_text is None:
        return ["(null)"]
    names = set()
    for node in walk(load_goal(spec_text)):
        if isinstance(node, Rel):
            names.add(node.name + ("(dist)" if node.dist is not None else ""))
        elif isinstance(node, Select):
            names.add(node.how)
        elif isinstance(node, Quant):
            names.add(node.kind)
        elif isinstance(node, Count):
            names.add("count")
    return sorted(names)


def judge_item(entry: dict) -> dict:
    normalized = normalize_instruction(entry["instruction"])[0]
    rec = {"id": entry["id"], "kind": entry.get("kind"), "instruction": entry["instruction"],
           "expected": entry["expected"], "reading": None, "outcome": "unread", "why": ""}
    for objects in (scene_objects(entry["scene"]), second_layout(scene_objects(entry["scene"]))):
        text = phrase_spec(normalized, objects)
        if text is None:
            return rec
        rec["reading"] = text
        try:
            goal = load_goal(text)
        except Exception as exc:  # a reading that does not parse is the parser's bug: show it
            rec.update(outcome="refused", why=f"does not parse: {exc}")
            return rec
        problems = validate_goal(goal, objects, entry["instruction"]) + grounding_problems(
            goal, f"{entry['instruction']} {normalized}", objects)  # as goal_writer.parser_reading grounds it
        rec.update(outcome="refused" if problems else "unread", why="; ".join(map(str, problems)))
        if not problems or any(p.kind not in LAYOUT_BOUND for p in problems):
            break
    if problems:
        return rec
    rec["reading"] = to_text(goal)
    if entry["expected"] is None:
        rec.update(outcome="wrong", why="read an instruction that should stay unread")
        return rec
    expected = load_goal(entry["expected"])
    pairs = [(objects, after) for after in [objects] + outcomes(objects)]
    same, how = equivalent(goal, expected, pairs)
    rec.update(outcome="correct" if same else "wrong", why=how)
    return rec


# ---- summary -----------------------------------------------------------------------------------
def rate(k: int, n: int) -> dict:
    lo, hi = wilson_interval(k, n)
    return {"n": k, "of": n, "pct": round(100 * k / n, 1) if n else None,
            "ci95": [round(100 * lo, 1), round(100 * hi, 1)]}


def tally(records: list[dict]) -> dict:
    n = len(records)
    read = sum(r["outcome"] in ("correct", "wrong") for r in records)
    return {"items": n, "read": rate(read, n), "correct": rate(sum(r["outcome"] == "correct" for r in records), n),
            "wrong": rate(sum(r["outcome"] == "wrong" for r in records), n),
            "unread": rate(sum(r["outcome"] in ("unread", "refused") for r in records), n),
            "refused": sum(r["outcome"] == "refused" for r in records),
            "expressible": sum(r["expected"] is not None for r in records)}


def summarise(records: list[dict]) -> dict:
    groups_kind, groups_rel = defaultdict(list), defaultdict(list)
    for r in records:
        groups_kind[r["kind"]].append(r)
        for name in relations_of(r["expected"]):
            groups_rel[name].append(r)
    return {"overall": tally(records),
            "by_relation": {k: tally(v) for k, v in sorted(groups_rel.items())},
            "by_kind": {k: tally(v) for k, v in sorted(groups_kind.items(), key=lambda kv: str(kv[0]))}}


def _line(name: str, t: dict) -> str:
    def pct(d):
        return f"{d['n']:3d}/{d['of']:<3d} {d['pct']:5.1f} [{d['ci95'][0]:5.1f}-{d['ci95'][1]:5.1f}]"
    return f"{name:22s} read {pct(t['read'])}  correct {pct(t['correct'])}  wrong {t['wrong']['n']:2d}  " \
           f"unread {t['unread']['n']:3d}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default="tuning", help="tuning | heldout | a path to a .jsonl set")
    ap.add_argument("--out", type=Path, help="write the records and summary as JSON")
    ap.add_argument("--show", default="wrong,refused", help="outcomes whose items to list (comma-separated)")
    args = ap.parse_args(argv)
    path = SETS.get(args.set, Path(args.set))
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    records = [judge_item(e) for e in entries]
    summary = summarise(records)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"set": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
                                        "summary": summary, "records": records}, indent=1))
    show = set(args.show.split(",")) if args.show else set()
    for r in records:
        if r["outcome"] in show:
            print(f"  {r['id']:6s} {r['outcome']:8s} {r['instruction']}\n{'':16s}read: {r['reading']}\n"
                  f"{'':16s}want: {r['expected']}  ({r['why'][:160]})")
    print(f"phrase coverage on {path.name}")
    print(_line("overall", summary["overall"]))
    print("by relation / selector / quantifier in the expected spec:")
    for name, t in summary["by_relation"].items():
        print(_line("  " + name, t))
    print("by the set's kind label:")
    for name, t in summary["by_kind"].items():
        print(_line("  " + str(name), t))
    return 1 if summary["overall"]["wrong"]["n"] else 0


if __name__ == "__main__":
    sys.exit(main())
