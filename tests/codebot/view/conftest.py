"""Fixtures for the viewer tests: a real replayed run (recorded completions through the real sim server)
and a real headless Chromium (installed by this set-up with Debian's apt when missing)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from view_helpers import FIRST_PROGRAM, INSTRUCTION, REPAIR, codebot, ensure_chromium


@pytest.fixture(scope="session")
def replayed_run(tmp_path_factory) -> tuple[Path, dict]:
    """(trace dir, the replayed record): `codebot run --llm replay` (a failed attempt, then a verified repair),
    then `codebot replay` of that episode, whose record the viewer tests show."""
    pytest.importorskip("pybullet")
    base = tmp_path_factory.mktemp("replayed")
    replay = base / "replay.jsonl"
    replay.write_text("\n".join(json.dumps(e) for e in [
        {"when_contains": [f"# {INSTRUCTION}.", "Result of attempt 1"], "completion": REPAIR},
        {"when_contains": [f"# {INSTRUCTION}."], "when_absent": ["Result of attempt 1"], "completion": FIRST_PROGRAM},
    ]) + "\n")
    traces = base / "traces"
    out = codebot("run", INSTRUCTION, "--llm", "replay", "--replay-file", str(replay), "--trace-dir", str(traces),
                  "--seed", "1", "--attempts", "2", "-q")
    assert out.returncode == 0, out.stdout + out.stderr
    again = codebot("replay", str(traces / "episodes.jsonl"), "-q")  # the recorded episode re-run: a second record
    assert again.returncode == 0, again.stdout + again.stderr
    first, record = [json.loads(line) for line in (traces / "episodes.jsonl").read_text().splitlines()]
    assert record["id"] != first["id"] and [t["code"] for t in record["turns"]] == [t["code"] for t in first["turns"]]
    assert len(record["turns"]) == 2 and record["success"] is True
    return traces, record


@pytest.fixture(scope="session")
def chromium() -> str:
    return ensure_chromium()
