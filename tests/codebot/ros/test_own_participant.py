"""The robot side's heartbeat receiver lives in a DDS participant of its own, and every thread Fast DDS starts
for that participant runs at the priority asked for (own_participant.py): a beat must not wait behind the
robot's other DDS traffic, nor behind CPU hogs at the default priority."""
from __future__ import annotations

import os

import pytest

pytest.importorskip("rclpy")

from waits import DISCOVERY_S, wait_until

pytestmark = [pytest.mark.ros]
NICE = 7  # any value this process may set without privileges; the product uses -10 where permitted


def threads_at(nice: int) -> dict[int, str]:
    """{thread id: name} of this process's threads whose nice value is `nice`."""
    found = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            stat = open(f"/proc/self/task/{tid}/stat").read()
            name = open(f"/proc/self/task/{tid}/comm").read().strip()
        except OSError:  # the thread ended meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[16]) == nice:  # field 19 (nice), counted after the comm
            found[int(tid)] = name
    return found


def test_its_dds_threads_run_at_its_priority_and_it_hears_another_participant(client):
    from std_msgs.msg import String

    from codebot.ros.plumbing.liveliness import heartbeat_qos
    from codebot.ros.plumbing.own_participant import OwnParticipantNode

    assert not threads_at(NICE), "a thread already ran at the test's nice value"
    heard: list[str] = []
    own = OwnParticipantNode("own_beats", "/robot", nice=NICE, setup=lambda node: node.create_subscription(
        String, "/robot/commander/heartbeat", lambda m: heard.append(m.data), heartbeat_qos()))
    try:
        assert own.raised_priority
        niced = threads_at(NICE)
        # its spin thread and the DDS threads its participant started (reception, events, ...)
        assert len(niced) >= 3, niced
        assert any(name.startswith("dds.") for name in niced.values()), niced
        assert own.context is not client.context
        pub = client.create_publisher(String, "/robot/commander/heartbeat", heartbeat_qos())
        wait_until(lambda: pub.publish(String(data="beat")) or heard, DISCOVERY_S,
                   "the node in its own participant never heard the client's participant")
    finally:
        own.close()
    wait_until(lambda: not threads_at(NICE), 10, "its threads outlived close()", details=lambda: threads_at(NICE))


def test_a_setup_that_fails_is_raised_and_leaves_nothing_running(client):
    from codebot.ros.plumbing.own_participant import OwnParticipantNode

    def broken(node):
        raise ValueError("no such topic type")

    with pytest.raises(ValueError, match="no such topic type"):
        OwnParticipantNode("own_broken", nice=NICE, setup=broken)
    wait_until(lambda: not threads_at(NICE), 10, "a failed start left threads running",
               details=lambda: threads_at(NICE))


@pytest.mark.parametrize("where", ["own", "shared"])
def test_the_heartbeat_receiver_hears_beats_in_its_own_participant_or_the_shared_baseline(client, monkeypatch, where):
    from std_msgs.msg import String

    from codebot.ros.plumbing.liveliness import heartbeat_qos
    from codebot.ros.plumbing.own_participant import heartbeat_receiver

    monkeypatch.setenv("CODEBOT_HEARTBEAT_PARTICIPANT", where)
    heard, ticks = [], []
    receiver = heartbeat_receiver(client.context, "robot_heartbeats", "/robot", lambda m: heard.append(m.data),
                                  lambda: ticks.append(1))
    try:
        # own: a context (participant) of its own; shared: the given one, as before (benchmarks/heartbeat.py)
        assert (receiver.context is client.context) == (where == "shared")
        pub = client.create_publisher(String, "/robot/commander/heartbeat", heartbeat_qos())
        wait_until(lambda: pub.publish(String(data="beat")) or heard, DISCOVERY_S,
                   f"the {where} heartbeat receiver never heard a beat")
        wait_until(lambda: len(ticks) >= 2, 10, "the receiver tick timer never ran")
    finally:
        receiver.close()
