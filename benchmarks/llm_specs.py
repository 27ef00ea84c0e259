"""How good are the LLM's checks where the phrase parser cannot read an instruction (issue 28): for every item of
an instruction set that the parser leaves unread on its scene, the goal pipeline is asked for a check with the LLM
(`spec_for_instruction`: the LLM's restatement read by the parser, then the spec writer; `--no-restate`: the writer
alone), and the check is compared with the item's expected spec on probe outcomes (as phrase_coverage.py does):

    correct  the check (and its second reading, when it differs) means the expected spec
    wrong    it means something else, or the item should stay unchecked (expected null): a false check
    unread   no usable check: the run would be honestly unchecked

Check only: no program runs. One JSON line per item goes to --out as it finishes (a killed run resumes).

    .venv/bin/python benchmarks/llm_specs.py --set benchmarks/data/paraphrase_tuning.jsonl --ids pt544,pt549 \\
        --out results/llm_specs/restate.jsonl [--no-restate]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def judge(result, expected: str | None, objects) -> str:
    from phrase_coverage import outcomes

    from codebot.checks.goals import load_goal
    from codebot.checks.goals.equivalence import equivalent

    if not result.ok:
        return "unread"
    if expected is None:
        return "wrong"
    pairs = [(objects, after) for after in [objects] + outcomes(objects)]
    readings = [result.goal] + ([result.second] if result.second is not None else [])
    return "correct" if all(equivalent(g, load_goal(expected), pairs)[0] for g in readings) else "wrong"


def run(items: list[dict], out: Path, llm_name: str, restate: bool, replay_file: Path | None = None) -> None:
    from check_heldout import scene_objects

    from codebot.checks.goal_writer import spec_for_instruction
    from codebot.checks.goals import normalize_instruction
    from codebot.checks.goals.phrases import phrase_spec
    from codebot.llm import make_llm

    done = {json.loads(line)["id"] for line in out.read_text().splitlines() if line.strip()} if out.exists() else set()
    out.parent.mkdir(parents=True, exist_ok=True)
    llm = None
    for item in items:
        objects = scene_objects(item["scene"])
        if item["id"] in done or phrase_spec(normalize_instruction(item["instruction"])[0], objects) is not None:
            continue
        llm = llm or make_llm(llm_name, **({"path": str(replay_file)} if replay_file else {}))
        t0 = time.perf_counter()
        result = spec_for_instruction(item["instruction"], objects, llm, restate=restate)
        row = {"id": item["id"], "instruction": item["instruction"], "expected": item["expected"],
               "source": result.source, "spec": result.text, "problems": result.problems, "notes": result.notes,
               "outcome": judge(result, item["expected"], objects), "seconds": round(time.perf_counter() - t0, 1)}
        with open(out, "a") as f:
            f.write(json.dumps(row) + "\n")
        print(f"{row['id']} {row['outcome']:8s} {row['source']}: {row['spec']}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=Path, default=ROOT / "benchmarks" / "data" / "paraphrase_tuning.jsonl")
    ap.add_argument("--ids", default="", help="comma-separated item ids (default: all)")
    ap.add_argument("--llm", default="local")
    ap.add_argument("--replay-file", type=Path, default=None, help="recorded completions for --llm replay")
    ap.add_argument("--restate", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--out", type=Path, default=Path("results/llm_specs/run.jsonl"))
    args = ap.parse_args(argv)
    items = [json.loads(line) for line in args.set.read_text().splitlines() if line.strip()]
    if args.ids:
        items = [it for it in items if it["id"] in set(args.ids.split(","))]
    run(items, args.out, args.llm, args.restate, args.replay_file)
    rows = [json.loads(line) for line in args.out.read_text().splitlines() if line.strip()] if args.out.exists() else []
    print(json.dumps({"items": len(rows), "outcomes": dict(Counter(r["outcome"] for r in rows)),
                      "sources": dict(Counter(r["source"] for r in rows))}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
