"""What one episode's program does cannot reach the next: each program process is forked fresh from a
clean zygote; the sandbox's processes die with the orchestrator; nothing in the user's working
directory can shadow the sandbox's modules."""
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sandbox_attacks import ATTACKS
from waits import wait_until

pytestmark = pytest.mark.slow

RESET = {"seed": 0, "scene": {"blocks": ["red", "green"], "bowls": ["blue"]}}
# Touches what the poisoning attacks patch: numpy, builtins, the wire, the error classes, a primitive.
PROBE = textwrap.dedent("""
    names = sorted(get_obj_names())
    try:
        pick('purple block')
        caught = 'nothing'
    except ObjectNotFoundError:
        caught = 'ObjectNotFoundError'
    result = {'names': names, 'sum': float(np.sum([1, 2])), 'norm': float(np.linalg.norm([3, 4])),
              'len': len([1, 2, 3]), 'sorted': sorted([3, 1, 2]), 'caught': caught,
              'pos': [round(float(v), 3) for v in get_obj_pos('red block')]}
""")


def probe(pool) -> dict:
    r = pool.run(PROBE, reset=RESET)
    assert r.ok, r.error
    return r.result


def test_an_attack_never_changes_the_next_episode(sim_pool):
    baseline = probe(sim_pool)
    assert baseline["sum"] == 3.0 and baseline["caught"] == "ObjectNotFoundError"
    hostile = [a for a in ATTACKS if a.kind in ("poison", "channel", "os", "exhaustion")]
    assert len(hostile) >= 20
    for attack in hostile:
        sim_pool.run(attack.code, reset=RESET, timeout_s=3)
        assert probe(sim_pool) == baseline, f"after {attack.name}"


def test_each_episode_gets_a_fresh_program_process(sim_pool):
    code = "m = python_escape_for_test()\nresult = [m['os'].getpid(), m['getuid'](), len(m['environ'])]"
    runs = [sim_pool.run(code, reset=RESET) for _ in range(3)]
    pids = [r.result[0] for r in runs]
    assert len(set(pids)) == 3 and all(r.program_status == {"exitcode": 0, "signal": None} for r in runs)
    assert all(r.result[2] == 0 for r in runs)  # an empty environment
    if os.geteuid() == 0:
        assert all(r.result[1] == 65534 for r in runs)  # root drops to nobody


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_sandbox_dies_with_a_killed_orchestrator(tmp_path):
    script = textwrap.dedent("""
        import json, os, sys, threading, time
        from codebot.sandbox import WorkerPool
        pool = WorkerPool("sim", {"robot": "ur5e", "seed": 0}, size=1)
        pool.wait_ready()
        worker = pool._idle[0]
        zygote = worker.ready["zygote_pid"]
        threading.Thread(target=pool.run, args=("while True:\\n    pass",), kwargs={"timeout_s": 120},
                         daemon=True).start()
        def forked():  # the zygote forked the program process
            for entry in os.listdir("/proc"):
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        if int(fh.read().rsplit(")", 1)[1].split()[1]) == zygote:
                            return True
                except (OSError, ValueError, IndexError):
                    pass
            return False
        deadline = time.monotonic() + 60
        while not forked() and time.monotonic() < deadline:
            time.sleep(0.02)
        print(json.dumps({"server": worker.proc.pid, "zygote": zygote}), flush=True)
        time.sleep(600)  # stays up until the test SIGKILLs it
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pids = json.loads(proc.stdout.readline())
        programs = _children(pids["zygote"])
        assert programs, "the zygote never forked the program process within 60 s"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        everything = [pids["server"], pids["zygote"], *programs]
        wait_until(lambda: not any(_alive(p) for p in everything), 30, "sandbox processes outlived the orchestrator",
                   details=lambda: [p for p in everything if _alive(p)])
    finally:
        proc.kill()


def test_files_named_like_our_modules_in_the_working_directory_change_nothing(tmp_path):
    for name in ("codebot.primitives.py", "codebot.sim.py", "codebot.py", "numpy.py"):
        (tmp_path / name).write_text("raise SystemExit('shadowed!')\n")
    replay = tmp_path / "r.jsonl"
    replay.write_text(json.dumps({"when_contains": ["# put the red block in the blue bowl."],
                                  "completion": "put_first_on_second('red block', 'blue bowl')"}) + "\n")
    cli = Path(sys.executable).with_name("codebot")
    out = subprocess.run([str(cli), "run", "put the red block in the blue bowl", "--llm", "replay",
                          "--replay-file", str(replay), "--trace-dir", str(tmp_path / "t"), "-q"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0 and "VERIFIED SUCCESS" in out.stdout, out.stdout + out.stderr
