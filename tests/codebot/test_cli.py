"""`codebot` CLI: exit code 0 only on verified success; prints code, feedback, verdict and timings;
`codebot replay` re-runs a trace; `codebot primitives` prints the API text."""
import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def codebot(*args, cwd=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "codebot.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


def test_run_with_replay_prints_turns_and_exits_zero_on_verified_success(tmp_path):
    replay = tmp_path / "r.jsonl"
    replay.write_text(json.dumps({"when_contains": ["# put the red block in the blue bowl."],
                                  "completion": "put_first_on_second('red block', 'blue bowl')"}) + "\n")
    traces = tmp_path / "traces"
    out = codebot("run", "put the red block in the blue bowl", "--llm", "replay", "--replay-file", str(replay),
                  "--trace-dir", str(traces), "--seed", "1")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "put_first_on_second('red block', 'blue bowl')" in out.stdout
    assert "VERIFIED SUCCESS" in out.stdout and "LLM" in out.stdout and "trace:" in out.stdout
    # replay the episode from its trace: whole loop, then only the final program
    trace_file = traces / "episodes.jsonl"
    again = codebot("replay", str(trace_file), "-q")
    assert again.returncode == 0, again.stdout + again.stderr
    code_only = codebot("replay", str(trace_file), "--code-only", "-q")
    assert code_only.returncode == 0 and "VERIFIED SUCCESS" in code_only.stdout


def test_run_exits_nonzero_when_not_verified(tmp_path):
    replay = tmp_path / "r.jsonl"
    replay.write_text(json.dumps({"when_contains": ["# put the red block in the blue bowl."],
                                  "completion": "say('no')"}) + "\n")
    out = codebot("run", "put the red block in the blue bowl", "--llm", "replay", "--replay-file", str(replay),
                  "--attempts", "1", "--trace-dir", str(tmp_path / "t"))
    assert out.returncode == 1 and "NOT VERIFIED" in out.stdout


def test_bad_inputs_give_clear_errors(tmp_path):
    out = codebot("run", "put the red block in the blue bowl", "--llm", "replay", "--replay-file",
                  str(tmp_path / "missing.jsonl"), "--trace-dir", str(tmp_path / "t"))
    assert out.returncode == 2 and "does not exist" in out.stdout
    out = codebot("run", "x", "--llm", "nope", "--trace-dir", str(tmp_path / "t"))
    assert out.returncode == 2 and "unknown LLM backend" in out.stdout
    out = codebot("replay", str(tmp_path / "none.jsonl"))
    assert out.returncode == 2


def test_primitives_prints_the_api_text():
    out = codebot("primitives")
    assert out.returncode == 0 and "put_first_on_second(" in out.stdout and "# motion" in out.stdout
