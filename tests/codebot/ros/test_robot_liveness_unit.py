"""RosRobot's liveness checks without DDS: which error a program gets when joint_states or the commander's
heartbeat stop (codebot.ros.robot.ros_robot.RosRobot._check_alive)."""
from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("rclpy")

from codebot.primitives.errors import RobotConnectionError
from codebot.ros.plumbing.liveliness import CommanderLostError, ReceiverClock
from codebot.ros.robot.ros_robot import RosRobot


class Commander:
    def __init__(self, problem=None, deaf_for: float = 0.0):
        """deaf_for > 0: this process's executor last ran that long ago (starved), and has not caught up."""
        self._problem = problem
        self.receiver = ReceiverClock()
        self.receiver.tick(time.monotonic() - deaf_for - 0.05)
        self.receiver.tick(time.monotonic() - deaf_for)

    def problem(self):
        return self._problem

    def catch_up(self, after_s: float, problem=None) -> None:
        """The starved executor runs again `after_s` from now and takes what was queued."""
        def run():
            time.sleep(after_s)  # stands in for the scheduler giving the executor its turn
            self._problem = problem
            self.receiver.tick()
            self.receiver.tick()
        threading.Thread(target=run, daemon=True).start()


def robot(joint_states_age: float, commander_problem: str | None = None) -> RosRobot:
    """A RosRobot's state as its callbacks leave it (no node): the last joint_states `joint_states_age` s ago,
    its executor's timer ticking until now."""
    r = object.__new__(RosRobot)
    now = time.monotonic()
    r.namespace, r.stale_after, r._estop = "/robot", 1.0, threading.Event()
    r._commander = commander_problem if isinstance(commander_problem, Commander) else Commander(commander_problem)
    r._q_time = now - joint_states_age
    r._receiver = ReceiverClock()
    r._receiver.tick(now - 0.05)
    r._receiver.tick(now)
    return r


def test_fresh_joint_states_and_a_live_commander_pass():
    robot(0.01)._check_alive()


def test_a_robot_silent_past_stale_after_is_disconnected():
    with pytest.raises(RobotConnectionError, match="no joint_states for 1.5 s .*robot disconnected") as err:
        robot(1.5)._check_alive()
    assert err.value.kind == "robot_connection"


def test_a_lapsed_heartbeat_with_the_robot_still_talking_is_commander_lost():
    with pytest.raises(CommanderLostError, match="no heartbeat"):
        robot(0.01, "commander c lost: no heartbeat for 0.50 s")._check_alive()


def test_a_lapsed_heartbeat_while_the_robot_is_silent_too_blames_the_robot():
    # a SIGKILLed robot can interrupt the heartbeat to the dispatch as well: the robot is the cause
    with pytest.raises(RobotConnectionError) as err:
        robot(0.5, "commander c lost: no heartbeat for 0.50 s")._check_alive()
    assert err.value.kind == "robot_connection" and "joint_states" in str(err.value)
    assert "no heartbeat" in str(err.value)  # the other symptom is still named


def test_a_starved_receiver_is_not_a_lost_robot_until_it_stays_deaf_three_times_as_long():
    r = robot(1.5)
    r._receiver.ticks = (r._q_time - 0.05, r._q_time)  # the executor has not run since the last joint_states
    r._check_alive()
    r._q_time -= 2.0  # deaf for 3.5 s: more than three times stale_after
    with pytest.raises(RobotConnectionError, match="receiver last ran"):
        r._check_alive()


STALLED = ("commander c unheard for 1.51 s on /robot/commander/heartbeat "
           "(heartbeat receiver stalled, last ran 1.51 s ago)")


def test_a_starved_dispatch_waits_for_its_executor_before_blaming_the_commander():
    # the 753c380 hunt: the dispatch process was starved while the robot was killed; its first check saw only
    # its own deafness and blamed the commander. Caught up, it hears the commander alive and the robot silent.
    commander = Commander(STALLED, deaf_for=1.5)
    commander.catch_up(0.1)
    r = robot(1.6, commander)
    with pytest.raises(RobotConnectionError) as err:
        r._check_alive()
    assert err.value.kind == "robot_connection", err.value


def test_a_starved_dispatch_whose_commander_is_alive_goes_on():
    commander = Commander(STALLED, deaf_for=1.5)
    commander.catch_up(0.1)
    robot(0.01, commander)._check_alive()


def test_a_dispatch_that_stays_deaf_stops_as_commander_lost():
    with pytest.raises(CommanderLostError, match="receiver stalled"):
        robot(0.01, Commander(STALLED, deaf_for=1.5))._check_alive()


@pytest.mark.parametrize("text, expected", [("/autogroup-12 nice -10\n", -10), ("", None), ("garbage", None)])
def test_a_session_nice_that_the_kernel_shows_empty_reads_as_none(monkeypatch, text, expected):
    """A CI machine's kernel has /proc/self/autogroup but it reads empty: that is no autogroup, not a crash."""
    import io

    from codebot.ros.plumbing import priority

    monkeypatch.setattr(priority, "open", lambda path, *a, **k: io.StringIO(text), raising=False)
    assert priority.session_nice() == expected
