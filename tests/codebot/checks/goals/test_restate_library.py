"""Restatement examples chosen per instruction (codebot/checks/restate_library.py) and the plain wordings they are
built from (codebot/checks/goals/wording.py): every wording kept is one the phrase parser reads back as the labelled
spec, the packaged library is what the builder makes of the tuning set today, and the prompt carries the nearest
examples after the fixed ones."""
import json
import sys
from pathlib import Path

import pytest
from scenes import block, bowl

from codebot.checks.goal_restater import load_examples, restate_messages
from codebot.checks.goals import load_goal, normalize_instruction, to_text
from codebot.checks.goals.phrases import phrase_spec
from codebot.checks.goals.wording import plain_wordings
from codebot.checks.restate_library import load_restate_library, similar_restatements

ROOT = Path(__file__).resolve().parents[4]
SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]


@pytest.mark.parametrize("spec, wording", [
    ("all(in(red block, yellow bowl), unchanged(others))", "put the red block in the yellow bowl"),
    ("all(left_of(green block, purple bowl, dist=0.1), unchanged(others))",
     "put the green block 10 cm left of the purple bowl"),
    ("all(at(nth(blocks, 2, left), top left corner), unchanged(others))",
     "put the second block from the left at the top left corner"),
    ("all(in(nearest(blocks, purple bowl), yellow bowl), unchanged(others))",
     "put the block nearest the purple bowl in the yellow bowl"),
    ("all(forall(x in blocks except red block: in(x, purple bowl)), not(in(red block, purple bowl)))",
     "put all the blocks except the red block in the purple bowl"),
    ("count(x in blocks: in(x, yellow bowl)) == 2", "put exactly two blocks in the yellow bowl"),
    ("line(blocks, vertical)", "line up all the blocks vertically"),
])
def test_a_plain_wording_is_read_back_as_its_spec(spec, wording):
    goal = load_goal(spec)
    wordings = plain_wordings(goal)
    assert wording in wordings, wordings
    read = phrase_spec(normalize_instruction(wording)[0], SCENE)
    assert read is not None and to_text(load_goal(read)) == to_text(goal), read


def test_a_shape_the_plain_wording_cannot_say_has_none():
    assert plain_wordings(load_goal("forall(x in blocks: right_of(x, green bowl))")) == []
    assert plain_wordings(load_goal("all(on(blue block, green block), unchanged(bowls))")) == []


def test_the_packaged_library_is_what_the_builder_makes_of_the_tuning_set(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from build_restate_library import main

    out = tmp_path / "library.jsonl"
    assert main(["--out", str(out)]) == 0
    packaged = (ROOT / "codebot" / "prompts" / "restate_library.jsonl").read_text()
    assert out.read_text() == packaged, "codebot/prompts/restate_library.jsonl is stale: run " \
                                        "benchmarks/build_restate_library.py"
    rows = [json.loads(line) for line in packaged.splitlines()]
    assert len(rows) >= 1000 and sum(r["restated"] == "unclear" for r in rows) >= 100


def test_the_nearest_examples_come_last_and_never_the_instruction_itself():
    library = load_restate_library()
    one = next(e for e in library if e.restated != "unclear")
    chosen = similar_restatements(one.instruction, 4)
    assert len(chosen) == 4 and one.instruction not in [e.instruction for e in chosen]
    chosen = similar_restatements("could the red cube sit left of the yellow bowl", 4)
    assert "left of" in chosen[-1].restated, chosen[-1]


def test_the_prompt_carries_the_fixed_then_the_retrieved_examples():
    instruction = "could the red cube sit left of the yellow bowl"
    plain = restate_messages(instruction, SCENE, retrieved=0)
    assert len(plain) == 1 + 2 * len(load_examples()) + 1
    messages = restate_messages(instruction, SCENE, retrieved=3)
    assert len(messages) == len(plain) + 6 and messages[:len(plain) - 1] == plain[:-1]
    retrieved = similar_restatements(instruction, 3)
    assert [m["content"] for m in messages[-7:-1:2]] == [
        f"objects: {', '.join(e.objects)}\ninstruction: {e.instruction}" for e in retrieved]
    assert messages[-1] == plain[-1]
