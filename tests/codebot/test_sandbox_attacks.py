"""Every attack program of sandbox_attacks.py through the real CLI path (`codebot run --llm replay`,
the attack as the recorded completion): rejected or contained. For each one: the orchestrator exits
non-zero with a clear message and never prints VERIFIED, no line of the report is forged, no file
appears outside the trace directory, no process is left, the orchestrator's environment never
reaches the program, and a valid trace line is written."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox_attacks import ATTACKS, CANARY, SECRET

pytestmark = pytest.mark.slow

HARNESS = Path(__file__).with_name("attack_harness.py")
INSTRUCTION = "put the red block in the blue bowl"
REPORT_LINE_STARTS = ("VERIFIED", "Verdict", "NOT VERIFIED", "UNCHECKED", "Result of attempt", "trace:",
                      "Scene changes", "Safety violations")


def run_attack(tmp_path: Path, code: str, extra: tuple[str, ...] = ()) -> dict:
    replay = tmp_path / "replay.jsonl"
    replay.write_text(json.dumps({"when_contains": [f"# {INSTRUCTION}."], "completion": code}) + "\n")
    env = {**os.environ, "CODEBOT_SECRET_FOR_TEST": SECRET, "OPENAI_API_KEY": SECRET}
    out = subprocess.run(
        [sys.executable, str(HARNESS), "120", "--", "run", INSTRUCTION, "--llm", "replay", "--replay-file",
         str(replay), "--attempts", "1", "--timeout", "3", "--trace-dir", str(tmp_path / "traces"),
         "--sandbox-test-hooks", *extra],
        capture_output=True, text=True, timeout=180, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def forged(line: str) -> bool:
    """A report line whose own text is the attacker's: it starts like a report line and reaches
    FORGED without an escaped line break (a genuine line quotes the attack as `...\\nVerdict...`)."""
    if "FORGED" not in line:
        return False
    head = line.split("FORGED", 1)[0]
    visible = re.sub(r"^(\r|\x1b\[[0-9;]*[A-Za-z])+", "", line.lstrip(" "))
    return visible.startswith(REPORT_LINE_STARTS) and not re.search(r"\\[nrxu]", head)


def canaries() -> list[str]:
    return [p for p in (CANARY, "/canary.txt") if os.path.exists(p)]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_is_rejected_or_contained(tmp_path, attack):
    for path in canaries():
        os.remove(path)
    report = run_attack(tmp_path, attack.code)
    text = report["stdout"] + report["stderr"]
    assert report["rc"] in (1, 2, 3), f"exit {report['rc']}\n{text}"
    assert report["leftover"] == [], report["leftover"]
    assert not canaries(), f"the attack created {canaries()}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["replay.jsonl", "traces"]
    for line in report["stdout"].splitlines():
        assert not line.startswith("VERIFIED"), line
        assert not forged(line), f"forged line: {line!r}"
    final = [ln for ln in report["stdout"].splitlines() if ln.startswith(("NOT VERIFIED", "UNCHECKED", "error:"))]
    assert final, text
    if attack.expect:
        assert re.search(attack.expect, text), f"expected {attack.expect!r} in:\n{text}"
    trace = tmp_path / "traces" / "episodes.jsonl"
    lines = trace.read_text().splitlines()  # splits on U+2028 too: a record must stay one line for any reader
    assert len(lines) == 1 and json.loads(lines[0])["instruction"] == INSTRUCTION
    assert trace.stat().st_size < 4_000_000
    assert SECRET not in text and SECRET not in trace.read_text()


def test_the_corpus_covers_every_attack_class():
    kinds = {a.kind for a in ATTACKS}
    assert len(ATTACKS) >= 60 and kinds >= {"format", "reach", "callback", "os", "channel", "exhaustion",
                                            "forgery", "poison"}
