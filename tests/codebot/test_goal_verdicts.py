"""Verdicts on instructions no task template parses: a goal spec (the user's, or the LLM's in its own
request) is validated against the scene, sent to the sim server and evaluated there on the server's
own world state. Only template checkers and validated specs can say success; a constant or invalid
spec never can; the failing clause leads the repair feedback."""
import json
import subprocess
import sys

import pytest

from codebot.agent import Agent, AgentConfig
from codebot.llm import make_llm

pytestmark = pytest.mark.slow

# normalised: red block, blue bowl; no template matches and the phrase parser does not read "is happiest in"
INSTRUCTION = "the crimson cube is happiest in the azure bowl"
SPEC_PROMPT = "instruction: the red block is happiest in the blue bowl"
PROGRAM_PROMPT = "# the red block is happiest in the blue bowl."


@pytest.fixture
def agent_factory(tmp_path):
    agents = []

    def make(entries, **cfg):
        path = tmp_path / "replay.jsonl"
        path.write_text("".join(json.dumps(e) + "\n" for e in entries))
        cfg = {"write_goals": True, **cfg}  # these tests are about the spec writer, which is off by default
        agent = Agent(AgentConfig(llm="replay", trace_dir=str(tmp_path / "traces"), **cfg),
                      llm=make_llm("replay", path=str(path)))
        agents.append(agent)
        return agent

    yield make
    for agent in agents:
        agent.close()


def test_an_llm_written_spec_is_validated_and_judged_in_the_sim_server(agent_factory, tmp_path):
    agent = agent_factory([{"when_contains": [SPEC_PROMPT], "completion": "in(red block, blue bowl)"},
                           {"when_contains": [PROGRAM_PROMPT],
                            "completion": "put_first_on_second('red block', 'blue bowl')"}])
    ep = agent.run(INSTRUCTION)
    framed = "all(in(red block, blue bowl), unchanged(others))"  # the frame a written spec about named objects gets
    assert ep.task is None and ep.check == {"kind": "goal", "spec": framed,
                                            "provenance": "goal spec (LLM-written, validated)"}
    assert ep.success and ep.verdict_source == "goal spec", ep.verdict
    assert ep.checker == f"goal spec (LLM-written, validated): {framed}"
    assert ep.turns[0].result["verdict"]["source"] == "goal spec"  # the server's own verdict
    record = json.loads((tmp_path / "traces" / "episodes.jsonl").read_text().splitlines()[-1])
    # two restatements (this replay answers them with the spec, which the parser does not read), the spec, its
    # 2nd sample
    assert [c["purpose"] for c in record["llm_calls"]] == ["restate"] * 3 + ["goal", "goal", "program"]
    assert record["goal"]["spec"] == framed


def test_a_wrong_program_fails_and_the_failing_clause_leads_the_feedback(agent_factory):
    agent = agent_factory([{"when_contains": [SPEC_PROMPT], "completion": "in(red block, blue bowl)"},
                           {"when_contains": [PROGRAM_PROMPT],
                            "completion": "put_first_on_second('red block', get_location('top left corner'))"}],
                          attempts=1, seed=1)
    ep = agent.run(INSTRUCTION)
    assert not ep.success and ep.verdict_source == "goal spec" and ep.check["kind"] == "goal"
    first = ep.turns[0].feedback.splitlines()[0]
    assert first.startswith("Result of attempt 1: FAILED (in(red block, blue bowl) false:") and "cm" in first


@pytest.mark.parametrize("bad", ["true", "all(true, not(false))"])
def test_a_constant_spec_is_refused_and_never_verifies(agent_factory, bad):
    agent = agent_factory([{"when_contains": [SPEC_PROMPT], "completion": bad},
                           {"when_contains": ["That spec is not usable"], "completion": bad},
                           {"when_contains": [PROGRAM_PROMPT], "completion": "say('done')"}], attempts=1)
    ep = agent.run(INSTRUCTION)
    assert ep.check is None and not ep.success and ep.verdict_source == "unchecked"
    assert "constant" in json.dumps(ep.goal["problems"])


def test_an_unknown_name_is_re_requested_with_the_error(agent_factory):
    agent = agent_factory([
        {"when_contains": ["no object or place named 'purple bowl'"], "completion": "in(red block, blue bowl)"},
        {"when_contains": [SPEC_PROMPT], "completion": "in(red block, purple bowl)"},
        {"when_contains": [PROGRAM_PROMPT], "completion": "put_first_on_second('red block', 'blue bowl')"}])
    ep = agent.run(INSTRUCTION)
    assert ep.success
    for sample in (1, 2):  # the spec and its independent second sample, each repaired the same way
        assert [a["spec"] for a in ep.goal["attempts"] if a["sample"] == sample] == [
            "in(red block, purple bowl)", "in(red block, blue bowl)"]


def test_a_user_goal_overrides_the_template_and_is_validated(agent_factory):
    # "put the red block in the blue bowl" has a template; the user's own spec decides instead.
    agent = agent_factory([{"when_contains": ["# put the red block in the blue bowl."],
                            "completion": "put_first_on_second('red block', 'blue bowl')"}],
                          goal="on(red block, blue bowl)")
    ep = agent.run("put the red block in the blue bowl")
    assert ep.checker == "goal spec (user-given, validated): on(red block, blue bowl)" and ep.success
    unknown = agent_factory([], goal="in(gold block, blue bowl)").check_program(
        "put_first_on_second('red block', 'blue bowl')", "put the red block in the blue bowl")
    assert not unknown.success and unknown.check is None and "gold block" in json.dumps(unknown.goal)


def test_a_colour_the_scene_lacks_is_reported_before_any_llm_call(agent_factory, tmp_path):
    from codebot.checks.scene import SceneSpec

    agent = agent_factory([])  # any LLM call would miss
    ep = agent.run("put the magenta block in the blue bowl", scene=SceneSpec(("red",), ("blue",)))
    assert not ep.success and ep.turns == [] and "no purple object" in ep.verdict, ep.verdict  # magenta -> purple
    record = json.loads((tmp_path / "traces" / "episodes.jsonl").read_text().splitlines()[-1])
    assert record["llm_calls"] == []


def test_a_named_object_the_scene_lacks_is_reported_before_any_template_or_llm(agent_factory, tmp_path):
    from codebot.checks.scene import SceneSpec

    agent = agent_factory([])  # any LLM call would miss
    # a template parses it, but this scene has a blue block and no blue bowl: nothing could judge that bowl
    ep = agent.run("put the red cube in the azure dish", scene=SceneSpec(("red", "blue"), ("yellow",)))
    assert not ep.success and ep.turns == [] and ep.check is None, ep.verdict
    assert ep.verdict.startswith("no blue bowl in this scene"), ep.verdict
    record = json.loads((tmp_path / "traces" / "episodes.jsonl").read_text().splitlines()[-1])
    assert record["llm_calls"] == []


def test_cli_exit_codes_say_verified_failed_or_unchecked(tmp_path):
    replay = tmp_path / "r.jsonl"
    replay.write_text("".join(json.dumps(e) + "\n" for e in [
        {"when_contains": [SPEC_PROMPT], "completion": "in(red block, blue bowl)"},
        {"when_contains": [PROGRAM_PROMPT], "completion": "put_first_on_second('red block', 'blue bowl')"},
        {"when_contains": ["# wave at the camera."], "completion": "say('hello')"}]))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "codebot.cli", "run", *args, "--llm", "replay", "--replay-file",
                               str(replay), "--trace-dir", str(tmp_path / "t"), "--attempts", "1", "-q",
                               "--show-spec"], capture_output=True, text=True, timeout=300, cwd=tmp_path)

    ok = run(INSTRUCTION, "--write-goals")
    assert ok.returncode == 0 and ("Check: goal spec (LLM-written, validated): "
                                   "all(in(red block, blue bowl), unchanged(others))") in ok.stdout
    assert "VERIFIED SUCCESS (goal spec" in ok.stdout
    # the spec writer is off by default: the same run, its restatement unread, is honestly unchecked
    unwritten = run(INSTRUCTION)
    assert unwritten.returncode == 3 and "UNCHECKED" in unwritten.stdout and "VERIFIED" not in unwritten.stdout
    assert "--write-goals" in unwritten.stdout, unwritten.stdout
    unchecked = run("wave at the camera")
    assert unchecked.returncode == 3 and "UNCHECKED" in unchecked.stdout and "VERIFIED" not in unchecked.stdout
    failed = run(INSTRUCTION, "--goal", "at(red block, top left corner)")
    assert failed.returncode == 1 and "NOT VERIFIED" in failed.stdout


def test_a_restatement_that_says_more_than_the_instruction_is_refused_and_the_writer_decides(agent_factory, tmp_path):
    # attack: the restatement widens the goal to every block; "every" is no word of the instruction, so the parser's
    # reading of it is refused, and the (agreeing) written spec is the check
    restate = "rewrite a person's instruction"
    agent = agent_factory([{"when_contains": [restate], "completion": "put all the blocks in the blue bowl"},
                           {"when_contains": [SPEC_PROMPT], "completion": "in(red block, blue bowl)"},
                           {"when_contains": [PROGRAM_PROMPT],
                            "completion": "put_first_on_second('red block', 'blue bowl')"}])
    ep = agent.run(INSTRUCTION)
    assert ep.check["provenance"] == "goal spec (LLM-written, validated)", ep.check
    assert ep.success and ep.verdict_source == "goal spec", ep.verdict
    record = json.loads((tmp_path / "traces" / "episodes.jsonl").read_text().splitlines()[-1])
    notes = record["goal"]["notes"]
    assert any("restatement not used" in n and "forall over blocks is not asked for" in n for n in notes), notes
    assert [c["purpose"] for c in record["llm_calls"]] == ["restate"] * 3 + ["goal", "goal", "program"]
