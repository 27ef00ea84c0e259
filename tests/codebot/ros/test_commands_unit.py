"""Command decoding, validation, the bounded queue, keyed verdicts and the commander watchdog, without DDS."""
from __future__ import annotations

import json
import struct
import threading
import time

import pytest

from codebot.ros.dispatch.commands import CommandQueue, CommandRejected, VerdictBook, decode_string_cdr, parse_command
from codebot.ros.plumbing.commander_watchdog import CommanderWatchdog


def cdr(text: bytes) -> bytes:
    return b"\x00\x01\x00\x00" + struct.pack("<I", len(text) + 1) + text + b"\x00"


def test_cdr_decoding_keeps_an_embedded_nul_and_rejects_it_by_name():
    assert decode_string_cdr(cdr(b"put the red block")) == "put the red block"
    text = decode_string_cdr(cdr(b"put the red\x00 block"))
    assert text == "put the red\x00 block"
    with pytest.raises(CommandRejected, match="NUL at index 11"):
        parse_command(text)
    with pytest.raises(CommandRejected, match="not UTF-8"):
        decode_string_cdr(cdr(b"\xff\xfe"))


@pytest.mark.parametrize("text, reason", [
    ("", "empty command"), ("   ", "empty command"), ("move\x1b[2J", "U+001B"),
    (json.dumps({"id": "a", "instruction": "go\u0000now"}), "NUL"),
    (json.dumps({"id": "bad id!", "instruction": "go"}), "command id must be"),
    ("{not json", "does not parse"), ("x" * 2001, "too long (2001 bytes > max_command_bytes 2000)"),
])
def test_bad_commands_are_rejected_with_a_clear_reason(text, reason):
    with pytest.raises(CommandRejected) as exc:
        parse_command(text)
    assert reason in exc.value.reason


def test_json_commands_carry_the_client_id_and_plain_ones_get_one():
    cmd = parse_command(json.dumps({"id": "client-7", "instruction": "  stack the blocks "}))
    assert (cmd.id, cmd.instruction) == ("client-7", "stack the blocks")
    a, b = parse_command("stack the blocks"), parse_command("stack the blocks")
    assert a.id != b.id and a.instruction == "stack the blocks"


def test_json_commands_carry_the_execute_instruction_goal_fields_type_checked():
    cmd = parse_command(json.dumps({"id": "g1", "instruction": "stack", "attempts": 2, "force": True,
                                    "dry_run": False, "robot": "/robot", "colour": "ignored"}))
    assert cmd.goal == {"attempts": 2, "force": True, "dry_run": False, "robot": "/robot"}
    assert parse_command("stack").goal == {}
    for bad, why in [({"attempts": True}, "'attempts' must be int"), ({"attempts": 2.5}, "'attempts' must be int"),
                     ({"dry_run": 1}, "'dry_run' must be bool"), ({"robot": ["/r"]}, "'robot' must be str"),
                     ({"attempts": 2**40}, "'attempts' is out of range")]:
        with pytest.raises(CommandRejected) as exc:
            parse_command(json.dumps({"id": "g2", "instruction": "stack", **bad}))
        assert why in exc.value.reason and exc.value.command_id == "g2"


def test_queue_accepts_one_queues_depth_and_rejects_the_rest():
    q = CommandQueue(depth=2)
    answers = [q.offer(parse_command(f"c{i}")) for i in range(5)]
    assert answers[0] == ("accepted", 0, "")
    assert answers[1][:2] == ("queued", 1) and answers[2][:2] == ("queued", 2)
    assert all(a[0] == "rejected" and "queue full" in a[2] for a in answers[3:])
    first = q.take(0.1)
    assert first.instruction == "c0"
    assert q.offer(parse_command("c5"))[0] == "rejected"  # c0 runs, c1 and c2 wait: full
    q.done()
    assert q.take(0.1).instruction == "c1"
    assert q.offer(parse_command("c6"))[:2] == ("queued", 2)  # behind c1 (running) and c2
    q.done()
    left = q.close()
    assert [c.instruction for c in left] == ["c2", "c6"]
    assert q.offer(parse_command("late"))[0] == "rejected"


def test_verdict_book_answers_each_id_with_its_own_verdict():
    book = VerdictBook()
    for cid in ("a", "b"):
        book.set_ack(cid, {"id": cid, "state": "queued"})
    threading.Timer(0.05, lambda: book.finish("b", {"id": "b", "ok": 2})).start()
    threading.Timer(0.1, lambda: book.finish("a", {"id": "a", "ok": 1})).start()
    assert book.wait("a", 5.0) == {"id": "a", "ok": 1}
    assert book.wait("b", 0.0) == {"id": "b", "ok": 2}
    assert book.wait("zzz", 0.0)["state"] == "unknown"
    book.set_ack("c", {"id": "c", "state": "queued"})
    assert book.wait("c", 0.01) == {"id": "c", "state": "queued", "pending": True}


def beat_steadily(dog, cid: str, t0: float, t1: float, period: float = 0.05, seq: int = 0, tick: bool = False) -> int:
    """Beats of `cid` every `period` from t0 to t1 (with receiver ticks beside them when `tick`); the last seq."""
    for k in range(round((t1 - t0) / period) + 1):
        t = round(t0 + k * period, 9)
        seq += 1
        dog.on_heartbeat({"commander": cid, "seq": seq}, now=t)
        if tick:
            dog.receiver_tick(now=t)
    return seq


def test_watchdog_latches_on_a_lapse_releases_on_a_clean_goodbye():
    dog = CommanderWatchdog(lease_s=0.5)
    assert dog.poll(False, now=0.0) is None and dog.state()["state"] == "no_commander"
    beat_steadily(dog, "/codebot#1", 0.0, 0.5)  # one lease of steady beats arms it
    assert dog.poll(True, now=0.9) is None and dog.state()["state"] == "ok"
    lapse = dog.poll(True, now=1.1)
    assert lapse["state"] == "commander_lost" and lapse["commander"] == "/codebot#1"
    assert dog.poll(True, now=1.2) is None  # reported once, stays latched
    assert dog.state()["state"] == "commander_lost"
    assert dog.reset()["commander"] == "/codebot#1" and dog.state()["state"] == "no_commander"
    beat_steadily(dog, "/codebot#2", 2.0, 2.5)
    dog.on_heartbeat({"commander": "/codebot#2", "state": "leaving"}, now=2.55)
    assert dog.poll(False, now=5.0) is None and dog.lost is None  # left while at rest: no latch
    beat_steadily(dog, "/codebot#3", 6.0, 6.5)
    dog.on_heartbeat({"commander": "/codebot#3", "state": "leaving"}, now=6.55)
    assert dog.poll(True, now=6.55)["reason"] == "left mid-motion"


def test_a_commander_whose_first_beats_break_off_is_not_latched_and_arms_once_steady():
    # the e4cdf3b CI log: beat #11 arrived, #12-#19 were lost in a discovery transient, #20 came 0.22 s late
    dog = CommanderWatchdog(lease_s=0.5)
    dog.on_heartbeat({"commander": "c", "seq": 11}, now=0.0)
    assert dog.state() == {"state": "arming", "commanders": [], "arming": ["c"], "lease_s": 0.5}
    assert dog.poll(False, now=0.6) is None and dog.lost is None  # silent past the lease, never armed
    assert dog.state()["state"] == "no_commander"
    again = dog.on_heartbeat({"commander": "c", "seq": 20}, now=0.67)
    assert again == "commander c: its first beats broke off for 0.60 s before its lease armed (beat #11, then #20); " \
                    "not latched, arming again"
    beat_steadily(dog, "c", 0.72, 1.12, seq=20)
    assert dog.poll(True, now=1.15) is None and dog.state()["state"] == "arming"  # 0.45 s of beats: not yet
    beat_steadily(dog, "c", 1.18, 1.18, seq=29)
    assert dog.state()["state"] == "ok" and dog.state()["commanders"] == ["c"]
    # armed, the lease holds as before: silence past it latches, even at rest
    lapse = dog.poll(False, now=1.7)
    assert lapse["state"] == "commander_lost" and "no heartbeat for 0.52 s" in lapse["reason"], lapse


def test_watchdog_does_not_count_a_stalled_receiver_as_a_silent_commander_but_halts_a_deaf_one():
    dog = CommanderWatchdog(lease_s=0.5)
    beat_steadily(dog, "c", -0.5, 0.0, tick=True)  # armed
    for t in (0.05, 0.1, 0.15):
        dog.receiver_tick(now=t)
    # the receiver stalls from 0.15 s to 1.0 s: beats sent meanwhile are queued, not missed
    assert dog.poll(True, now=0.9) is None
    dog.receiver_tick(now=1.0)            # the timer runs first after the stall ...
    assert dog.poll(True, now=1.0) is None
    dog.on_heartbeat({"commander": "c"}, now=1.01)  # ... then the queued beats are taken
    dog.receiver_tick(now=1.05)
    assert dog.poll(True, now=1.05) is None and dog.lost is None
    # a running receiver that hears nothing: the lease decides, on time
    for t in (1.1, 1.15, 1.2, 1.25, 1.3, 1.35, 1.4, 1.45, 1.5):
        dog.receiver_tick(now=t)
    assert dog.poll(True, now=1.5) is None
    dog.receiver_tick(now=1.55)
    lapse = dog.poll(True, now=1.55)
    assert lapse and lapse["reason"].startswith("no heartbeat for 0.5"), lapse
    # the lapse says which side was late: the beat's transit time and when the receiver last ran
    assert "took unknown to arrive, receiver last ran 0.00 s ago" in lapse["reason"], lapse
    # a receiver deaf past three leases halts the arm even with no evidence about the commander
    dog.reset()
    beat_steadily(dog, "d", 1.5, 1.95, tick=True)
    dog.on_heartbeat({"commander": "d", "t": time.time() - 0.25}, now=2.0)
    dog.receiver_tick(now=2.0)
    assert dog.poll(True, now=3.4) is None
    stalled = dog.poll(True, now=3.6)["reason"]
    # heard again after the lapse: the log line tells a paused commander from beats held up on the way
    again = dog.on_heartbeat({"commander": "d", "seq": 9, "t": time.time() - 1.2}, now=3.7)
    assert again.startswith("commander d heard again after its lapse: beat #9 (last before: #None), sent 1.2")
    assert dog.on_heartbeat({"commander": "d", "seq": 10}, now=3.75) is None  # said once per lapse
    assert "receiver stalled" in stalled and "took 0.25" in stalled and "receiver last ran 1.60 s ago" in stalled


def test_a_heartbeat_message_is_parsed_taken_and_a_heard_again_line_warned():
    dog, warned = CommanderWatchdog(lease_s=0.5), []
    assert dog.on_heartbeat_message("not json", warned.append) is None
    assert dog.on_heartbeat_message(json.dumps({"seq": 1}), warned.append) is None  # no commander named
    beat = dog.on_heartbeat_message(json.dumps({"commander": "e", "seq": 1}), warned.append)
    assert beat["commander"] == "e" and "e" in dog.commanders and warned == []
    dog._lapsed["e"] = 1  # as poll() leaves it when the lease ran out
    dog.on_heartbeat_message(json.dumps({"commander": "e", "seq": 2}), warned.append)
    assert len(warned) == 1 and warned[0].startswith("commander e heard again after its lapse: beat #2"), warned


def test_command_log_records_once_and_recovers_what_a_killed_node_left_in_flight(tmp_path):
    from codebot.ros.dispatch.command_log import CommandLog

    log = CommandLog(tmp_path, "/codebot/codebot")
    log.accepted("a", "stack", {"state": "accepted"})
    log.accepted("b", "sweep", {"state": "queued"})
    log.dispatching("b", "/bags/dispatch-b")
    assert log.record({"id": "a", "outcome": "error"}) is None
    assert log.record({"id": "r", "outcome": "rejected"}) is None
    # the process dies here; the next start records "b" as interrupted, once
    again = CommandLog(tmp_path, "/codebot/codebot")
    [rec] = again.recover()
    assert rec["id"] == "b" and rec["outcome"] == "interrupted" and rec["rosbag"] == "/bags/dispatch-b"
    assert again.recover() == []
    again.accepted("c", "x", {})
    again.record({"id": "c"})
    assert again.journal.stat().st_size == 0  # nothing in flight: the journal does not grow
    ids = [json.loads(line)["id"] for line in (tmp_path / "dispatches.jsonl").read_text().splitlines()]
    assert ids == ["a", "r", "b", "c"]


class _FakeNode:
    """Holds the callbacks a CommanderMonitor registers (its unit test drives them by hand)."""

    def create_subscription(self, msg_type, topic, callback, qos, callback_group=None):
        self.on_beat = callback

    def create_timer(self, period, callback, callback_group=None):
        self.tick = callback


def test_commander_monitor_ages_a_beat_only_while_its_receiver_runs(monkeypatch):
    from std_msgs.msg import String

    from codebot.ros.plumbing import liveliness
    from codebot.ros.plumbing.liveliness import CommanderMonitor

    clock = [100.0]
    monkeypatch.setattr(liveliness.time, "monotonic", lambda: clock[0])
    node = _FakeNode()
    mon = CommanderMonitor(node, "/robot/commander/heartbeat", "c1", max_age_s=0.5)
    assert mon.problem() == "no heartbeat from commander c1 on /robot/commander/heartbeat"
    node.on_beat(String(data=json.dumps({"commander": "c1", "seq": 1, "state": "alive"})))
    node.tick()
    clock[0] = 100.05
    node.tick()
    assert mon.seen() and mon.problem() is None
    clock[0] = 100.9  # the receiver did not run since 100.05: the beats may be queued, not missing
    assert mon.problem() is None
    clock[0] = 100.95
    node.tick()  # the timer may run before the queued beats are taken: not yet a verdict
    assert mon.problem() is None
    clock[0] = 101.0
    node.tick()  # a whole tick later nothing came: the commander was silent all along
    assert "c1 lost: no heartbeat for 1.00 s" in mon.problem()
    # a receiver that never runs again: three leases unheard are enough whatever the reason
    node.on_beat(String(data=json.dumps({"commander": "c1", "seq": 2, "state": "alive"})))
    clock[0] = 102.7
    assert "heartbeat receiver stalled" in mon.problem()
    node.on_beat(String(data=json.dumps({"commander": "c1", "seq": 3, "state": "leaving"})))
    assert mon.problem() == "commander c1 shut down"


def test_remove_takes_a_waiting_command_out_of_the_queue_but_not_the_running_one():
    from codebot.ros.dispatch.commands import Command

    q = CommandQueue(depth=2)
    a, b, c = (Command(id=i, instruction=f"do {i}") for i in "abc")
    for cmd in (a, b, c):
        q.offer(cmd)
    assert q.take(0) is a
    assert q.remove("a") is None  # running: a cancel must stop it another way
    assert q.remove("b") is b and q.remove("b") is None
    assert q.offer(Command(id="d", instruction="do d"))[:2] == ("queued", 2)  # b's place is free again
    assert q.remove("nope") is None
    q.done()
    assert [q.take(0).id, q.take(0).id] == ["c", "d"]


def test_concurrent_claims_never_share_a_ros_domain(monkeypatch):
    """Two test runs on one machine (simulated here by holding claims open) get different domains."""
    from contextlib import ExitStack

    from ros_domains import COUNT, private_domain

    with ExitStack() as stack:
        claimed = [stack.enter_context(private_domain(monkeypatch)) for _ in range(5)]
        assert len(set(claimed)) == 5 and all(20 <= d <= 232 for d in claimed)
        assert COUNT == 213
