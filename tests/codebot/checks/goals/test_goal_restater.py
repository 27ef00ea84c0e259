"""The LLM's restatement of an instruction the phrase parser cannot read, read by the parser
(codebot/checks/goal_restater.py): used only when two samples are read, validated, grounded in the original
instruction and licensed by its words; otherwise the spec writer is asked, or the run stays unchecked."""
from scenes import block, bowl

from codebot.checks.goal_restater import SOURCE_RESTATED, Restater, load_examples, restate_messages
from codebot.checks.goal_writer import SOURCE_LLM, SOURCE_NONE, spec_for_instruction
from codebot.checks.goals.phrases import phrase_spec
from codebot.checks.goals import normalize_instruction

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
# the parser does not read this wording itself (checked below), so the restatement is asked for
INSTRUCTION = "the blue block would be happiest sitting in the purple bowl"


class FakeLLM:
    """Replies by purpose: restatements (their prompt asks to rewrite) from `restated`, specs from `specs`."""

    name = "fake"

    def __init__(self, restated, specs=()):
        self.restated, self.specs = list(restated), list(specs)
        self.requests = []

    def complete(self, messages, stop=None, max_tokens=512, temperature=0.0, grammar=None):
        restate = "rewrite a person's instruction" in messages[0]["content"]
        self.requests.append(("restate" if restate else "spec", temperature))
        return (self.restated if restate else self.specs).pop(0)


def test_the_instruction_is_not_read_by_the_parser_itself():
    assert phrase_spec(normalize_instruction(INSTRUCTION)[0], SCENE) is None


def test_a_restatement_both_samples_read_alike_is_the_check():
    llm = FakeLLM(["put the blue block in the purple bowl", "put the blue block into the purple bowl"])
    result = spec_for_instruction(INSTRUCTION, SCENE, llm)
    assert result.ok and result.source == SOURCE_RESTATED
    assert result.text == "all(in(blue block, purple bowl), unchanged(others))"
    assert result.agreement == "a second restatement was read the same way"
    assert llm.requests == [("restate", 0.0), ("restate", 0.7)]  # no spec request
    assert any("restated by the LLM as 'put the blue block in the purple bowl'" in n for n in result.notes)


def test_a_restatement_naming_what_the_instruction_does_not_goes_to_the_writer():
    # the restatement swaps the bowl: grounded in the original instruction it is refused, and the writer is asked
    llm = FakeLLM(["put the blue block in the yellow bowl", "unclear", "unclear"], ["in(blue block, purple bowl)"] * 2)
    result = spec_for_instruction(INSTRUCTION, SCENE, llm)
    assert result.source == SOURCE_LLM and result.text == "all(in(blue block, purple bowl), unchanged(others))"
    assert any("restatement not used" in n and "yellow bowl" in n for n in result.notes)
    assert [kind for kind, _ in llm.requests] == ["restate"] * 3 + ["spec", "spec"]


def test_unclear_unread_or_unlicensed_restatements_are_never_the_check():
    cases = [
        ("unclear", "found the instruction unclear"),
        ("put the blue block somewhere nice", "does not read the restatement"),
        # a count the instruction never states
        ("put two blocks in the purple bowl", "the instruction states no 2"),
        # a direction relation the instruction never says
        ("put the blue block left of the purple bowl", "is not said that way round"),
    ]
    for restated, why in cases:
        result = Restater(FakeLLM([restated] * 4)).restate(INSTRUCTION, SCENE)
        assert not result.ok and result.source == SOURCE_NONE and why in result.problems[0], (restated, result.problems)
        # neither of two samples read: a third is asked, and no fourth (one draw alone cannot agree with anything)
        assert len(result.attempts) == 3


def test_a_second_restatement_read_differently_is_judged_on_the_outcome_and_an_unread_one_refuses():
    said = "the blue block would be happiest by the purple bowl or in it"
    result = Restater(FakeLLM(["put the blue block in the purple bowl", "put the blue block near the purple bowl"])) \
        .restate(said, SCENE)
    assert result.ok and result.text == "all(in(blue block, purple bowl), unchanged(others))"
    assert result.second is not None and "both are judged on the outcome" in result.agreement
    # one or both of two unread: further samples, up to four in all, until one is read exactly as an earlier one
    near = "put the blue block near the purple bowl"
    for later in (["unclear", "unclear"], [near, "unclear"], ["unclear", near]):
        refused = Restater(FakeLLM(["put the blue block in the purple bowl", "unclear", *later])).restate(INSTRUCTION,
                                                                                                      SCENE)
        assert not refused.ok and len(refused.attempts) == 4, later
    llm = FakeLLM(["unclear", "put the blue block in the purple bowl", "put the blue block into the purple bowl"])
    agreed = Restater(llm).restate(INSTRUCTION, SCENE)
    assert agreed.ok and agreed.text == "all(in(blue block, purple bowl), unchanged(others))"
    assert agreed.agreement == "two of 3 restatements were read the same way" and agreed.second is None
    assert [t for _, t in llm.requests] == [0.0, 0.7, 0.7]
    assert any("'put the blue block in the purple bowl'" in n for n in agreed.notes)
    llm = FakeLLM(["unclear", "unclear", "put the blue block in the purple bowl",
                   "put the blue block into the purple bowl"])
    agreed = Restater(llm).restate(INSTRUCTION, SCENE)
    assert agreed.ok and agreed.agreement == "two of 4 restatements were read the same way"


def test_the_prompt_shows_the_scene_and_examples_and_none_is_read_wrongly_by_the_parser():
    messages = restate_messages(INSTRUCTION, SCENE, retrieved=0)
    assert messages[-1]["content"].startswith("objects: blue block, green block, purple bowl, red block")
    assert messages[-1]["content"].endswith(f"instruction: {INSTRUCTION}")
    examples = load_examples()
    assert len(examples) >= 6 and len(messages) == 1 + 2 * len(examples) + 1
    for _, _, restated in examples:  # each example's restatement is something the parser reads, or 'unclear'
        assert restated == "unclear" or phrase_spec(normalize_instruction(restated)[0], _example_scene(restated))


def _example_scene(text: str):
    """Enough objects for an example's restatement: every colour it names as a block and as a bowl."""
    colours = sorted(set(text.split()) & {"red", "blue", "green", "orange", "yellow", "pink", "cyan", "brown",
                                            "gray", "purple"})
    objects = [block(c, -0.25 + 0.1 * i, -0.6) for i, c in enumerate(colours)]
    objects += [block(c, -0.25 + 0.1 * i, -0.7) for i, c in enumerate(("red", "green")) if c not in colours]
    return objects + [bowl(c, -0.2 + 0.15 * i, -0.3) for i, c in enumerate(colours)]
