"""Does the agent's own check choice read what the phrase parser reads? phrase_coverage.py judges the parser on a
synthetic layout; a run judges it on the scene the simulator lays out. This lays every item of a set out in real
PyBullet (the agent's seed 0), prepares it as the agent does (normalise, match a template, observe, look for
what the scene lacks, and, unless --no-layout, the layout search of codebot/agent_layout.py) and chooses its
check without an LLM. It prints how many items get a deterministic check (a template or the parser's reading)
and lists those where the run and phrase_coverage.py disagree.

    .venv/bin/python benchmarks/check_choice.py                      # the tuning set
    .venv/bin/python benchmarks/check_choice.py --set heldout3 --no-layout --quiet
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

def choose(items: list[dict], layout: bool) -> list[dict]:
    from codebot import sim
    from codebot.agent_layout import search_layout
    from codebot.agent_prepare import choose_for, read_instruction
    from codebot.checks.scene import SceneSpec
    from codebot.reset_config import ResetConfig

    env, rows = None, []
    for item in items:
        scene = SceneSpec(tuple(item["scene"]["blocks"]), tuple(item["scene"]["bowls"]))
        env = env or sim.make("tabletop", robot="ur5e", seed=0, scene=scene)

        def observe(reset):
            env.reset(seed=reset.seed, scene=reset.scene)
            return [o.to_plain() for o in env.objects()]

        prep = read_instruction(item["instruction"], scene, True, 0, lambda s: ResetConfig(seed=0, scene=s))
        prep.observed(observe(prep.reset))
        moved = search_layout(prep, observe) if layout and not prep.missing else None
        how = prep.missing or choose_for(prep, None, None, False).description
        rows.append({"id": item["id"], "checked": not prep.missing and not how.startswith("unchecked"),
                     "how": how, "seed": moved["seed"] if moved else 0})
    if env is not None:
        env.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    from phrase_coverage import SETS, judge_item

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default="tuning", help="tuning | heldout | heldout2 | heldout3 | a .jsonl path")
    ap.add_argument("--no-layout", action="store_true", help="without the layout search (as before it)")
    ap.add_argument("--quiet", action="store_true", help="the counts only")
    args = ap.parse_args(argv)
    path = SETS.get(args.set, Path(args.set))
    items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    rows = choose(items, layout=not args.no_layout)
    parser = {it["id"]: judge_item(it)["outcome"] == "correct" for it in items}
    if not args.quiet:
        for row in rows:
            if row["checked"] != parser[row["id"]]:
                print(f"  {row['id']}  parser {'reads' if parser[row['id']] else 'does not read'}; the run: "
                      f"{row['how'][:100]}")
    moved = sum(r["seed"] != 0 for r in rows)
    print(f"{path.name}: the run checks {sum(r['checked'] for r in rows)}/{len(rows)} deterministically "
          f"(phrase_coverage correct: {sum(parser.values())}); layout moved for {moved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
