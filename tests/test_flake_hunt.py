"""The flake hunter counts failures per test over rounds, resumes from its reports, and says when pytest
itself broke (no tests collected is a failure, not a pass)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HUNTER = Path(__file__).resolve().parent / "flake_hunt.py"

# fails on every second run: a counter file beside the test
FLAKY = '''
from pathlib import Path

def test_steady():
    assert 1 + 1 == 2

def test_every_other_run():
    counter = Path(__file__).with_suffix(".count")
    n = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(n + 1))
    assert n % 2 == 0, f"run {n} is an odd one"
'''


def hunt(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HUNTER), *args], capture_output=True, text=True, timeout=300)


def test_counts_each_tests_failures_and_resumes_finished_rounds(tmp_path):
    (tmp_path / "test_sample.py").write_text(FLAKY)
    out = tmp_path / "out"
    r = hunt("-n", "4", "--hogs", "1", "--out", str(out), str(tmp_path / "test_sample.py"))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "2 tests, 8 test runs, 2 failures" in r.stdout, r.stdout
    # the test id is JUnit's classname::name (the classname carries the path outside the rootdir)
    assert re.search(r"2/4  \S*test_sample::test_every_other_run\n", r.stdout), r.stdout
    assert "first: round 2: AssertionError: run 1 is an odd one" in r.stdout, r.stdout
    assert "test_steady" not in r.stdout.split("failures")[-1]
    # the four rounds are on disk: a second hunt reads them instead of rerunning (the counter stays at 4)
    r2 = hunt("-n", "4", "--out", str(out), str(tmp_path / "test_sample.py"))
    assert "2 tests, 8 test runs, 2 failures" in r2.stdout, r2.stdout
    assert (tmp_path / "test_sample.count").read_text() == "4"


def test_a_round_that_collects_nothing_is_a_failure(tmp_path):
    (tmp_path / "test_empty.py").write_text("X = 1\n")
    r = hunt("-n", "1", "--out", str(tmp_path / "out"), str(tmp_path / "test_empty.py"))
    assert r.returncode == 1 and "pytest exit 5" in r.stdout, r.stdout + r.stderr
