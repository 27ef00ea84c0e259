"""The dead-man's switch between a commander (codebot_node) and the robot it drives.

A commander publishes a heartbeat on `<robot_ns>/commander/heartbeat` (std_msgs/String JSON
{"commander": id, "seq": n, "state": "alive" | "leaving", "t": send time}) every HEARTBEAT_PERIOD_S
from a beat process of its own (HeartbeatPublisher). The robot side (commander_watchdog.CommanderWatchdog, polled
from the loop that moves the arm) arms a commander's lease once its beats have come for one lease without a break;
when an armed commander goes quiet for longer than its lease (<= 0.5 s) the motion is halted and `commander_lost`
latches until a user calls `<robot_ns>/commander/reset`.

The dispatch process checks the same heartbeat (CommanderMonitor): a program whose commander is gone
stops sending motion at once, whatever happened to the process tree that should have killed it.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

from codebot.primitives.errors import RobotConnectionError
from codebot.ros.plumbing.late_beats import LateBeatLog
from codebot.ros.plumbing.priority import heartbeat_nice, raise_priority, raise_session_priority

HEARTBEAT = "commander/heartbeat"        # std_msgs/String JSON, from each commander
COMMANDER_STATE = "commander/state"       # std_msgs/String JSON, latched, from the robot
COMMANDER_RESET = "commander/reset"       # std_srvs/Trigger on the robot: clears commander_lost
HEARTBEAT_PERIOD_S = 0.05
DEFAULT_LEASE_S = 0.5
RECEIVER_TICK_S = 0.05        # the robot's heartbeat executor marks it is running this often
RECEIVER_STALL_LEASES = 3     # a receiver deaf this many leases halts the arm whatever the reason
LATE_BEAT_S = 0.1             # a beat that leaves this late (woke late or publish blocked) is logged
LEAVING_BEATS = 3             # a clean shutdown says "leaving" this many times (heartbeats are best effort)



class CommanderLostError(RobotConnectionError):
    """The robot's commander (codebot_node) is gone: the robot halted and refuses motion until reset."""

    kind = "commander_lost"


def heartbeat_qos():
    """Best effort: a beat is worth something only when fresh, and the next one supersedes it. A reliable
    reader holds every later beat back until a lost one is repaired (up to the writer's DDS heartbeat
    period, seconds): under load that turned one dropped sample into a false commander_lost."""
    from rclpy.qos import DurabilityPolicy, HistoryPolicy, QoSProfile, ReliabilityPolicy

    return QoSProfile(depth=5, history=HistoryPolicy.KEEP_LAST, reliability=ReliabilityPolicy.BEST_EFFORT,
                      durability=DurabilityPolicy.VOLATILE)


def parse_heartbeat(data: str) -> dict | None:
    try:
        beat = json.loads(data)
    except ValueError:
        return None
    if not isinstance(beat, dict) or not isinstance(beat.get("commander"), str):
        return None
    return beat


_BEATING: set = set()  # live HeartbeatPublishers (see __init__)


class HeartbeatPublisher:
    """Publishes the commander's heartbeat from a process of its own that does nothing else.

    Measured (benchmarks/heartbeat.py): a beat thread inside a process whose rclpy executor takes the
    robot's 100 Hz joint_states woke up to 0.4 s late, waiting for the GIL; a process of its own wakes
    within ~15 ms, CPU hogs or not. The beat process lives exactly as long as this one: it exits at once
    when its stdin pipe closes (this process died, however it died) and checks its parent every beat.
    It runs in a session of its own at a raised priority (priority.raise_session_priority), out of reach of a
    signal to this process's group: it ends with close()'s "leaving" or, silent, with this process."""

    def __init__(self, node, topic: str, commander_id: str, period_s: float = HEARTBEAT_PERIOD_S):
        self.topic = node.resolve_topic_name(topic)
        self.commander_id, self.period_s = commander_id, period_s
        self.worst_wake_s = self.worst_publish_s = 0.0
        self.raised_priority: bool | None = None  # known once closed
        self._closed = False
        self._proc = subprocess.Popen(
            [sys.executable, "-c", f"import {__name__} as m; m.beat_process_main()", self.topic, commander_id,
             str(period_s)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            start_new_session=True)  # its own session, whose priority it raises (priority.raise_session_priority)
        # Beating until close() or this process's end, whoever holds the object: a dropped reference
        # would close the pipe and silence a live commander.
        _BEATING.add(self)

    def close(self) -> None:
        """Say "leaving" (LEAVING_BEATS times: heartbeats are best effort) and stop beating."""
        if self._closed:
            return
        self._closed = True
        _BEATING.discard(self)
        try:
            out, _ = self._proc.communicate("leave\n", timeout=5.0)
            stats = json.loads(out.strip().splitlines()[-1])
            self.worst_wake_s, self.worst_publish_s = stats["worst_wake_s"], stats["worst_publish_s"]
            self.raised_priority = stats.get("raised_priority")
        except (subprocess.TimeoutExpired, ValueError, IndexError, KeyError, OSError):
            self._proc.kill()
            self._proc.wait(5.0)


def beat_process_main() -> None:
    """The beat process (argv: topic, commander id, period): beats until its parent says "leave" on
    stdin (then "leaving" beats), or closes stdin / dies / is gone (then silence: the lease decides)."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raised = raise_priority(heartbeat_nice())  # before rclpy starts its threads: they inherit it
    if os.getsid(0) == os.getpid():  # only a session of its own (HeartbeatPublisher's), never its caller's
        raise_session_priority(heartbeat_nice())
    topic, commander_id, period_s = sys.argv[1], sys.argv[2], float(sys.argv[3])
    parent = os.getppid()
    leave = threading.Event()

    def watch_parent() -> None:
        if sys.stdin.readline().strip() == "leave":
            leave.set()
        else:  # EOF: the parent is gone without a goodbye
            os._exit(0)

    from codebot.ros.plumbing.env import rclpy

    rp = rclpy()
    from std_msgs.msg import String

    context = rp.context.Context()
    rp.init(args=[], context=context)
    node = rp.create_node("commander_heartbeat", context=context, start_parameter_services=False)
    pub = node.create_publisher(String, topic, heartbeat_qos())
    threading.Thread(target=watch_parent, daemon=True).start()
    seq, worst_wake, worst_publish = 0, 0.0, 0.0
    late_log = LateBeatLog()

    def beat(state: str) -> None:
        nonlocal seq
        seq += 1
        pub.publish(String(data=json.dumps({"commander": commander_id, "seq": seq, "state": state,
                                            "t": time.time()})))

    next_t = time.monotonic()
    while not leave.is_set():
        if os.getppid() != parent:  # reparented: the commander died
            os._exit(0)
        woke = time.monotonic()
        beat("alive")
        # where a late beat comes from: this process woke late (CPU) or publish() blocked
        late, blocked = woke - next_t, time.monotonic() - woke
        worst_wake, worst_publish = max(worst_wake, late), max(worst_publish, blocked)
        if max(late, blocked) > LATE_BEAT_S:
            late_log.late(commander_id, seq, late, blocked)
        next_t += period_s
        delay = next_t - time.monotonic()
        if delay < 0:  # starved: beat again now, do not burst to catch up
            next_t, delay = time.monotonic(), 0.0
        leave.wait(delay)
    for _ in range(LEAVING_BEATS):  # best effort: say it more than once (receivers treat it idempotently)
        beat("leaving")
        time.sleep(period_s / 5)
    print(json.dumps({"worst_wake_s": worst_wake, "worst_publish_s": worst_publish, "raised_priority": raised}),
          flush=True)
    node.destroy_node()
    rp.shutdown(context=context)


class ReceiverClock:
    """When the executor that delivers heartbeats last ran: tick() from a timer on that executor.
    heard_until(now) is the latest moment up to which every beat sent has surely been taken: the tick
    before the latest one (beats that arrived before it are taken by now, even if the latest tick ran
    ahead of them) plus the two tick periods that lag costs. A process starved of CPU (beats queued, not
    yet taken) is not a silent commander; stalled() tells how long the receiver has not run."""

    def __init__(self, period_s: float = RECEIVER_TICK_S):
        self.period_s = period_s
        self.ticks: tuple[float, float] | None = None  # the last two ticks; None: no timer, trust the clock

    def tick(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self.ticks = (self.ticks[1] if self.ticks else now, now)

    def heard_until(self, now: float) -> float:
        return now if self.ticks is None else min(now, self.ticks[0] + 2 * self.period_s)

    def last_ran(self, now: float) -> str:
        return "never ran" if self.ticks is None else f"{now - self.ticks[1]:.2f} s ago"

    def deaf(self, now: float) -> bool:
        """The executor missed its last two ticks: this process has been starved (it heard nothing, whatever
        was sent)."""
        return self.ticks is not None and now - self.ticks[1] > 2 * self.period_s


class CommanderMonitor:
    """Dispatch side: the age of the newest heartbeat of one commander. A program whose commander is
    silent for more than max_age_s must not move the robot any more."""

    def __init__(self, node, topic: str, commander_id: str, max_age_s: float = DEFAULT_LEASE_S,
                 callback_group=None):
        from std_msgs.msg import String

        self.topic, self.commander_id, self.max_age_s = topic, commander_id, max_age_s
        self._last = 0.0
        self._left = False
        # the age counts only while the executor delivering the beats ran (see ReceiverClock)
        self.receiver = ReceiverClock()
        node.create_subscription(String, topic, self._on_beat, heartbeat_qos(), callback_group=callback_group)
        node.create_timer(self.receiver.period_s, self.receiver.tick, callback_group=callback_group)

    def _on_beat(self, msg) -> None:
        beat = parse_heartbeat(msg.data)
        if beat is None or beat["commander"] != self.commander_id:
            return
        if beat.get("state") == "leaving":
            self._left = True
        else:
            self._last = time.monotonic()

    def seen(self) -> bool:
        return self._last > 0.0

    def problem(self) -> str | None:
        """None while the commander is alive, else why it counts as gone."""
        if self._left:
            return f"commander {self.commander_id} shut down"
        if not self._last:
            return f"no heartbeat from commander {self.commander_id} on {self.topic}"
        now = time.monotonic()
        age = self.receiver.heard_until(now) - self._last
        if age > self.max_age_s:
            return f"commander {self.commander_id} lost: no heartbeat for {age:.2f} s on {self.topic}"
        if now - self._last > RECEIVER_STALL_LEASES * self.max_age_s:
            return (f"commander {self.commander_id} unheard for {now - self._last:.2f} s on {self.topic} "
                    f"(heartbeat receiver stalled, last ran {self.receiver.last_ran(now)})")
        return None
