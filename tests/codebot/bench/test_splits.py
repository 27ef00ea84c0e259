"""Clean splits: no prompt text paraphrases an unseen-instruction template (9-14), nor does the phrase
parser's tuning set, which also shares no instruction with the held-out set."""
import json
import re
from pathlib import Path

from codebot.bench.splits import (HELD_OUT_SETS, TUNING_SETS, leaks, prompt_texts, synonym_words,
                                  unseen_instruction_templates, word_grams)


def test_no_prompt_text_paraphrases_an_unseen_instruction_template():
    texts = prompt_texts()
    assert {name for name, _ in texts} >= {"examples.txt", "system.txt + primitive API", "goal_examples.txt"}
    assert all(len(text) > 100 for _, text in texts)
    found = leaks(texts)
    assert not found, "\n".join(leak.describe() for leak in found)


def test_the_detector_flags_paraphrases_of_each_unseen_template_and_passes_seen_ones():
    paraphrases = {  # one per unseen-instruction template, as an example writer might slip them in
        9: "# put each block in a different corner.",
        10: "# put the blocks in the bowls with mismatched colours",
        11: "# stack the blocks on the top left corner.",
        12: "# pick up the red block and place it a little to the left of the blue bowl.",
        13: "# place the red block in the corner closest to the blue bowl.",
        14: "# put the blocks in a horizontal line in the middle.",  # the example this test was written for
    }
    assert set(paraphrases) == unseen_instruction_templates() == {9, 10, 11, 12, 13, 14}
    for template_id, line in paraphrases.items():
        assert template_id in {leak.template_id for leak in leaks([("x", line)])}, line
    seen = ["# put the green block in the red bowl.", "# stack all the blocks.",
            "# put all the blocks on the top left corner.", "# put each block in the bowl with the matching colour.",
            "# move the block closest to the green bowl to the top left corner.",
            "# pick up the first block from the left and place it on the left side."]
    for line in seen:
        assert not leaks([("x", line)]), line


# ---- the phrase parser's paraphrase tuning set (issue 28) ----------------------------------------
DATA = Path(__file__).resolve().parents[3] / "benchmarks" / "data"
NEAR_DUPLICATE = 0.7  # Jaccard of word 1-3-grams at which two instructions count as the same one


HELD_OUT = HELD_OUT_SETS  # codebot/bench/splits.py says what each set is


def _instructions(name: str) -> list[tuple[str, str]]:
    lines = (DATA / name).read_text().splitlines()
    return [(e["id"], e["instruction"]) for e in map(json.loads, filter(str.strip, lines))]


def _grams(text: str) -> frozenset:
    words = re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split()
    return frozenset(tuple(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1))


def test_the_paraphrase_tuning_set_paraphrases_no_unseen_instruction_template():
    items = [item for name in TUNING_SETS for item in _instructions(name)]
    assert len(items) >= 100
    found = leaks((item_id, text) for item_id, text in items)
    assert not found, "\n".join(leak.describe() for leak in found)


def test_the_tuning_set_shares_no_instruction_with_the_held_out_set():
    tuning = [item for name in TUNING_SETS for item in _instructions(name)]
    heldout = [_grams(text) for name in HELD_OUT for _, text in _instructions(name)]
    assert len(heldout) >= 80
    close = []
    for item_id, text in tuning:
        grams = _grams(text)
        overlap = max(len(grams & h) / len(grams | h) for h in heldout)
        if overlap >= NEAR_DUPLICATE:
            close.append(f"{item_id} ({overlap:.2f})")  # the tuning item only: held-out text is not shown
    assert not close, "tuning items duplicating a held-out instruction: " + ", ".join(close)


def test_the_duplicate_detector_flags_a_reworded_copy_and_passes_a_different_command():
    a = _grams("put the red block in the yellow bowl")
    b = _grams("please put the red block in the yellow bowl")
    c = _grams("stack the blue block on the green block")
    assert len(a & b) / len(a | b) >= NEAR_DUPLICATE
    assert len(a & c) / len(a | c) < NEAR_DUPLICATE


# ---- the example library the program prompt can draw its few-shot examples from (issue 28) -------
def _library_texts() -> list[tuple[str, str]]:
    """Each library item as the prompt shows it: objects comment, instruction comment, program."""
    from codebot.codegen import instruction_comment
    from codebot.prompt_examples import load_library

    return [(f"example_library.jsonl:{e.id}",
             f"# objects = {list(e.objects)!r}\n{instruction_comment(e.instruction)}\n{e.program}")
            for e in load_library()]


def test_no_example_library_line_paraphrases_an_unseen_instruction_template():
    texts = _library_texts()
    assert len(texts) >= 60
    found = leaks(texts)
    assert not found, "\n".join(leak.describe() for leak in found)


def test_the_example_library_shares_no_instruction_with_the_held_out_set():
    from codebot.prompt_examples import load_library

    heldout = [synonym_words(text) for name in HELD_OUT for _, text in _instructions(name)]
    heldout_grams = [word_grams(words) for words in heldout]
    assert len(heldout) >= 80
    close = []
    for example in load_library():
        words = synonym_words(example.instruction)
        grams = word_grams(words)
        overlap = max(len(grams & h) / len(grams | h) for h in heldout_grams)
        if overlap >= NEAR_DUPLICATE or words in heldout:
            close.append(f"{example.id} ({overlap:.2f})")  # the library item only: held-out text is not shown
    assert not close, "library items duplicating a held-out instruction: " + ", ".join(close)


def test_the_synonym_normalisation_sees_through_a_reworded_copy():
    a = word_grams(synonym_words("drop the crimson cube into the navy dish"))
    b = word_grams(synonym_words("drop the red blocks into the blue bowl"))
    assert a == b


def test_the_restatement_examples_share_no_instruction_with_the_held_out_set():
    from codebot.checks.goal_restater import load_examples

    from codebot.checks.restate_library import load_restate_library

    heldout = [word_grams(synonym_words(text)) for name in HELD_OUT for _, text in _instructions(name)]
    close = []
    library = [(e.objects, e.instruction, e.restated) for e in load_restate_library()]
    assert len(library) >= 1000
    for _, instruction, _ in load_examples() + library:
        grams = word_grams(synonym_words(instruction))
        overlap = max(len(grams & h) / len(grams | h) for h in heldout)
        if overlap >= NEAR_DUPLICATE:
            close.append(f"{instruction!r} ({overlap:.2f})")
    assert not close, "restatement examples duplicating a held-out instruction: " + ", ".join(close)


def test_no_restatement_example_paraphrases_an_unseen_instruction_template():
    from codebot.checks.goal_restater import load_examples
    from codebot.checks.restate_library import load_restate_library

    pairs = [(f"restate_examples.txt:{i}", instruction, restated)
             for i, (_, instruction, restated) in enumerate(load_examples())]
    pairs += [(f"restate_library.jsonl:{e.id}", e.instruction, e.restated) for e in load_restate_library()]
    texts = [(name, text) for name, instruction, restated in pairs for text in (instruction, restated)]
    found = leaks(texts)
    assert not found, "\n".join(leak.describe() for leak in found)
