"""Every example in the library does what its spec says, checked for real: each program runs in the
simulator through the agent's sandbox and sim server (Agent.check_program, one agent and one warm
worker for all of them), on a scene holding exactly the example's objects at the example's layout
seed, judged by the example's own goal spec, which the agent validates against that scene first. And
`codebot run --examples K` reaches the program prompt: the replay backend answers only a prompt that
carries the retrieved examples and not the fixed ones."""
import json
import subprocess
import sys
import time

import pytest

from codebot.agent_factory import agent_config, build_agent
from codebot.checks.scene import SceneSpec
from codebot.llm import make_llm
from codebot.prompt_examples import load_library, similar_examples

pytestmark = pytest.mark.slow
LIBRARY = load_library()


def scene_of(objects) -> SceneSpec:
    colours = {kind: tuple(o.split()[0] for o in objects if o.endswith(f" {kind}")) for kind in ("block", "bowl")}
    return SceneSpec(colours["block"], colours["bowl"])


@pytest.fixture(scope="module")
def agent():
    # no LLM call happens: check_program is given the program and the spec
    config = agent_config(llm="replay", trace_dir=None, write_goals=False, snapshots=False)
    with build_agent(config, llm=make_llm("replay", entries=[])) as agent:
        yield agent


@pytest.fixture(scope="module")
def timing():
    seconds: list[float] = []
    yield seconds
    print(f"\n{len(seconds)} library programs run in the simulator in {sum(seconds):.1f} s")


@pytest.mark.parametrize("example", LIBRARY, ids=[e.id for e in LIBRARY])
def test_the_example_program_satisfies_its_own_validated_spec(agent, timing, example):
    agent.config.seed = example.seed
    t0 = time.perf_counter()
    episode = agent.check_program(example.program, example.instruction, scene=scene_of(example.objects),
                                  goal=example.spec)
    timing.append(time.perf_counter() - t0)
    assert episode.goal["problems"] == [] and episode.goal["ok"], episode.goal  # validated on this scene
    assert episode.success and episode.verdict_source == "goal spec", (example.id, episode.verdict,
                                                                       episode.turns[-1].feedback)


def test_run_with_examples_shows_the_retrieved_examples_to_the_program_writer(tmp_path):
    instruction = "put the green block in the red bowl"
    nearest = similar_examples(instruction, 3)[0]
    replay = tmp_path / "replay.jsonl"
    replay.write_text(json.dumps({"when_contains": [f"# {nearest.instruction}.\n{nearest.program}\n",
                                                    "# put the green block in the red bowl."],
                                  "when_absent": ["# stack all the blocks."],  # a line of the fixed examples.txt
                                  "completion": "put_first_on_second('green block', 'red bowl')"}) + "\n")
    traces = tmp_path / "traces"
    out = subprocess.run([sys.executable, "-m", "codebot.cli", "run", instruction, "--examples", "3",
                          "--llm", "replay", "--replay-file", str(replay), "--trace-dir", str(traces),
                          "--no-snapshots", "--attempts", "1"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    record = json.loads((traces / "episodes.jsonl").read_text().splitlines()[-1])
    assert record["config"]["example_retrieval"] == 3
    program_prompt = [c for c in record["llm_calls"] if c["purpose"] == "program"][0]["messages"][-1]["content"]
    assert program_prompt.count("# objects = ") == 4
