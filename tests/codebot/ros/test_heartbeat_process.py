"""The commander's beat process over real DDS: it beats while its commander lives, says "leaving" on a
clean close, and goes silent (no goodbye) the moment its commander is SIGKILLed."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("rclpy")

from waits import DISCOVERY_S, alive, wait_until
from codebot.ros.plumbing.priority import session_nice

pytestmark = [pytest.mark.ros]
TOPIC = "/robot/commander/heartbeat"

COMMANDER = f'''
import sys, threading
from rclpy.node import Node
from codebot.ros.plumbing.env import NodeRunner
from codebot.ros.plumbing.liveliness import HeartbeatPublisher
runner = NodeRunner(lambda ctx: Node("doomed_commander", context=ctx))
beats = HeartbeatPublisher(runner.node, "{TOPIC}", "doomed")
print(beats._proc.pid, flush=True)
threading.Event().wait()
'''


def _collect(client, beats: list) -> None:
    from std_msgs.msg import String

    from codebot.ros.plumbing.liveliness import heartbeat_qos

    client.create_subscription(String, TOPIC, lambda m: beats.append(json.loads(m.data)), heartbeat_qos())


def test_beats_while_alive_and_says_leaving_once_on_close(client):
    from codebot.ros.plumbing.liveliness import LEAVING_BEATS, HeartbeatPublisher

    beats: list = []
    _collect(client, beats)
    pub = HeartbeatPublisher(client, TOPIC, "c-close")
    try:
        wait_until(lambda: len(beats) >= 10, DISCOVERY_S, "ten heartbeats never arrived from the beat process")
        # best effort (a liveliness signal): a beat may be lost on a busy machine, never sent out of order
        seqs = [b["seq"] for b in beats[:10]]
        assert seqs == sorted(set(seqs)), seqs
        assert all(b["commander"] == "c-close" and b["state"] == "alive" for b in beats)
    finally:
        pub.close()
    wait_until(lambda: beats[-1]["state"] == "leaving", 10, "the beat process never said leaving on close",
               details=lambda: beats[-3:])
    assert pub._proc.poll() is not None, "the beat process outlived close()"
    states = [b["state"] for b in beats]
    first_goodbye = states.index("leaving")  # said a few times (best effort), and nothing after it
    assert set(states[first_goodbye:]) == {"leaving"} and 1 <= len(states) - first_goodbye <= LEAVING_BEATS
    assert pub.worst_wake_s >= 0  # its lateness is benchmarks/heartbeat.py's to measure


def test_a_killed_commanders_beat_process_stops_at_once_without_a_goodbye(client, tmp_path):
    beats: list = []
    _collect(client, beats)
    proc = subprocess.Popen([sys.executable, "-c", COMMANDER], stdout=subprocess.PIPE, text=True)
    try:
        beat_pid = int(proc.stdout.readline())
        wait_until(lambda: len(beats) >= 5, DISCOVERY_S, "the doomed commander's beats never arrived")
        proc.kill()
        proc.wait(10)
        wait_until(lambda: not alive({beat_pid}), 5, "the beat process outlived its SIGKILLed commander")
    finally:
        if proc.poll() is None:
            proc.kill()
        if alive({beat_pid}):
            os.kill(beat_pid, 9)
    assert all(b["state"] == "alive" for b in beats), "a killed commander must not say leaving"


@pytest.mark.parametrize("nice", [-5, 0])
def test_the_beat_process_runs_at_the_priority_it_is_given_where_the_machine_allows(domain_id, nice):
    # run here directly, in this test's session: it must raise its own priority, never this session's
    session_before = session_nice()
    beat = subprocess.Popen([sys.executable, "-c", "import codebot.ros.plumbing.liveliness as m; m.beat_process_main()",
                             TOPIC, "niced", "0.05"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "CODEBOT_HEARTBEAT_NICE": str(nice)})
    try:
        if nice:
            try:
                wait_until(lambda: os.getpriority(os.PRIO_PROCESS, beat.pid) == nice, 30,
                           f"the beat process never ran at nice {nice}")
            except AssertionError:
                if os.getpriority(os.PRIO_PROCESS, 0) == 0 and not _may_raise_priority():
                    pytest.skip("this machine does not let a process raise its priority (no CAP_SYS_NICE)")
                raise
        out, _ = beat.communicate("leave\n", timeout=30)
    finally:
        if beat.poll() is None:
            beat.kill()
    assert json.loads(out.strip().splitlines()[-1])["raised_priority"] is bool(nice), out
    assert session_nice() == session_before, "a beat process outside a session of its own changed its caller's"


def test_the_beat_process_has_a_session_of_its_own_at_the_raised_priority(client):
    """Where the kernel shares CPU time out by session (autogroups), a nice value counts only inside the
    session: a beat process in its commander's busy session woke 0.68 s late at nice -10 (a flake hunt)."""
    from codebot.ros.plumbing.liveliness import HeartbeatPublisher
    from codebot.ros.plumbing.priority import heartbeat_nice

    pub = HeartbeatPublisher(client, TOPIC, "c-session")
    try:
        pid = pub._proc.pid
        assert os.getsid(pid) != os.getsid(0), "the beat process shares its commander's session"
        if session_nice() is None:
            return  # no autogroups on this kernel (or none it shows): the process nice value is what counts
        if not _may_raise_priority():
            pytest.skip("this machine does not let a process raise its priority (no CAP_SYS_NICE)")
        wait_until(lambda: session_nice(pid) == heartbeat_nice(), 30,
                   "the beat process never raised its session's priority",
                   details=lambda: open(f"/proc/{pid}/autogroup").read())
    finally:
        pub.close()


def _may_raise_priority() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import os; os.setpriority(os.PRIO_PROCESS, 0, -1)"])
    return probe.returncode == 0


def test_a_late_beat_is_logged_with_its_cause_and_a_stuck_or_closed_stderr_never_holds_up_the_beats():
    import io
    import threading

    from codebot.ros.plumbing.late_beats import LateBeatLog

    out = io.StringIO()
    log = LateBeatLog(out)
    log.late("cmdr", 94, 0.004, 1.52)
    wait_until(lambda: out.getvalue(), 10, "the late beat's line was never written")
    assert out.getvalue() == "heartbeat cmdr: beat #94 woke 0.004 s late, publish took 1.520 s\n"

    release = threading.Event()

    class Stuck:  # a stderr pipe nobody drains: every write blocks
        def write(self, text):
            release.wait(30)
            return len(text)

        def flush(self):
            pass

    stuck = LateBeatLog(Stuck(), limit=2)
    done = threading.Event()

    def beats():
        for seq in range(50):
            stuck.late("cmdr", seq, 0.3, 0.0)
        done.set()

    threading.Thread(target=beats, daemon=True).start()
    wait_until(done.is_set, 10, "queuing late-beat lines blocked behind a stuck stderr")
    release.set()

    class Closed:
        def write(self, text):
            raise ValueError("I/O operation on closed file")

    closed = LateBeatLog(Closed())
    closed.late("cmdr", 95, 0.3, 0.0)  # the writer thread ends; the caller never sees the error
