"""Clean splits: no prompt text paraphrases an unseen-instruction template (9-14)."""
from codebot.bench.splits import leaks, prompt_texts, unseen_instruction_templates


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
