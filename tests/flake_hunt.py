"""Flake hunter: rerun a chosen set of tests N times, optionally beside K CPU-burning processes, and
print how often each test failed (a test that fails one run in twenty under load is a bug, not bad luck).

    .venv/bin/python tests/flake_hunt.py -n 20 --hogs 2 tests/codebot/ros tests/codebot/mcp \\
        tests/codebot/test_sandbox_attacks.py
    make flake-hunt N=20 HOGS=2 TESTS="tests/codebot/ros"

Every round is one pytest process (fresh ROS domains, fresh servers) writing a JUnit XML report into
--out (default results/flake_hunt/<time>/); a round that crashes or times out counts as a failure of the
round. Rounds already in --out are read, not rerun, so an interrupted hunt resumes. Extra arguments after
the paths (e.g. `-k commander -m "not llm"`) go to pytest as they are. Exit status 1 when anything failed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def start_hogs(k: int) -> list[subprocess.Popen]:
    """Each hog in a session of its own: where the kernel shares CPU time out by session (autogroups), hogs in
    the hunt's own session would only compete with the hunt's pytest, not with the nodes it starts."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(k)]


def read_round(xml_path: Path) -> tuple[list[str], dict[str, str]]:
    """(test ids that ran, {test id: first line of its failure}) from one round's JUnit XML."""
    ran, failed = [], {}
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        tid = f"{case.get('classname')}::{case.get('name')}"
        ran.append(tid)
        for tag in ("failure", "error"):
            bad = case.find(tag)
            if bad is not None:
                failed[tid] = (bad.get("message") or bad.text or tag).strip().splitlines()[0][:200]
    return ran, failed


def run_round(i: int, out: Path, pytest_args: list[str], timeout_s: float) -> tuple[list[str], dict[str, str]]:
    xml, rc_file = out / f"round_{i:03d}.xml", out / f"round_{i:03d}.rc"
    if xml.exists() and rc_file.exists():  # resume: this round ran already
        return judge_round(i, xml, rc_file.read_text().strip(), out)
    log = out / f"round_{i:03d}.log"
    tmp = out / f"round_{i:03d}.partial.xml"
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfE", f"--junitxml={tmp}", *pytest_args]
    t0 = time.monotonic()
    try:
        with open(log, "w") as f:
            rc = subprocess.run(cmd, cwd=REPO, stdout=f, stderr=subprocess.STDOUT, timeout=timeout_s).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
    wall = time.monotonic() - t0
    if not tmp.exists():
        return [], {f"<round {i}>": f"pytest wrote no report (exit {rc}); see {log}"}
    tmp.rename(xml)
    rc_file.write_text(str(rc))
    ran, failed = judge_round(i, xml, str(rc), out)
    print(f"round {i + 1}: {len(ran)} tests, {len(failed)} failed, {wall:.0f} s", flush=True)
    return ran, failed


def judge_round(i: int, xml: Path, rc: str, out: Path) -> tuple[list[str], dict[str, str]]:
    ran, failed = read_round(xml)
    if rc not in ("0", "1") and not failed:  # pytest itself broke (usage error, no tests = 5, crash, timeout)
        failed[f"<round {i + 1}>"] = f"pytest exit {rc}; see {out / f'round_{i:03d}.log'}"
    return ran, failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--rounds", type=int, default=20)
    ap.add_argument("--hogs", type=int, default=0, help="CPU-burning processes running beside every round")
    ap.add_argument("--out", type=Path, default=None, help="round reports (resumable)")
    ap.add_argument("--round-timeout", type=float, default=3600.0, help="s one round may take")
    args, pytest_args = ap.parse_known_args(argv)
    if not pytest_args:
        ap.error("name the tests to hunt in (paths, -k, -m ... as for pytest)")
    out = args.out or REPO / "results" / "flake_hunt" / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    print(f"{args.rounds} rounds of pytest {' '.join(pytest_args)} beside {args.hogs} CPU hogs -> {out}", flush=True)
    runs, fails, first = Counter(), Counter(), {}
    hogs = start_hogs(args.hogs)
    try:
        for i in range(args.rounds):
            ran, failed = run_round(i, out, pytest_args, args.round_timeout)
            runs.update(ran)
            fails.update(failed.keys())
            for tid, msg in failed.items():
                first.setdefault(tid, f"round {i + 1}: {msg}")
    finally:
        for h in hogs:
            h.kill()
    print(f"\n{len(runs)} tests, {sum(runs.values())} test runs, {sum(fails.values())} failures")
    for tid, n in fails.most_common():
        print(f"  {n:3d}/{max(runs[tid], n)}  {tid}\n        first: {first[tid]}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
