"""The robot side of the dead-man's switch (liveliness.py has the commander side and the protocol).

CommanderWatchdog, polled from the loop that moves the arm, arms a commander's lease once its beats have come for
ARMING_LEASES leases without a break; when an armed commander goes quiet for longer than its lease (<= 0.5 s) the
caller halts the motion and `commander_lost` latches until a user calls `<robot_ns>/commander/reset`. A commander
that says "leaving" while the arm is at rest is released without a latch (a clean shutdown). CommanderStateTopic
publishes the watchdog's state (latched); HeartbeatLog records every beat for benchmarks/heartbeat.py.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

from codebot.ros.plumbing.liveliness import (COMMANDER_RESET, COMMANDER_STATE, DEFAULT_LEASE_S, RECEIVER_STALL_LEASES,
                                             ReceiverClock, parse_heartbeat)

# ARMING: a new commander's lease is armed only after its beats came for this many leases without a break.
# Right after discovery matches a beat writer to the robot's reader, Fast DDS can deliver one beat and then
# drop or hold the next ones: a fresh-clone CI run (e4cdf3b) logged beat #11 arriving, #12-#19 lost and #20
# 0.22 s late, and the robot, armed on #11, latched commander_lost before any motion; a reproduction (a
# beating commander, a robot started beside it, 2 CPU hogs) showed a 0.29 s gap right after the first beat in
# 1 of 25 starts and none later in the stream. A stream that breaks off before arming is forgotten, not latched.
ARMING_LEASES = 1.0


class HeartbeatLog:
    """Robot side, for measurement: every beat's send time (the commander's clock, in the beat) and
    receipt time (this process's clock), bounded; write() dumps JSON lines. Both clocks are the same
    machine's wall clock when commander and robot share a host (benchmarks/heartbeat.py)."""

    def __init__(self, max_beats: int = 200_000):
        self.beats: list[tuple] = []
        self.max_beats = max_beats

    def record(self, beat: dict) -> None:
        if len(self.beats) < self.max_beats:
            self.beats.append((beat["commander"], beat.get("seq"), beat.get("t"), time.time(), beat.get("state")))

    def write(self, path: str) -> None:
        with open(path, "w") as f:
            for cid, seq, t_send, t_recv, state in self.beats:
                f.write(json.dumps({"commander": cid, "seq": seq, "t_send": t_send, "t_recv": t_recv,
                                    "state": state}) + "\n")


@dataclass
class _Commander:
    last_seen: float
    beats: int = 0
    since: float = 0.0  # the first beat of its unbroken stream
    armed: bool = False  # its lease is enforced (ARMING_LEASES after `since`)
    delay_s: float | None = None  # the last beat's receipt - send time (wall clocks), None when unstamped
    seq: int | None = None  # the last beat's sequence number


@dataclass
class CommanderWatchdog:
    """Robot side. on_heartbeat() from executor threads; poll(moving) from the motion loop returns a
    lapse description exactly once when an armed commander's lease ran out (the caller halts the arm).
    A commander is armed after ARMING_LEASES leases of unbroken beats; one whose first beats break off
    (a discovery transient) is dropped without a latch and arms again once its stream is steady.

    Silence counts only while the receiving executor was running: receiver_tick(), called by a timer on
    the executor that delivers the beats, marks the moments it could have heard one. A robot process
    starved of CPU for a moment (beats queued, not yet taken) is not a dead commander; a receiver stalled
    past RECEIVER_STALL_LEASES leases halts the arm all the same (a robot that cannot hear must not move)."""

    lease_s: float = DEFAULT_LEASE_S
    commanders: dict[str, _Commander] = field(default_factory=dict)
    lost: dict | None = None  # the latched commander_lost state, None when clear
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pending_release: set = field(default_factory=set)
    receiver: ReceiverClock = field(default_factory=ReceiverClock)
    _lapsed: dict = field(default_factory=dict)  # commander id -> the seq of its last beat before a lapse
    _broke_off: dict = field(default_factory=dict)  # commander id -> (last seq, silence) of a stream dropped unarmed

    @property
    def arming_s(self) -> float:
        return ARMING_LEASES * self.lease_s

    def on_heartbeat(self, beat: dict, now: float | None = None) -> str | None:
        """Take one beat; returns a line for the log when a commander that lapsed is heard again."""
        now = time.monotonic() if now is None else now
        cid = beat["commander"]
        with self._lock:
            if beat.get("state") == "leaving":
                self._pending_release.add(cid)
                return None
            c = self.commanders.get(cid)
            if c is None:
                c = self.commanders[cid] = _Commander(now, 0, since=now)
            c.last_seen, c.beats = now, c.beats + 1
            c.armed = c.armed or now - c.since >= self.arming_s
            sent, seq = beat.get("t"), beat.get("seq")
            c.delay_s = time.time() - sent if isinstance(sent, (int, float)) else None
            c.seq = seq if isinstance(seq, int) else None
            if cid in self._broke_off:
                last, silent = self._broke_off.pop(cid)
                return (f"commander {cid}: its first beats broke off for {silent:.2f} s before its lease armed "
                        f"(beat #{last}, then #{seq}); not latched, arming again")
            if cid not in self._lapsed:
                return None
            # why it lapsed: the commander paused (the next seq, a fresh send time) or its beats were
            # held up on the way (an old send time) or lost (a seq gap)
            last = self._lapsed.pop(cid)
            delay = "unknown" if c.delay_s is None else f"{c.delay_s:.3f} s"
            return f"commander {cid} heard again after its lapse: beat #{seq} (last before: #{last}), sent {delay} ago"

    def on_heartbeat_message(self, data: str, warn) -> dict | None:
        """A heartbeat topic message's text: parse it, take the beat, pass a heard-again line to warn();
        returns the beat (None for a message that is not one). One handler for every receiver."""
        beat = parse_heartbeat(data)
        if beat is not None:
            again = self.on_heartbeat(beat)
            if again:
                warn(again)
        return beat

    def receiver_tick(self, now: float | None = None) -> None:
        with self._lock:
            self.receiver.tick(now)

    def poll(self, moving: bool, now: float | None = None) -> dict | None:
        now = time.monotonic() if now is None else now
        with self._lock:
            # beats queued behind a stalled receiver are heard late, not missed
            heard_until = self.receiver.heard_until(now)
            lapsed = None
            for cid in list(self._pending_release):
                self._pending_release.discard(cid)
                c = self.commanders.pop(cid, None)
                if c is not None and moving:  # leaving mid-motion is no clean shutdown
                    lapsed = {"commander": cid, "silent_s": round(now - c.last_seen, 3), "reason": "left mid-motion"}
            for cid, c in list(self.commanders.items()):
                silent, deaf = heard_until - c.last_seen, now - c.last_seen
                if silent > self.lease_s:
                    reason = f"no heartbeat for {silent:.2f} s (lease {self.lease_s} s)"
                elif deaf > RECEIVER_STALL_LEASES * self.lease_s:
                    reason = f"heartbeat receiver stalled for {deaf:.2f} s (lease {self.lease_s} s)"
                else:
                    continue
                del self.commanders[cid]
                if not c.armed:  # its stream broke off while arming: forget it, no latch
                    self._broke_off[cid] = (c.seq, deaf)
                    continue
                self._lapsed[cid] = c.seq
                # which side was late: the commander (sent late) or this process (heard late)
                delay = "unknown" if c.delay_s is None else f"{c.delay_s:.3f} s"
                reason += f"; last beat #{c.beats} took {delay} to arrive, receiver last ran " \
                          f"{self.receiver.last_ran(now)}"
                lapsed = lapsed or {"commander": cid, "silent_s": round(deaf, 3), "reason": reason}
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

    def reset_reply(self) -> str:
        """Clear a latched commander_lost; the commander/reset service's answer."""
        was = self.reset()
        return ("commander_lost cleared (was: " + was["message"] + ")") if was else "no latched commander_lost"

    def state(self) -> dict:
        with self._lock:
            if self.lost is not None:
                return dict(self.lost)
            armed = sorted(cid for cid, c in self.commanders.items() if c.armed)
            arming = sorted(cid for cid, c in self.commanders.items() if not c.armed)
            return {"state": "ok" if armed else "arming" if arming else "no_commander", "commanders": armed,
                    **({"arming": arming} if arming else {}), "lease_s": self.lease_s}


class CommanderStateTopic:
    """The robot side's latched commander/state topic: the watchdog's state, published when it changed
    (or when forced), with the stamp and whatever `extra` the node adds."""

    def __init__(self, node, qos):
        from std_msgs.msg import String

        self._String = String
        self.publisher = node.create_publisher(String, COMMANDER_STATE, qos)
        self._summary = None

    def publish(self, watchdog: "CommanderWatchdog", force: bool = False, **extra) -> None:
        state = watchdog.state()
        summary = (state["state"], tuple(state.get("commanders", ())))
        if force or summary != self._summary:
            self._summary = summary
            self.publisher.publish(self._String(data=json.dumps({**state, "stamp": time.time(), **extra})))
