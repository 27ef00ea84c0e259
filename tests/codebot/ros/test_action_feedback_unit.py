"""ExecuteInstruction feedback without DDS: the steps a goal reports (codebot.ros.dispatch.action_server) and the
pipeline's agent event sink that feeds them (codebot.ros.dispatch.pipeline)."""
from __future__ import annotations

import pytest

from codebot.ros.dispatch.action_server import PHASES, _GoalState, progress_of
from codebot.ros.dispatch.commands import Command
from codebot.ros.dispatch.pipeline import Pipeline, VerificationCanceled


def steps(state: _GoalState) -> list[tuple]:
    new, _ = state.take()
    return [(f["phase"], f.get("attempt"), f["progress"]) for f in new]


def test_two_attempts_then_dispatch_are_reported_in_order_with_rising_progress_and_stale_steps_are_dropped():
    state = _GoalState(Command(id="g", instruction="x"))
    state.advance("generating", 2, {"attempt": 1})  # "started"
    state.advance("generating", 2, {"attempt": 1})  # the first turn's own "generating": not a new step
    state.advance("simulating", 2, {"attempt": 1, "program": "move_to([0, 0, 0.3])", "check": "red in blue"})
    state.advance("checking", 2, {"attempt": 1})
    state.advance("generating", 2, {"attempt": 2})
    state.advance("simulating", 2, {"attempt": 1})  # late news of attempt 1: dropped
    state.advance("simulating", 2, {"attempt": 2, "program": "put_first_on_second('a', 'b')"})
    state.advance("checking", 2, {"attempt": 2})
    state.advance("gated", 2, {"turns": 2, "program": "put_first_on_second('a', 'b')"})
    state.advance("dispatching", 2, {})
    state.advance("executing", 2, {})
    state.advance("dispatching", 2, {})  # never back
    got = steps(state)
    assert [(p, a) for p, a, _ in got] == [
        ("generating", 1), ("simulating", 1), ("checking", 1), ("generating", 2), ("simulating", 2),
        ("checking", 2), ("gated", 2), ("dispatching", 2), ("executing", 2)]
    progress = [p for _, _, p in got]
    assert progress == sorted(progress) and len(set(progress)) == len(progress) and progress[-1] < 1.0
    _, current = state.take()
    assert current["phase"] == "executing" and current["program"] == "put_first_on_second('a', 'b')"
    assert current["check"] == "red in blue"  # the check in words stays with every later step


@pytest.mark.parametrize("attempts", [1, 3])
def test_progress_rises_through_every_phase(attempts):
    order = [progress_of(p, a, attempts) for a in range(1, attempts + 1) for p in PHASES[:3]]
    order += [progress_of(p, attempts, attempts) for p in PHASES[3:]]
    assert order == sorted(order) and 0 < order[0] and order[-1] < 1


class StatusLog:
    def __init__(self):
        self.statuses = []

    def status(self, phase, **extra):
        self.statuses.append((phase, extra))


def test_the_pipeline_reports_each_turn_and_a_cancel_stops_the_agent_at_its_next_step(tmp_path):
    pipeline = Pipeline({"trace_dir": str(tmp_path)})
    node = StatusLog()
    sink = pipeline._turn_reporter(node, "g1")
    sink("check", {"description": "the red block is in the blue bowl"})
    sink("generating", {"turn": 1})
    sink("code", {"turn": 1, "candidate": 0, "code": "put_first_on_second('red block', 'blue bowl')"})
    sink("checking", {"turn": 1, "candidate": 0})
    sink("feedback", {"turn": 1, "feedback": "...", "success": True})  # not a phase
    assert [(p, e["attempt"]) for p, e in node.statuses] == [("generating", 1), ("simulating", 1), ("checking", 1)]
    assert node.statuses[1][1]["program"].startswith("put_first_on_second")
    assert all(e["check"] == "the red block is in the blue bowl" and e["id"] == "g1" for _, e in node.statuses)
    pipeline.stage = ("g1", "verifying")
    assert pipeline.cancel("g1") == "verifying"
    with pytest.raises(VerificationCanceled, match="attempt 2"):
        sink("generating", {"turn": 2})
    assert pipeline._turn_reporter(node, "other")  # another command's sink is not stopped by g1's cancel
    pipeline._turn_reporter(node, "other")("generating", {"turn": 1})


class RecordingAgent:
    """The attempts each run was given; the pipeline's own agent is built lazily from node parameters."""
    def __init__(self):
        from codebot.agent import AgentConfig
        self.config, self.on_event, self.runs = AgentConfig(attempts=3), None, []

    def run(self, instruction, scene=None):
        self.runs.append(self.config.attempts)
        return "episode"


def test_a_goals_own_attempts_hold_for_its_run_only():
    pipeline = Pipeline({"trace_dir": "."})
    pipeline._agent = agent = RecordingAgent()
    state = {"objects": [], "joints": {}}
    assert pipeline.verify("x", state, attempts=5) == "episode"
    pipeline.verify("x", state)  # 0: the node parameter's, as the agent was built
    assert agent.runs == [5, 3] and agent.config.attempts == 3
