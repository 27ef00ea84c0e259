"""Builds codebot/prompts/restate_library.jsonl (codebot/checks/restate_library.py) from the phrase parser's tuning
sets (codebot/bench/splits.py: TUNING_SETS): each item with an expected spec becomes (its instruction -> the first
plain wording of goals/wording.py that the parser reads back as that spec on the item's scene, the same text or
equivalent on every probe outcome); an unexpressible item becomes (its instruction -> unclear). Left out: items with
no such wording or whose wording is the instruction itself, and, since a prompt carries these and
tests/codebot/bench/test_splits.py holds prompts to a stricter rule than the tuning set, an instruction that is a
near copy of a held-out one once synonyms are mapped or a wording that paraphrases an unseen-instruction template
("stack all the blocks on the red block").
Deterministic: run it again after the tuning set or the parser changes.

    .venv/bin/python benchmarks/build_restate_library.py [--set benchmarks/data/paraphrase_tuning.jsonl ...]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

OUT = ROOT / "codebot" / "prompts" / "restate_library.jsonl"
DATA = ROOT / "benchmarks" / "data"
NEAR_COPY = 0.7  # Jaccard of word 1-3-grams, as test_splits.py measures it


def held_out_grams() -> list[frozenset]:
    from codebot.bench.splits import synonym_words, word_grams

    from codebot.bench.splits import HELD_OUT_SETS, TUNING_SETS

    files = [DATA / name for name in HELD_OUT_SETS]
    files += [f for f in sorted(DATA.glob("paraphrase_fresh_*.jsonl")) if f.name not in TUNING_SETS]
    return [word_grams(synonym_words(json.loads(line)["instruction"]))
            for f in files for line in f.read_text().splitlines() if line.strip()]


def near_held_out(instruction: str, held_out: list[frozenset]) -> bool:
    from codebot.bench.splits import synonym_words, word_grams

    grams = word_grams(synonym_words(instruction))
    return any(len(grams & h) / len(grams | h) >= NEAR_COPY for h in held_out)


def read_back(wording: str, goal, objects) -> bool:
    """The parser reads `wording` as `goal` on `objects` (judged as restate_samples.py judges a restatement)."""
    from restate_samples import judge_reading

    from codebot.checks.goals import normalize_instruction, to_text
    from codebot.checks.goals.phrases import phrase_spec

    return judge_reading(phrase_spec(normalize_instruction(wording)[0], objects) or "", to_text(goal),
                         objects) == "correct"


def library_row(item: dict) -> tuple[dict | None, str]:
    from check_heldout import scene_objects

    from codebot.checks.goals import load_goal, normalize_instruction
    from codebot.checks.goals.wording import plain_wordings

    objects = scene_objects(item["scene"])
    names = sorted(o.name for o in objects)
    row = {"id": item["id"], "objects": names, "instruction": item["instruction"]}
    if item["expected"] is None:
        return {**row, "restated": "unclear"}, "unclear"
    goal = load_goal(item["expected"])
    said = normalize_instruction(item["instruction"])[0].strip().rstrip(".").lower()
    for wording in plain_wordings(goal):
        if read_back(wording, goal, objects):
            return (None, "the instruction is its wording") if wording == said else ({**row, "restated": wording},
                                                                                    "worded")
    return None, "no wording read back"


def main(argv: list[str] | None = None) -> int:
    from codebot.bench.splits import leaks

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    from codebot.bench.splits import TUNING_SETS

    ap.add_argument("--set", type=Path, action="append",
                    help="a labelled set (repeatable; default: every tuning set of codebot/bench/splits.py)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    items = [json.loads(line) for path in args.set or [DATA / name for name in TUNING_SETS]
             for line in path.read_text().splitlines() if line.strip()]
    rows, tally, held_out = [], Counter(), held_out_grams()
    for item in items:
        row, why = library_row(item)
        if row is not None and near_held_out(item["instruction"], held_out):
            row, why = None, "near a held-out instruction"
        if row is not None and leaks([(item["id"], row["restated"])]):
            row, why = None, "the wording paraphrases an unseen template"
        tally[why] += 1
        if row is not None:
            rows.append(row)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    print(f"{len(rows)} rows -> {args.out}: {dict(tally)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
