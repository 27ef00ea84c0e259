"""How many restatements should the goal pipeline draw before it gives up (issue 28)? For every item of an
instruction set that the phrase parser leaves unread on its scene, the LLM restates the instruction `--draws` times
(the first at temperature 0, the rest sampled, each with its own seed, as goal_restater.Restater draws them), and
each restatement's parser reading is kept with its judgement against the item's expected spec (probe outcomes,
as llm_specs.py judges): correct, wrong, or unread. Restatement policies are then replayed on the same draws, so
they are compared on identical samples:

    agree-of-N   draw up to N, accept the first reading that a second draw reads identically; with N = 2 and
                 two different readings, both are judged on the outcome (the Restater's rule)

A policy's check is correct when every reading it keeps is correct; wrong (a false check) when any is wrong, or
the item should stay unchecked. One JSON line per item goes to --out as it finishes (a killed run resumes).

    .venv/bin/python benchmarks/restate_samples.py --set benchmarks/data/paraphrase_tuning.jsonl --draws 6 \\
        --out results/restate_samples/tuning.jsonl
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


def judge_reading(spec: str, expected: str | None, objects) -> str:
    from phrase_coverage import outcomes

    from codebot.checks.goals import load_goal
    from codebot.checks.goals.equivalence import equivalent

    if not spec:
        return "unread"
    if expected is None:
        return "wrong"
    pairs = [(objects, after) for after in [objects] + outcomes(objects)]
    return "correct" if equivalent(load_goal(spec), load_goal(expected), pairs)[0] else "wrong"


def draw(items: list[dict], out: Path, llm_name: str, draws: int, retrieved: int | None = None,
         grammar: bool = False) -> None:
    from check_heldout import scene_objects

    from codebot.checks.goal_restater import Restater
    from codebot.checks.goals import normalize_instruction, to_text
    from codebot.checks.goals.phrases import phrase_spec
    from codebot.llm import make_llm

    done = {json.loads(line)["id"] for line in out.read_text().splitlines() if line.strip()} if out.exists() else set()
    out.parent.mkdir(parents=True, exist_ok=True)
    llm = None
    for item in items:
        objects = scene_objects(item["scene"])
        normalized = normalize_instruction(item["instruction"])[0]
        if item["id"] in done or phrase_spec(normalized, objects) is not None:
            continue
        llm = llm or make_llm(llm_name)
        restater = Restater(llm, use_grammar=grammar) if retrieved is None else \
            Restater(llm, retrieved=retrieved, use_grammar=grammar)
        t0 = time.perf_counter()
        samples = []
        for k in range(draws):
            reply = restater.complete_one(item["instruction"], objects, 0.0 if k == 0 else None)
            restated = Restater.first_line(reply)
            goal, problems = Restater.read_restatement(restated, item["instruction"], normalized, objects)
            spec = to_text(goal) if goal is not None else ""
            samples.append({"restated": restated, "spec": spec, "problems": problems,
                            "judged": judge_reading(spec, item["expected"], objects)})
        row = {"id": item["id"], "expected": item["expected"], "samples": samples,
               "seconds": round(time.perf_counter() - t0, 1)}
        with open(out, "a") as f:
            f.write(json.dumps(row) + "\n")
        print(item["id"], " ".join(s["judged"][0] for s in samples), flush=True)


def agree_of(samples: list[dict], n: int) -> str:
    """The outcome of drawing up to n restatements and keeping the first reading a second draw reads the same."""
    seen: list[dict] = []
    for s in samples[:n]:
        if s["spec"] and any(t["spec"] == s["spec"] for t in seen):
            return s["judged"]
        seen.append(s)
    read = [s for s in seen if s["spec"]]
    if n == 2 and len(read) == 2:  # two readings that differ: both judged on the outcome
        return "wrong" if "wrong" in {s["judged"] for s in read} else "correct"
    return "unread"


def restater_rule(samples: list[dict]) -> str:
    """goal_restater.Restater's rule before this benchmark: two draws; one unread → a third must match the other."""
    first, second = samples[0], samples[1]
    if first["spec"] and second["spec"]:
        return agree_of(samples, 2)
    if first["spec"] or second["spec"]:
        read = first if first["spec"] else second
        return read["judged"] if samples[2]["spec"] == read["spec"] else "unread"
    return "unread"


def summary(rows: list[dict], draws: int) -> dict:
    policies = {"restater (2, a third when one is unread)": restater_rule}
    for n in range(3, draws + 1):
        policies[f"agree-of-{n}"] = lambda samples, n=n: agree_of(samples, n)
    return {"items": len(rows),
            "per draw": dict(Counter(s["judged"] for r in rows for s in r["samples"])),
            **{name: dict(Counter(rule(r["samples"]) for r in rows)) for name, rule in policies.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=Path, default=ROOT / "benchmarks" / "data" / "paraphrase_tuning.jsonl")
    ap.add_argument("--ids", default="", help="comma-separated item ids (default: all)")
    ap.add_argument("--llm", default="local")
    ap.add_argument("--draws", type=int, default=6)
    ap.add_argument("--out", type=Path, default=Path("results/restate_samples/run.jsonl"))
    ap.add_argument("--retrieved", type=int, default=None,
                    help="library examples per prompt (default: goal_restater's; 0: the fixed examples only)")
    ap.add_argument("--grammar", action="store_true",
                    help="restatements decoded under the plain wording's grammar (goal_restater.py; off by default)")
    args = ap.parse_args(argv)
    items = [json.loads(line) for line in args.set.read_text().splitlines() if line.strip()]
    if args.ids:
        items = [it for it in items if it["id"] in set(args.ids.split(","))]
    draw(items, args.out, args.llm, max(3, args.draws), args.retrieved, args.grammar)
    rows = [json.loads(line) for line in args.out.read_text().splitlines() if line.strip()] if args.out.exists() else []
    print(json.dumps(summary(rows, max(3, args.draws)), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
