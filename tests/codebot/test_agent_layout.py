"""A layout in which the instruction means something (codebot.agent_layout): where the phrase parser's
reading fails only because of where the seed laid the objects out (the goal already holds, a selector finds
nothing), the agent moves to the next seed on which it validates, and says so. Real PyBullet scenes."""
import json

import pytest

from codebot.agent_layout import layout_problems, restated_on_layout, search_layout, search_restated_layout
from codebot.agent_prepare import read_instruction
from codebot.checks.scene import SceneSpec
from codebot.reset_config import ResetConfig

pytest.importorskip("pybullet")

# seed 0 lays this scene out with the red block already in the middle of the table (the already-true case)
SCENE = SceneSpec(("red", "blue", "green"), ("yellow", "purple"))
MIDDLE = "put the red block in the middle of the table"


@pytest.fixture(scope="module")
def env():
    from codebot import sim

    env = sim.make("tabletop", robot="ur5e", seed=0, scene=SCENE)
    yield env
    env.close()


def _prepared(env, instruction, scene=SCENE, seed=0):
    observed = []

    def observe(reset):
        observed.append(reset.seed)
        env.reset(seed=reset.seed, scene=reset.scene)
        return [o.to_plain() for o in env.objects()]

    prep = read_instruction(instruction, scene, True, seed, lambda s: ResetConfig(seed=seed, scene=s))
    prep.observed(observe(prep.reset))
    return prep, observe, observed


def test_a_goal_that_already_holds_on_this_layout_moves_to_a_seed_where_it_does_not(env):
    prep, observe, observed = _prepared(env, MIDDLE)
    assert any("already holds" in p for p in layout_problems(prep)), "seed 0 no longer lays the red block mid-table"
    moved = search_layout(prep, observe)
    assert moved is not None and moved["instead_of"] == 0 and moved["seed"] == prep.reset.seed > 0
    assert observed == list(range(0, moved["seed"] + 1))  # seeds tried in order, stopping at the first that works
    assert layout_problems(prep) == []
    assert prep.reset.scene == SCENE, "only where the objects lie may change, never which objects there are"
    from codebot.checks.goal_choice import choose_check

    choice = choose_check(prep.instruction, prep.task, prep.objects, read=prep.read)
    assert choice.check is not None and choice.check.spec == "all(at(red block, middle), unchanged(others))"
    assert choice.goal["source"] == "goal spec (read from the instruction, validated)"


def test_a_selector_that_finds_nothing_here_gets_a_layout_where_it_finds_its_block(env):
    prep, observe, _ = _prepared(env, "pick up the block on the right of the yellow bowl and put it in the purple bowl")
    if not layout_problems(prep):
        pytest.skip("seed 0 already lays a block right of the yellow bowl")
    assert search_layout(prep, observe) is not None and layout_problems(prep) == []


@pytest.mark.parametrize("instruction", [
    "put the red block in the yellow bowl",  # a task template: its checker is the authority on its scenes
    "put the red block in the orange bowl",  # names a bowl the scene lacks: no layout cures that
    "make the robot happy",  # the parser does not read it at all
])
def test_nothing_moves_where_the_layout_is_not_to_blame(env, instruction):
    prep, observe, observed = _prepared(env, instruction)
    assert search_layout(prep, observe) is None
    assert observed == [0] and prep.reset.seed == 0


def test_no_seed_that_helps_leaves_the_preparation_as_it_was(env):
    prep, _, _ = _prepared(env, MIDDLE)
    before = list(prep.objects)
    # every layout tried still has the goal holding: the observe stub hands back seed 0's scene each time
    assert search_layout(prep, lambda reset: before, tries=3) is None
    assert prep.reset.seed == 0 and prep.objects == before


# the parser does not read this ("smack", "reckon"); the LLM's restatement does, and seed 0 already has it done
UNREAD_MIDDLE = "the red block, i reckon it belongs smack in the middle of the table"


def _unchecked_after(prep, *restated):
    from codebot.checks.goal_choice import CheckChoice

    attempts = [{"restated": text, "spec": "", "problems": ["the spec already holds on the initial scene"],
                 "sample": i + 1} for i, text in enumerate(restated)]
    prep.choice = CheckChoice(None, {"ok": False, "source": "unchecked", "attempts": attempts}, "unchecked")
    return prep


def test_a_restatement_that_already_holds_here_moves_the_run_to_a_layout_where_it_does_not(env):
    prep, observe, observed = _prepared(env, UNREAD_MIDDLE)
    assert layout_problems(prep) == [], "the parser reads the instruction itself now: pick another wording"
    _unchecked_after(prep, "put the red block in the middle", "put the red block in the middle")
    assert restated_on_layout(prep) == ["put the red block in the middle"], "seed 0 no longer lays red mid-table"
    moved = search_restated_layout(prep, observe)
    assert moved is not None and moved["instead_of"] == 0 and moved["seed"] == prep.reset.seed > 0
    assert observed == list(range(0, moved["seed"] + 1)) and prep.reset.scene == SCENE
    from codebot.checks.goal_restater import Restater
    from codebot.checks.judge import object_infos

    goal, problems = Restater.read_restatement("put the red block in the middle", prep.instruction,
                                               prep.read.normalized, object_infos(prep.objects))
    assert goal is not None and problems == []


@pytest.mark.parametrize("restated", [
    "put the red block in the purple bowl",  # a reading the instruction does not license: no layout cures that
    "unclear",
])
def test_a_restatement_refused_for_what_it_says_gets_no_other_layout(env, restated):
    prep, observe, observed = _prepared(env, UNREAD_MIDDLE)
    _unchecked_after(prep, restated)
    assert restated_on_layout(prep) == [] or search_restated_layout(prep, observe) is None
    assert prep.reset.seed == 0


def test_only_a_target_that_lays_its_scene_out_from_the_seed_gets_another_layout():
    from codebot.targets import target_traits

    # the twin's scene is the ROS robot's own (objects synced to their perceived poses): never re-laid
    assert target_traits("sim").lays_out and not target_traits("twin").lays_out
    assert not target_traits("ros").lays_out and not target_traits("vision").lays_out


def _agent_run(tmp_path, instruction: str, replies: list[dict]):
    """One agent run on SCENE with a replayed LLM: (episode, events, the trace record)."""
    from codebot.agent import Agent, AgentConfig
    from codebot.llm import make_llm

    replay = tmp_path / "replay.jsonl"
    replay.write_text("".join(json.dumps(reply) + "\n" for reply in replies))
    events = []
    agent = Agent(AgentConfig(llm="replay", trace_dir=str(tmp_path / "traces"), attempts=1),
                  llm=make_llm("replay", path=str(replay)), on_event=lambda k, p: events.append((k, p)))
    try:
        ep = agent.run(instruction, scene=SCENE)
    finally:
        agent.close()
    return ep, events, json.loads((tmp_path / "traces" / "episodes.jsonl").read_text().splitlines()[-1])


@pytest.mark.slow
def test_the_agent_says_which_layout_it_used_and_the_trace_replays_it(tmp_path):
    ep, events, record = _agent_run(tmp_path, MIDDLE, [
        {"when_contains": ["# put the red block in the middle of the table."],
         "completion": "put_first_on_second('red block', get_location('middle'))"}])
    layout = [p for k, p in events if k == "layout"]
    assert layout and layout[0]["instead_of"] == 0 and layout[0]["seed"] > 0, events
    assert [k for k, _ in events].index("layout") < [k for k, _ in events].index("scene")
    assert ep.verdict_source == "goal spec" and ep.check["spec"] == "all(at(red block, middle), unchanged(others))"
    assert record["target_reset"]["seed"] == layout[0]["seed"]  # a replay lays out what the run saw
    assert record["goal"]["layout"] == layout[0]
    assert ep.success, ep.verdict


@pytest.mark.slow
def test_the_agent_lays_out_again_for_a_restatement_and_checks_the_run_there(tmp_path):
    ep, events, record = _agent_run(tmp_path, UNREAD_MIDDLE, [
        {"when_contains": ["You rewrite a person's instruction", f"instruction: {UNREAD_MIDDLE}"],
         "completion": "put the red block in the middle"},
        {"when_contains": [UNREAD_MIDDLE], "when_absent": ["You rewrite a person's instruction"],
         "completion": "put_first_on_second('red block', get_location('middle'))"}])
    kinds = [k for k, _ in events]
    layout = [p for k, p in events if k == "layout"]
    assert layout and layout[0]["instead_of"] == 0 and layout[0]["seed"] > 0, kinds
    assert "restated as 'put the red block in the middle'" in layout[0]["why"][0]
    assert kinds.count("scene") == 2 and kinds.index("layout") < len(kinds) - 1 - kinds[::-1].index("scene")
    assert ep.verdict_source == "goal spec" and ep.check["spec"] == "all(at(red block, middle), unchanged(others))"
    assert record["target_reset"]["seed"] == layout[0]["seed"] and record["goal"]["layout"] == layout[0]
    assert ep.success, ep.verdict
