"""The dead-man's switch between a commander (codebot_node) and the robot it drives.

A commander publishes a heartbeat on `<robot_ns>/commander/heartbeat` (std_msgs/String JSON
{"commander": id, "seq": n, "state": "alive" | "leaving"}) every HEARTBEAT_PERIOD_S from its own
thread. The robot side (CommanderWatchdog, polled from the loop that moves the arm) arms on the first
heartbeat of a commander; when a commander it knows goes quiet for longer than its lease (<= 0.5 s)
the motion is halted and `commander_lost` latches until a user calls `<robot_ns>/commander/reset`.
A commander that says "leaving" while the arm is at rest is released without a latch (a clean shutdown).

The dispatch process checks the same heartbeat (CommanderMonitor): a program whose commander is gone
stops sending motion at once, whatever happened to the process tree that should have killed it.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

from codebot.primitives.errors import RobotConnectionError

HEARTBEAT = "commander/heartbeat"        # std_msgs/String JSON, from each commander
COMMANDER_STATE = "commander/state"       # std_msgs/String JSON, latched, from the robot
COMMANDER_RESET = "commander/reset"       # std_srvs/Trigger on the robot: clears commander_lost
HEARTBEAT_PERIOD_S = 0.05
DEFAULT_LEASE_S = 0.5


class CommanderLostError(RobotConnectionError):
    """The robot's commander (codebot_node) is gone: the robot halted and refuses motion until reset."""

    kind = "commander_lost"


def heartbeat_qos():
    from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy

    return QoSProfile(depth=5, reliability=ReliabilityPolicy.RELIABLE, durability=DurabilityPolicy.VOLATILE)


def parse_heartbeat(data: str) -> dict | None:
    try:
        beat = json.loads(data)
    except ValueError:
        return None
    if not isinstance(beat, dict) or not isinstance(beat.get("commander"), str):
        return None
    return beat


class HeartbeatPublisher:
    """Publishes the commander's heartbeat from a dedicated thread (an executor busy with callbacks
    must not make the robot think its commander died). close() says "leaving" once."""

    def __init__(self, node, topic: str, commander_id: str, period_s: float = HEARTBEAT_PERIOD_S):
        from std_msgs.msg import String

        self._String = String
        self.commander_id = commander_id
        self.period_s = period_s
        self._pub = node.create_publisher(String, topic, heartbeat_qos())
        self._stop = threading.Event()
        self._seq = 0
        self._thread = threading.Thread(target=self._run, name="commander-heartbeat", daemon=True)
        self._thread.start()

    def _beat(self, state: str) -> None:
        self._seq += 1
        self._pub.publish(self._String(data=json.dumps(
            {"commander": self.commander_id, "seq": self._seq, "state": state, "t": time.time()})))

    def _run(self) -> None:
        next_t = time.monotonic()
        while not self._stop.is_set():
            try:
                self._beat("alive")
            except Exception:  # context shutting down
                return
            next_t += self.period_s
            delay = next_t - time.monotonic()
            if delay < 0:  # starved: beat again now, do not burst to catch up
                next_t = time.monotonic()
                delay = 0
            self._stop.wait(delay)

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=1.0)
        try:
            self._beat("leaving")
        except Exception:
            pass


@dataclass
class _Commander:
    last_seen: float
    beats: int = 0


@dataclass
class CommanderWatchdog:
    """Robot side. on_heartbeat() from executor threads; poll(moving) from the motion loop returns a
    lapse description exactly once when a commander's lease ran out (the caller halts the arm)."""

    lease_s: float = DEFAULT_LEASE_S
    commanders: dict[str, _Commander] = field(default_factory=dict)
    lost: dict | None = None  # the latched commander_lost state, None when clear
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pending_release: set = field(default_factory=set)

    def on_heartbeat(self, beat: dict, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        cid = beat["commander"]
        with self._lock:
            if beat.get("state") == "leaving":
                self._pending_release.add(cid)
                return
            c = self.commanders.get(cid)
            if c is None:
                self.commanders[cid] = _Commander(now, 1)
            else:
                c.last_seen, c.beats = now, c.beats + 1

    def poll(self, moving: bool, now: float | None = None) -> dict | None:
        now = time.monotonic() if now is None else now
        with self._lock:
            lapsed = None
            for cid in list(self._pending_release):
                self._pending_release.discard(cid)
                c = self.commanders.pop(cid, None)
                if c is not None and moving:  # leaving mid-motion is no clean shutdown
                    lapsed = {"commander": cid, "silent_s": round(now - c.last_seen, 3), "reason": "left mid-motion"}
            for cid, c in list(self.commanders.items()):
                silent = now - c.last_seen
                if silent > self.lease_s:
                    del self.commanders[cid]
                    lapsed = lapsed or {"commander": cid, "silent_s": round(silent, 3),
                                        "reason": f"no heartbeat for {silent:.2f} s (lease {self.lease_s} s)"}
            if lapsed is None:
                return None
            self.lost = {"state": "commander_lost", **lapsed, "since": time.time(), "lease_s": self.lease_s,
                         "message": f"commander {lapsed['commander']} lost ({lapsed['reason']}): motion halted; "
                                    f"call {COMMANDER_RESET} to accept commands again"}
            return self.lost

    def reset(self) -> dict | None:
        with self._lock:
            was, self.lost = self.lost, None
            return was

    def state(self) -> dict:
        with self._lock:
            if self.lost is not None:
                return dict(self.lost)
            return {"state": "ok" if self.commanders else "no_commander", "commanders": sorted(self.commanders),
                    "lease_s": self.lease_s}


class CommanderMonitor:
    """Dispatch side: the age of the newest heartbeat of one commander. A program whose commander is
    silent for more than max_age_s must not move the robot any more."""

    def __init__(self, node, topic: str, commander_id: str, max_age_s: float = 0.3):
        from std_msgs.msg import String

        self.topic, self.commander_id, self.max_age_s = topic, commander_id, max_age_s
        self._last = 0.0
        self._left = False
        node.create_subscription(String, topic, self._on_beat, heartbeat_qos())

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
        age = time.monotonic() - self._last
        if age > self.max_age_s:
            return f"commander {self.commander_id} lost: no heartbeat for {age:.2f} s on {self.topic}"
        return None
