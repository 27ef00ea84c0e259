"""benchmarks/llm_specs.py: the LLM's checks for instructions the phrase parser leaves unread, judged against the
expected spec (replayed completions, so no model is needed)."""
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCENE = {"blocks": ["red", "blue"], "bowls": ["purple", "yellow"]}


def _script():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("llm_specs", ROOT / "benchmarks" / "llm_specs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checks_are_scored_correct_wrong_or_unread_and_parser_read_items_are_skipped(tmp_path):
    items = [
        {"id": "a", "instruction": "the blue block would be happiest sitting in the purple bowl", "scene": SCENE,
         "expected": "all(in(blue block, purple bowl), unchanged(others))", "kind": "x"},
        # the restatement swaps the bowl: the grounding rule refuses it, the writer gives the swapped bowl
        # too, and that is refused as well; unread
        {"id": "b", "instruction": "the red block would be happiest sitting in the purple bowl", "scene": SCENE,
         "expected": "all(in(red block, purple bowl), unchanged(others))", "kind": "x"},
        # should stay unchecked (the expected spec is null), yet a check is given: wrong
        {"id": "c", "instruction": "the blue block would be happiest sitting in the yellow bowl", "scene": SCENE,
         "expected": None, "kind": "unexpressible"},
        {"id": "d", "instruction": "put the red block in the yellow bowl", "scene": SCENE,
         "expected": "all(in(red block, yellow bowl), unchanged(others))", "kind": "x"},  # the parser reads it
    ]
    data = tmp_path / "set.jsonl"
    data.write_text("".join(json.dumps(e) + "\n" for e in items))
    restate = "rewrite a person's instruction"
    replay = [{"when_contains": [restate, "blue block would be happiest sitting in the purple"],
               "completion": "put the blue block in the purple bowl"},
              {"when_contains": [restate, "red block would be"], "completion": "put the red block in the yellow bowl"},
              {"when_contains": ["You write the goal spec", "red block would be"],
               "completion": "in(red block, yellow bowl)"},
              {"when_contains": [restate, "yellow bowl"], "completion": "put the blue block in the yellow bowl"}]
    replay_file = tmp_path / "replay.jsonl"
    replay_file.write_text("".join(json.dumps(e) + "\n" for e in replay))
    out = tmp_path / "out.jsonl"
    assert _script().main(["--set", str(data), "--llm", "replay", "--replay-file", str(replay_file),
                           "--out", str(out)]) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {"a", "b", "c"}  # d: the parser reads it, so it is not the LLM's to check
    assert rows["a"]["outcome"] == "correct" and "LLM-restated" in rows["a"]["source"]
    assert rows["b"]["outcome"] == "unread" and rows["b"]["spec"] == "" and rows["b"]["problems"]
    assert rows["c"]["outcome"] == "wrong"
