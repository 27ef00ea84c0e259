"""Examples chosen for the instruction, in the program prompt (CodeGenerator(example_retrieval=k)): off
(k = 0) the prompt is byte for byte today's (examples.txt); on, the user message carries the k library
examples most similar to the instruction in the same form, and static_prefix() stops before them."""
import pytest

from codebot.codegen import CodeGenerator, prompt_file
from codebot.llm import chatml, make_llm
from codebot.prompt_examples import load_library, similar_examples

SCENE = [{"name": "green block"}, {"name": "red bowl"}, {"name": "blue block"}]
OTHER_INSTRUCTIONS = ["put the green block on the red bowl", "stack all the blocks", "say hello",
                      "put the red block in the blue bowl", "x",
                      "move the block closest to the blue bowl to the top side"]


def generator(k: int = 0) -> CodeGenerator:
    return CodeGenerator(make_llm("replay", entries=[]), example_retrieval=k)


def test_without_retrieval_the_prompt_is_todays_byte_for_byte():
    gen = generator(0)
    for instruction in OTHER_INSTRUCTIONS:
        messages = gen.program_messages(instruction, SCENE)
        text = " ".join(instruction.split()) + ("" if instruction[-1] in ".!?" else ".")
        query = f"# objects = ['green block', 'red bowl', 'blue block']\n# {text}\n"
        assert messages == [
            {"role": "system", "content": prompt_file("system.txt").format(api=gen.api)},
            {"role": "user", "content": f"Examples:\n{prompt_file('examples.txt').strip()}\n\n"
                                        f"Write the program for the last instruction:\n{query}"}]
    assert generator().program_messages("stack all the blocks", SCENE) == gen.program_messages("stack all the blocks",
                                                                                                 SCENE)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_with_retrieval_the_k_most_similar_examples_replace_the_fixed_ones(k):
    instruction = "put the green block on the red bowl"
    user = generator(k).program_messages(instruction, SCENE)[1]["content"]
    chosen = similar_examples(instruction, k)
    assert user.count("# objects = ") == k + 1  # k examples and the query
    assert prompt_file("examples.txt").strip() not in user
    positions = [user.index(f"\n{e.program.strip()}\n") for e in chosen]
    assert positions == sorted(positions, reverse=True)  # the most similar one last, next to the query
    block = user.split("Examples:\n", 1)[1].split("\n\nWrite the program for the last instruction:\n")[0]
    last = chosen[0]
    assert block.endswith(f"# objects = {list(last.objects)!r}\n# {last.instruction}.\n{last.program.strip()}")
    assert user.endswith("# objects = ['green block', 'red bowl', 'blue block']\n"
                         "# put the green block on the red bowl.\n")


def test_with_retrieval_the_static_prefix_is_common_to_every_prompt_and_holds_no_example():
    gen = generator(3)
    prefix = gen.static_prefix()
    assert gen.api in prefix and prefix.endswith("Examples:\n")
    instructions = [e.instruction for e in load_library()] + OTHER_INSTRUCTIONS
    for instruction in instructions:
        assert chatml(gen.program_messages(instruction, SCENE)).startswith(prefix), instruction
    assert "# objects = " not in prefix


def test_without_retrieval_the_static_prefix_still_holds_the_fixed_examples():
    gen = generator(0)
    prefix = gen.static_prefix()
    assert prompt_file("examples.txt").strip() in prefix
    assert chatml(gen.program_messages("put the red block in the blue bowl", SCENE)).startswith(prefix)
    assert len(prefix) > len(generator(3).static_prefix())


def test_the_query_prefix_is_the_query_whatever_the_examples():
    for k in (0, 3):
        gen = generator(k)
        gen.program_messages("stack all the blocks", SCENE)
        assert gen.query_prefix == ("```python\n# objects = ['green block', 'red bowl', 'blue block']\n"
                                    "# stack all the blocks.\n")


def test_with_a_goal_line_each_retrieved_example_shows_its_own_goal_the_same_way():
    instruction = "put the green block in the red bowl"
    goal = "all(in(green block, red bowl), unchanged(others))"
    user = generator(3).program_messages(instruction, SCENE, goal=goal)[1]["content"]
    for e in similar_examples(instruction, 3, goal):
        assert (f"# objects = {list(e.objects)!r}\n# goal: {' '.join(e.spec.split())}\n# {e.instruction}"
                in user), e.id
    assert user.endswith(f"# objects = ['green block', 'red bowl', 'blue block']\n# goal: {goal}\n"
                         f"# put the green block in the red bowl.\n")
    # without a goal for the instruction, no example shows one either
    assert "# goal:" not in generator(3).program_messages(instruction, SCENE)[1]["content"]


def test_with_goal_lines_every_prompt_starts_with_the_static_prefix_that_holds_the_goal_examples():
    # goal_in_prompt: the precomputed prefix must cover the goal-line examples, with or without a check
    gen = CodeGenerator(make_llm("replay", entries=[]), goal_lines=True)
    prefix = gen.static_prefix()
    assert prompt_file("examples_goals.txt").strip() in prefix
    with_check = gen.program_messages("put the green block in the red bowl", SCENE,
                                      goal="all(in(green block, red bowl), unchanged(others))")
    without_check = gen.program_messages("say hello", SCENE)
    for messages in (with_check, without_check):
        assert chatml(messages).startswith(prefix)
    assert "# goal: all(in(green block, red bowl)" in with_check[1]["content"].split("Write the program")[1]
    assert "# goal:" not in without_check[1]["content"].split("Write the program")[1]


def test_with_a_goal_the_examples_are_chosen_by_the_shape_of_its_spec():
    # an everyday wording that shares almost no word with the library's "second block from the left" example
    instruction = "grab the 2nd cube counting over from the west edge and drop it in the red bowl"
    goal = "all(in(nth(blocks, 2, left), red bowl), unchanged(others))"
    by_words = [e.id for e in similar_examples(instruction, 4)]
    by_shape = [e.id for e in similar_examples(instruction, 4, goal)]
    assert by_shape[0] == "nth-left-into-bowl" and "nth-left-into-bowl" not in by_words[:1]
    user = generator(4).program_messages(instruction, SCENE, goal=goal)[1]["content"]
    nearest = similar_examples(instruction, 4, goal)[0]
    block = user.split("\n\nWrite the program for the last instruction:\n")[0]
    assert block.endswith(nearest.program.strip())  # the most similar one last, next to the query


def test_spec_shape_folds_names_places_and_numbers_but_keeps_relations_and_selectors():
    from codebot.prompt_examples import spec_terms

    a = spec_terms("all(in(nth(blocks, 2, left), pink bowl), unchanged(others))")
    b = spec_terms("all(in(nth(blocks, 3, left), red bowl), unchanged(others))")
    assert a == b
    assert spec_terms("all(at(red block, top left corner), unchanged(others))") == \
        spec_terms("all(at(blue block, middle), unchanged(others))")
    assert spec_terms("all(on(red block, blue block), unchanged(others))") != \
        spec_terms("all(in(red block, blue bowl), unchanged(others))")


def test_a_spec_whose_relation_no_example_has_scores_lower_than_its_familiar_part_alone():
    from codebot.prompt_examples import spec_index

    familiar = "all(stack([red block, green block, blue block]), unchanged(others))"
    unseen = "all(line([red block, green block, blue block], horizontal), unchanged(others))"
    assert spec_index().scores(unseen).max() < spec_index().scores(familiar).max() - 0.1


def test_with_the_goal_resolved_on_this_scene_the_examples_follow_its_shape():
    # the selectors' shape matches a bowl-choosing example that a small model copies wrongly; resolved on the
    # scene (as the agent shows the goal: Preparation.program_goal) it is a plain block-on-block move
    instruction = "the block nearest the bottom right corner goes on top of the block nearest the top left corner"
    goal = "all(on(nearest(blocks, bottom right corner), nearest(blocks, top left corner)), unchanged(others))"
    resolved = "all(on(yellow block, purple block), unchanged(others))"
    user = generator(4).program_messages(instruction, SCENE, goal=resolved)
    block = user[1]["content"].split("\n\nWrite the program for the last instruction:\n")[0]
    nearest = similar_examples(instruction, 4, resolved)[0]
    assert nearest.id == "block-on-block" and block.endswith(nearest.program.strip())
    assert similar_examples(instruction, 1, goal)[0].id != "block-on-block"


def test_where_points_choose_examples_whose_programs_make_the_same_kind_of_call():
    # a line has no example (an unseen-instruction template); its points call finds the example that puts blocks
    # on computed points, not a tower whose spec shares the list of blocks
    goal = "line(blocks, diagonal)"
    hint = "points_on_line('diagonal', 3, center=(0.03, -0.50)), one of the 3 blocks on each point"
    instruction = "make a diagonal line out of the blocks"
    assert similar_examples(instruction, 1, goal)[0].id != "ring-around-bowl"
    assert similar_examples(instruction, 1, goal, (hint,))[0].id == "ring-around-bowl"
    user = generator(4).program_messages(instruction, SCENE, goal=goal, placements=[(goal, hint)])[1]["content"]
    block = user.split("\n\nWrite the program for the last instruction:\n")[0]
    assert block.endswith(similar_examples(instruction, 1, goal, (hint,))[0].program.strip())
    # a point beside an object finds the examples that put a block at an offset_xyz point
    spec = "all(left_of(red block, blue bowl), unchanged(others))"
    chosen = similar_examples("red block left of blue bowl", 2, spec, ("offset_xyz('blue bowl', 'left', 0.13)",))
    assert all("offset_xyz(" in e.program for e in chosen)
