"""Everyday phrasings end to end (issue 28): every item of a held-out set (default
benchmarks/data/everyday_heldout.jsonl, committed before any tuning) runs through the real agent on
its own scene, and the run is judged twice:

- verified: the agent's own verdict (a template checker or a validated goal spec), as a user sees it;
- honest: for a verified run, the *expected* spec evaluated on the same before/after scene. A verified
  run the expected spec calls a failure is a **false success**; a verified run of an item whose
  expected spec is null (the instruction cannot be checked on its scene) is an **unlicensed** one.

An item whose scene the simulator cannot lay out (more than 4 blocks or bowls) is recorded as not run, counts as
not verified, and the figures are also given over the items run. It also reports whether the check the run used
means what the expected spec means (the equivalence checker, on probe scenes built around the real outcome).
One JSON line per item goes to --out as the item finishes, so a killed run resumes where it stopped.

    .venv/bin/python benchmarks/everyday.py --llm local --attempts 3 --out results/everyday/now.jsonl
    .venv/bin/python benchmarks/everyday.py --summary results/everyday/now.jsonl   # the figures only
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "benchmarks" / "data" / "everyday_heldout.jsonl"


def load_items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def done_ids(out: Path) -> set[str]:
    if not out.exists():
        return set()
    return {json.loads(line)["id"] for line in out.read_text().splitlines() if line.strip()}


def used_spec(episode) -> str | None:
    """The check the run used, in the spec language: a goal spec's text, or the matched template's spec."""
    check = episode.check or {}
    if check.get("kind") == "goal":
        return check.get("spec")
    if check.get("kind") == "template":
        from codebot.agent_prepare import match_task
        from codebot.checks.goals import goal_for_instance, normalize_instruction, to_text

        task = match_task(normalize_instruction(check.get("instruction") or episode.instruction)[0])
        try:
            return to_text(goal_for_instance(task)) if task is not None else None
        except KeyError:
            return None
    return None


def judge_item(item: dict, episode, before: list, after: list) -> dict:
    """The honest reading of one run against the item's expected spec."""
    from codebot.checks.goals import evaluate_goal, load_goal
    from codebot.checks.goals.equivalence import equivalent, probe_pairs

    spec = used_spec(episode)
    row = {"used_spec": spec, "expected_on_outcome": None, "equivalent": None, "why": None}
    if item["expected"] is None:
        return row
    expected = load_goal(item["expected"])
    if episode.success and after:
        row["expected_on_outcome"] = evaluate_goal(expected, before, after).success
    if spec is not None:
        try:
            same, why = equivalent(load_goal(spec), expected, probe_pairs(before, [after] if after else []))
        except Exception as exc:  # a spec the run used that no longer parses is a finding, not a crash
            same, why = False, f"{type(exc).__name__}: {exc}"
        row["equivalent"], row["why"] = same, why
    return row


def run(items: list[dict], out: Path, llm: str, **options) -> None:
    """`options`: AgentConfig fields (attempts, seed, goal_in_prompt, example_retrieval, …)."""
    from codebot.agent_factory import agent_config, build_agent, llm_options
    from codebot.checks.scene import SceneSpec
    from codebot.primitives.protocols import ObjectInfo
    from codebot.trace import find_record

    todo = [it for it in items if it["id"] not in done_ids(out)]
    out.parent.mkdir(parents=True, exist_ok=True)
    if not todo:
        return
    config = agent_config(llm=llm, llm_opts=llm_options(llm), trace_dir=str(out.parent / "traces"), **options)
    with build_agent(config) as agent:
        for k, item in enumerate(todo, 1):
            unbuildable = scene_limit(item)
            if unbuildable:  # recorded as not run (and not verified), and the set goes on
                with open(out, "a") as f:
                    f.write(json.dumps({"id": item["id"], "kind": item.get("kind"), "instruction": item["instruction"],
                                        "expected": item["expected"], "verified": False, "verdict_source": "not run",
                                        "checker": "", "attempts_used": 0, "seconds": 0.0, "verdict": unbuildable,
                                        "expected_on_outcome": None, "equivalent": None, "not_run": True}) + "\n")
                print(f"[{k}/{len(todo)}] {item['id']} not run: {unbuildable}", flush=True)
                continue
            t0 = time.perf_counter()
            scene = SceneSpec(tuple(item["scene"]["blocks"]), tuple(item["scene"]["bowls"]))
            episode = agent.run(item["instruction"], scene=scene)
            record = find_record(f"{episode.trace_path}#{episode.trace_id}") if episode.trace_path else {}
            before = [ObjectInfo.from_plain(o) for o in record.get("objects") or []]
            last = episode.turns[-1].result if episode.turns else {}
            after = [ObjectInfo.from_plain(o) for o in last.get("objects_after") or []]
            row = {"id": item["id"], "kind": item.get("kind"), "instruction": item["instruction"],
                   "expected": item["expected"], "verified": bool(episode.success),
                   "verdict_source": episode.verdict_source, "checker": episode.checker,
                   "attempts_used": len(episode.turns), "seconds": round(time.perf_counter() - t0, 1),
                   "verdict": episode.verdict[:300], **judge_item(item, episode, before, after)}
            with open(out, "a") as f:
                f.write(json.dumps(row) + "\n")
            print(f"[{k}/{len(todo)}] {item['id']} verified={row['verified']} source={row['verdict_source']} "
                  f"expected_on_outcome={row['expected_on_outcome']} equivalent={row['equivalent']} "
                  f"({row['seconds']} s)", flush=True)


def scene_limit(item: dict) -> str | None:
    """Why the simulator cannot build the item's scene (the layout's own limits: codebot.sim.layout), or None."""
    from codebot.checks.scene import SceneSpec
    from codebot.primitives.errors import InvalidArgumentError
    from codebot.sim.layout import object_specs

    try:
        object_specs(SceneSpec(tuple(item["scene"].get("blocks", ())), tuple(item["scene"].get("bowls", ()))))
    except InvalidArgumentError as exc:
        return f"the simulator cannot lay out this scene: {exc}"
    return None


def summary(rows: list[dict]) -> dict:
    from codebot.bench.stats import pct_with_interval

    n = len(rows)
    not_run = [r["id"] for r in rows if r.get("not_run")]
    verified = [r for r in rows if r["verified"]]
    false_success = [r["id"] for r in verified if r["expected"] is not None and r["expected_on_outcome"] is False]
    unlicensed = [r["id"] for r in verified if r["expected"] is None]
    differs = [r["id"] for r in verified if r["expected"] is not None and r["equivalent"] is False]
    honest = [r for r in verified if r["id"] not in false_success and r["id"] not in unlicensed]
    return {"items": n, "verified": pct_with_interval(len(verified), n),
            "not_run": not_run, "verified_of_those_run": pct_with_interval(len(verified), n - len(not_run)),
            "verified_honestly": pct_with_interval(len(honest), n),
            "false_successes": false_success, "unlicensed_verifications": unlicensed,
            "verified_with_a_check_of_another_meaning": differs,
            "sources": dict(Counter(r["verdict_source"] for r in rows)),
            "unchecked": sum(r["verdict_source"] == "unchecked" for r in rows),
            "by_kind": {k: f"{sum(r['verified'] for r in rows if r['kind'] == k)}/{sum(r['kind'] == k for r in rows)}"
                        for k in sorted({r["kind"] for r in rows})}}


def main(argv=None) -> int:
    from codebot.agent import AgentConfig

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=Path, default=DEFAULT)
    ap.add_argument("--out", type=Path, default=Path("results/everyday/run.jsonl"))
    ap.add_argument("--llm", default="local")
    ap.add_argument("--attempts", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ids", default="", help="comma-separated item ids (default: all)")
    ap.add_argument("--every", type=int, default=1,
                    help="every N-th item that has an expected spec, from the first (a fixed subset of a large set)")
    ap.add_argument("--goal-in-prompt", action=argparse.BooleanOptionalAction, default=AgentConfig.goal_in_prompt,
                    help="the program writer sees the chosen check (default: the agent's)")
    ap.add_argument("--examples", type=int, default=AgentConfig.example_retrieval,
                    help="show the K library examples most like each instruction, 0: the fixed ones "
                         "(codebot run --examples; default: the agent's)")
    ap.add_argument("--restate", action=argparse.BooleanOptionalAction, default=AgentConfig.restate_goals,
                    help="the LLM restates an instruction the parser cannot read, for the parser (default: the "
                         "agent's)")
    ap.add_argument("--write-goals", action=argparse.BooleanOptionalAction, default=AgentConfig.write_goals,
                    help="when the restatement is not read either, the LLM writes a spec in the spec language "
                         "(default: the agent's)")
    ap.add_argument("--candidates", type=int, default=AgentConfig.candidates, help="programs per turn")
    ap.add_argument("--repair-candidates", type=int, default=AgentConfig.repair_candidates,
                    help="programs per repair turn (default: --candidates)")
    ap.add_argument("--recolour", action=argparse.BooleanOptionalAction, default=AgentConfig.recolour_examples,
                    help="retrieved examples name no colour of the query (default: the agent's)")
    ap.add_argument("--name-referents", action=argparse.BooleanOptionalAction, default=AgentConfig.name_referents,
                    help="the instruction shown names what its selector phrases pick (default: the agent's)")
    ap.add_argument("--choose-counts", action=argparse.BooleanOptionalAction, default=AgentConfig.choose_counts,
                    help="the goal line shows a count as one choice of moves (default: the agent's)")
    ap.add_argument("--summary", type=Path, default=None, help="print the figures of a finished --out and stop")
    args = ap.parse_args(argv)
    if args.summary is None:
        items = load_items(args.set)
        if args.ids:
            wanted = set(args.ids.split(","))
            items = [it for it in items if it["id"] in wanted]
        if args.every > 1:
            items = [it for it in items if it["expected"] is not None][::args.every]
        run(items, args.out, args.llm, attempts=args.attempts, seed=args.seed, goal_in_prompt=args.goal_in_prompt,
            example_retrieval=args.examples, restate_goals=args.restate, write_goals=args.write_goals,
            candidates=args.candidates,
            repair_candidates=args.repair_candidates, recolour_examples=args.recolour,
            name_referents=args.name_referents, choose_counts=args.choose_counts)
    path = args.summary or args.out
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    print(json.dumps(summary(rows), indent=1))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
