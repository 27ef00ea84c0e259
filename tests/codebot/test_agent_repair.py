"""The feedback/repair loop, made deterministic with the replay backend: a failing program's error
text must reach the next prompt (the turn-2 reply below only answers a prompt that contains it), and
the repaired program must be verified in sim."""
import json

import pytest

from codebot.agent import REPEAT_RESAMPLES, REPEAT_TEMPERATURES, Agent, AgentConfig
from codebot.llm import make_llm
from codebot.trace import find_record

pytestmark = [pytest.mark.slow]

SELF_STACK_ERROR = "'red block' on itself"


def write_replay(path, entries):
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))
    return path


@pytest.fixture
def agent_factory(tmp_path):
    agents = []

    def make(replay_entries, **cfg):
        llm = make_llm("replay", path=str(write_replay(tmp_path / "replay.jsonl", replay_entries)))
        agent = Agent(AgentConfig(llm="replay", trace_dir=str(tmp_path / "traces"), timeout_s=60, **cfg), llm=llm)
        agents.append(agent)
        return agent

    yield make
    for agent in agents:
        agent.close()


def test_failing_program_is_repaired_on_turn_two_from_its_error_text(agent_factory):
    agent = agent_factory([
        # Only a prompt that carries turn 1's error gets the fix.
        {"when_contains": [SELF_STACK_ERROR, "line 2"],
         "completion": "put_first_on_second('red block', 'blue block')\n"},
        {"when_contains": ["# put the red block on the blue block."],
         "completion": "Here is the program:\n```python\nsay('stacking')\n"
                       "put_first_on_second('red block', 'red block')\n```"},
    ], attempts=3)
    ep = agent.run("put the red block on the blue block")
    assert ep.success, ep.verdict
    assert len(ep.turns) == 2
    first, second = ep.turns
    assert not first.success and SELF_STACK_ERROR in first.feedback
    assert "line 2" in first.feedback and "put_first_on_second('red block', 'red block')" in first.feedback
    assert second.success and second.outcome["source"] == "checker"
    assert ep.code.strip() == "put_first_on_second('red block', 'blue block')"
    # the trace holds both turns, the prompts and the verdict
    record = find_record(ep.trace_path, ep.trace_id)
    assert record["success"] and len(record["turns"]) == 2
    repair_prompt = [c for c in record["llm_calls"] if c["purpose"] == "repair"][0]["messages"][-1]["content"]
    assert SELF_STACK_ERROR in repair_prompt
    assert record["timings"]["total_s"] > 0 and record["code"] == ep.code


def test_a_call_with_too_many_arguments_is_repaired_from_the_calls_the_note_offers(agent_factory):
    # cap-tabletop template 6: place() given the bowl and the place; the note offers each one-argument call, the one
    # naming the goal's place (at(red block, top side)) first
    agent = agent_factory([
        {"when_contains": ["write `place(get_location('top side'))` or `place('blue block')`"],
         "completion": "pick('red block')\nplace(get_location('top side'))\n"},
        {"when_contains": ["# move the red block to the top side."],
         "completion": "pick('red block')\nplace('blue block', get_location('top side'))\n"},
    ], attempts=2)
    ep = agent.run("move the red block to the top side")
    assert ep.success, ep.verdict
    assert "Note: place() takes one argument" in ep.turns[0].feedback and ep.turns[1].success


def test_a_move_the_other_way_round_is_repaired_from_the_note(agent_factory):
    agent = agent_factory([
        {"when_contains": ["the goal has the red block on the blue block: "
                           "put_first_on_second('red block', 'blue block')"],
         "completion": "put_first_on_second('red block', 'blue block')\n"},
        {"when_contains": ["# put the red block on the blue block."],
         "completion": "put_first_on_second('blue block', 'red block')\n"},
    ], attempts=2)
    ep = agent.run("put the red block on the blue block")
    assert ep.success and len(ep.turns) == 2, ep.verdict


def test_without_a_template_or_goal_a_finished_program_is_unchecked_never_verified(agent_factory):
    # The program does what was asked, but nothing can check it: that is "unchecked", not success.
    # ("nudge" is read by no template and not by the phrase parser; the replay has no spec to give)
    agent = agent_factory([
        {"when_contains": ["# nudge the red block toward the blue block."],
         "completion": "put_first_on_second('red block', 'blue block')"},
    ], attempts=2)
    ep = agent.run("nudge the red block toward the blue block")
    assert ep.task is None and ep.check is None
    assert not ep.success and ep.verdict_source == "unchecked" and len(ep.turns) == 1
    assert "cannot be verified" in ep.verdict and "red block moved" in ep.turns[0].feedback


def test_malformed_llm_output_becomes_feedback(agent_factory):
    agent = agent_factory([
        {"when_contains": ["syntax error"], "completion": "put_first_on_second('red block', 'blue block')"},
        {"when_contains": ["# put the red block on the blue block."],
         "completion": "Sure, I can help!\nfor b in get_blocks()\n    pick(b)"},
    ])
    ep = agent.run("put the red block on the blue block")
    assert ep.success and len(ep.turns) == 2
    assert "rejected" in ep.turns[0].feedback and "syntax error" in ep.turns[0].feedback


class GreedyWrongSampledRight:
    """An LLM stand-in: the greedy candidate is wrong, a sampled one is right."""

    def complete(self, prompt, stop=None, max_tokens=512, temperature=0.0, grammar=None, **kw):
        if temperature > 0:
            return "put_first_on_second('red block', 'blue block')\n"
        return "put_first_on_second('red block', 'blue bowl')\n"


def test_candidates_are_ranked_by_outcome(tmp_path):
    with Agent(AgentConfig(llm="replay", trace_dir=str(tmp_path / "t"), timeout_s=60, candidates=2, attempts=1),
               llm=GreedyWrongSampledRight()) as agent:
        ep = agent.run("put the red block on the blue block")
    assert ep.success and len(ep.turns[0].candidates) == 2  # the verified candidate won, though it came second
    assert [c["success"] for c in ep.turns[0].candidates] == [False, True]
    assert "blue block" in ep.code


class GreedyWrongSampledRightOnRepair:
    """An LLM stand-in that records each call's temperature: greedy is always wrong (a new wrong bowl each
    call, so no repeat), a sampled program is right."""

    def __init__(self):
        self.temperatures = []

    def complete(self, prompt, stop=None, max_tokens=512, temperature=0.0, grammar=None, **kw):
        self.temperatures.append(temperature)
        if temperature > 0:
            return "put_first_on_second('red block', 'blue block')\n"
        return f"say('{len(self.temperatures)}')\nput_first_on_second('red block', 'blue bowl')\n"


def test_repair_candidates_apply_to_repair_turns_only(tmp_path):
    llm = GreedyWrongSampledRightOnRepair()
    with Agent(AgentConfig(llm="replay", trace_dir=str(tmp_path / "t"), timeout_s=60, candidates=1,
                           repair_candidates=2, attempts=2), llm=llm) as agent:
        assert agent.most_candidates == 2
        ep = agent.run("put the red block on the blue block")
    # turn 1: the greedy program alone (a checked failure); turn 2: greedy + one sampled, the sampled one verified
    assert len(ep.turns) == 2 and not ep.turns[0].success and ep.turns[0].candidates == []
    assert ep.success and [c["success"] for c in ep.turns[1].candidates] == [False, True]
    assert llm.temperatures.count(0.0) == 2 and sum(t > 0 for t in llm.temperatures) == 1


def test_a_candidate_that_repeats_another_of_its_turn_is_not_run(agent_factory):
    agent = agent_factory([
        {"when_contains": ["# put the red block on the blue block."],
         "completion": "put_first_on_second('red block', 'blue block')"},
    ], candidates=2)
    ep = agent.run("put the red block on the blue block")
    assert ep.success and ep.turns[0].candidates == []  # one program run: the copy was recognised


def test_worker_crash_inside_an_episode_is_feedback_and_the_trace_is_written(agent_factory):
    agent = agent_factory([
        {"when_contains": ["# put the red block on the blue block."], "completion": "x = 1\nsegfault_for_test()"},
    ], attempts=1, test_hooks=True)
    ep = agent.run("put the red block on the blue block")
    assert not ep.success and "crash" in ep.verdict
    assert "SIGSEGV" in ep.turns[0].feedback
    record = find_record(ep.trace_path, ep.trace_id)
    assert record["turns"][0]["result"]["crashed"] is True
    # the agent keeps working after the crash
    assert agent.check_program("put_first_on_second('red block', 'blue block')",
                               "put the red block on the blue block").success


def test_llm_failure_ends_the_episode_with_a_trace(agent_factory):
    agent = agent_factory([
        {"when_contains": ["# put the red block on the blue block."], "when_absent": ["Result of attempt"],
         "completion": "say('hi')"},
    ], attempts=3)
    ep = agent.run("put the red block on the blue block")  # turn 2's prompt has no recording
    assert not ep.success and len(ep.turns) == 1
    assert "ReplayMissError" in ep.error and "LLM failed" in ep.verdict
    assert find_record(ep.trace_path, ep.trace_id)["error"] == ep.error


class GreedyRepeater:
    """An LLM stand-in (this test is about the loop, not a model): greedy decoding repeats the failed
    program; only a sampled completion (temperature > 0) differs."""

    def __init__(self):
        self.temperatures = []
        self.prompts = []

    def complete(self, prompt, stop=None, max_tokens=512, temperature=0.0, grammar=None, **kw):
        self.temperatures.append(temperature)
        self.prompts.append(prompt)
        if temperature > 0:
            return "put_first_on_second('red block', 'blue block')\n"
        return "put_first_on_second('red block', 'red block')\n"


def test_a_repair_that_repeats_a_failed_program_is_resampled(tmp_path):
    llm = GreedyRepeater()
    with Agent(AgentConfig(llm="replay", trace_dir=str(tmp_path / "t"), timeout_s=60, attempts=2), llm=llm) as agent:
        ep = agent.run("put the red block on the blue block")
    assert ep.success, ep.verdict
    assert [t.code.strip() for t in ep.turns] == ["put_first_on_second('red block', 'red block')",
                                                  "put_first_on_second('red block', 'blue block')"]
    assert llm.temperatures == [0.0, 0.0, REPEAT_TEMPERATURES[0]]
    # the resample is the repair request plus the tried programs' summaries; the repeat itself is not
    # put in the conversation as the model's answer (it would copy it again)
    repair, last = llm.prompts[1], llm.prompts[-1]
    assert len(last) == len(repair) and last[:-1] == repair[:-1]
    assert last[-1]["content"].startswith(repair[-1]["content"].rstrip())
    assert "already tried and failed; do not write any of them again" in last[-1]["content"]
    assert "\n- put_first_on_second('red block', 'red block') -> " in last[-1]["content"]


class RenamingRepeater:
    """An LLM stand-in that answers every request with the same failing program under new names."""

    def __init__(self):
        self.requests = 0

    def complete(self, prompt, stop=None, max_tokens=512, temperature=0.0, grammar=None, **kw):
        self.requests += 1
        name = f"target_{self.requests}"
        return f"{name} = 'red block'\n# attempt {self.requests}\nput_first_on_second({name}, {name})\n"


def test_a_repair_that_only_renames_variables_is_never_run_again(tmp_path):
    llm = RenamingRepeater()
    events = []
    with Agent(AgentConfig(llm="replay", trace_dir=str(tmp_path / "t"), timeout_s=60, attempts=3), llm=llm,
               on_event=lambda kind, payload: events.append(kind)) as agent:
        ep = agent.run("put the red block on the blue block")
    assert not ep.success
    assert len(ep.turns) == 1  # one sim run: the renamed copies were recognised and not run
    assert events.count("code") == 1 and "repeat_skipped" in events
    # the program, the repair, the bounded re-asks, then one beside the other kind of examples
    assert llm.requests == 3 + REPEAT_RESAMPLES


class ExampleBoundRepeater:
    """An LLM stand-in that repeats its failed program for as long as the prompt shows the retrieved examples,
    and writes another beside the fixed ones."""

    def __init__(self, fixed_examples: str):
        self.fixed, self.prompts = fixed_examples, []

    def complete(self, prompt, stop=None, max_tokens=512, temperature=0.0, grammar=None, **kw):
        self.prompts.append(prompt)
        if self.fixed in prompt[-1]["content"]:
            return "put_first_on_second('red block', 'blue block')\n"
        return "put_first_on_second('red block', 'red block')\n"


def test_a_repair_that_keeps_repeating_is_asked_afresh_beside_the_other_examples(tmp_path):
    from codebot.codegen import prompt_file

    fixed = prompt_file("examples_goals.txt").strip()
    llm = ExampleBoundRepeater(fixed)
    with Agent(AgentConfig(llm="replay", trace_dir=str(tmp_path / "t"), timeout_s=60, attempts=2), llm=llm) as agent:
        assert agent.config.example_retrieval > 0  # the default: retrieved examples first
        ep = agent.run("put the red block on the blue block")
    assert ep.success and len(ep.turns) == 2, ep.verdict
    assert all(fixed not in p[-1]["content"] for p in llm.prompts[:-1])
    last = llm.prompts[-1][-1]["content"]
    assert fixed in last and "already tried and failed" in last and "# put the red block on the blue block." in last


def test_with_goal_in_prompt_the_program_writer_sees_the_chosen_check(agent_factory):
    # the template's goal spec reaches the program prompt as a `# goal:` line (off by default)
    goal_line = "# goal: all(in(red block, blue bowl), unchanged(others))"
    entries = [{"when_contains": [goal_line, "# put the red block in the blue bowl."],
                "completion": "put_first_on_second('red block', 'blue bowl')"}]
    ep = agent_factory(entries, goal_in_prompt=True).run("put the red block in the blue bowl")
    assert ep.success and ep.verdict_source == "checker", ep.verdict
    off = agent_factory(entries, attempts=1)  # default: no goal line, so the replay has no answer
    assert goal_line not in off.generator.program_messages("x", [], goal=None)[1]["content"]
    assert goal_line in off.generator.program_messages(
        "x", [], goal="all(in(red block, blue bowl),\n unchanged(others))")[1]["content"]


def test_with_goal_in_prompt_the_program_writer_sees_the_goal_resolved_on_its_scene(agent_factory):
    from codebot.checks.scene import SceneSpec

    # one replay answer per block: only the goal line naming the block the check means can be matched
    entries = [{"when_contains": [f"# goal: all(in({c} block, purple bowl), unchanged(others))"],
                "completion": f"put_first_on_second('{c} block', 'purple bowl')"} for c in ("red", "blue", "yellow")]
    agent = agent_factory(entries, goal_in_prompt=True, attempts=1)
    ep = agent.run("put the block nearest the green bowl in the purple bowl",
                   scene=SceneSpec(("red", "blue", "yellow"), ("green", "purple")))
    # the check keeps its selector; the program writer is shown what it picks here, and no selector text
    assert ep.check["spec"] == "all(in(nearest(blocks, green bowl), purple bowl), unchanged(others))", ep.check
    assert ep.success and ep.verdict_source == "goal spec", ep.verdict
    prompt = agent.generator.calls[-1].messages[-1]["content"]
    query = prompt[prompt.rindex("# objects = "):]  # the last instruction's own lines, after the examples
    assert "nearest(" not in query and "# where " not in query and query.count("# goal: ") == 1
    # the instruction's words for the referent are replaced by the block they pick, the one the goal line names
    picked = agent.generator.calls[-1].completion.split("'")[1]  # the replay answer the goal line matched
    assert f"# put the {picked} in the purple bowl." in query and "nearest" not in query, query


def test_without_name_referents_the_instruction_is_shown_as_written(agent_factory):
    from codebot.checks.scene import SceneSpec

    entries = [{"when_contains": ["# put the block nearest the green bowl in the purple bowl."],
                "completion": "put_first_on_second('red block', 'purple bowl')"}]
    agent = agent_factory(entries, goal_in_prompt=True, name_referents=False, attempts=1)
    ep = agent.run("put the block nearest the green bowl in the purple bowl",
                   scene=SceneSpec(("red", "blue", "yellow"), ("green", "purple")))
    assert ep.turns, ep.verdict  # the replay answered: the query showed the instruction unchanged
    query = agent.generator.calls[-1].messages[-1]["content"]
    assert "# put the block nearest the green bowl in the purple bowl." in query[query.rindex("# objects = "):]


def test_a_selector_passed_as_a_name_is_answered_with_what_it_picks(agent_factory):
    from codebot.checks.scene import SceneSpec

    entries = [{"when_contains": ["block in the purple bowl."],
                "completion": "put_first_on_second('nearest(blocks, green bowl)', 'purple bowl')"}]
    agent = agent_factory(entries, goal_in_prompt=True, attempts=1)
    ep = agent.run("put the block nearest the green bowl in the purple bowl",
                   scene=SceneSpec(("red", "blue", "yellow"), ("green", "purple")))
    assert not ep.success
    assert "Note: 'nearest(blocks, green bowl)' is how the goal picks an object" in ep.turns[-1].feedback


def test_each_turn_reports_generating_code_checking_feedback_in_order_and_a_raising_sink_stops_the_run(
        agent_factory):
    entries = [{"when_contains": ["# put the red block in the blue bowl."], "completion": "move_to([0.0, 0.0, 0.3])"}]
    events = []
    agent = agent_factory(entries, attempts=2)
    agent.on_event = lambda kind, payload: events.append((kind, payload.get("turn")))
    ep = agent.run("put the red block in the blue bowl")
    assert not ep.success
    turns = [e for e in events if e[0] in ("generating", "code", "checking", "feedback")]
    assert turns[:4] == [("generating", 1), ("code", 1), ("checking", 1), ("feedback", 1)], events
    assert turns[4] == ("generating", 2), events

    class Stop(Exception):
        pass

    def stop_at_checking(kind, payload):
        if kind == "checking":
            raise Stop("canceled")

    agent.on_event = stop_at_checking
    with pytest.raises(Stop):
        agent.run("put the red block in the blue bowl")


def test_with_goal_in_prompt_a_direction_clause_comes_with_a_point_where_it_holds(agent_factory):
    from codebot.checks.scene import SceneSpec

    # the replay answers only a prompt whose `# where` line gives the point above the bowl (a small model
    # otherwise reads "above" as "on top of")
    entries = [{"when_contains": ["# where above(red block, purple bowl) holds at offset_xyz('purple bowl', 'top', 0."],
                "completion": "put_first_on_second('red block', offset_xyz('purple bowl', 'top', 0.1))"}]
    agent = agent_factory(entries, goal_in_prompt=True, attempts=1)
    ep = agent.run("place the red block above the purple bowl", scene=SceneSpec(("red", "blue"), ("green", "purple")))
    assert ep.check["spec"] == "all(above(red block, purple bowl), unchanged(others))", ep.check
    assert ep.success and ep.verdict_source == "goal spec", ep.verdict


def test_with_goal_in_prompt_a_moved_base_is_placed_before_a_block_goes_on_it(agent_factory):
    from codebot.checks.scene import SceneSpec

    # the replay answers only a prompt that says which move comes first, and the order it gives verifies
    entries = [{"when_contains": ["# first put the red block where it goes, then put the green block on it"],
                "completion": "put_first_on_second('red block', 'blue bowl')\n"
                              "put_first_on_second('green block', 'red block')"}]
    agent = agent_factory(entries, goal_in_prompt=True, attempts=1)
    ep = agent.run("put the green block on the red block and the red block in the blue bowl",
                   scene=SceneSpec(("red", "green"), ("blue",)))
    assert "on(green block, red block)" in ep.check["spec"] and "in(red block, blue bowl)" in ep.check["spec"]
    assert ep.success and ep.verdict_source == "goal spec", ep.verdict


def test_with_choose_counts_the_program_writer_is_shown_one_choice_of_moves(agent_factory):
    from codebot.checks.scene import SceneSpec

    # one replay answer for a goal line and an instruction that name moves, another for a goal line with the count
    moves = "put_first_on_second('red block', 'purple bowl')\nput_first_on_second('blue block', 'purple bowl')"
    said = "# put two blocks in the purple bowl: put the red block and the blue block in the purple bowl."
    entries = [{"when_contains": ["# goal: all(in(red block, purple bowl), in(blue block, purple bowl))", said],
                "completion": moves},
               {"when_contains": ["# goal: count(x in blocks: in(x, purple bowl)) == 2"],
                "completion": "put_first_on_second('yellow block', 'purple bowl')"}]
    scene = SceneSpec(("red", "blue", "yellow"), ("green", "purple"))
    agent = agent_factory(entries, goal_in_prompt=True, choose_counts=True, attempts=1)
    ep = agent.run("put two blocks in the purple bowl", scene=scene)
    assert ep.check["spec"] == "count(x in blocks: in(x, purple bowl)) == 2", ep.check  # the checker's count
    query = agent.generator.calls[-1].messages[-1]["content"]
    assert "count(" not in query[query.rindex("# objects = "):] and agent.generator.calls[-1].completion == moves
    assert ep.success and ep.verdict_source == "goal spec", ep.verdict
    off = agent_factory(entries, goal_in_prompt=True, choose_counts=False, attempts=1)
    assert not off.run("put two blocks in the purple bowl", scene=scene).success  # one block: the count fails
    assert off.generator.calls[-1].completion.startswith("put_first_on_second('yellow block'")
