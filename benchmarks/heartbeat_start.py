"""A commander's first heartbeats at a robot that starts beside it, over real DDS between processes (issue: the
e4cdf3b lease flake). Each trial: a beating commander (the product's HeartbeatPublisher, a beat process of its own)
is up first, as codebot_node is; then a robot-side receiver process starts (the product's heartbeat receiver, a
DDS participant of its own) and logs every beat it takes for --seconds. Right after discovery Fast DDS can deliver
one beat and then lose or hold the next ones. Each trial's receipt times are replayed through CommanderWatchdog
twice: arming on the first beat (the way before) and arming after one lease of unbroken beats (the product), and
the trial counts a false commander_lost for each policy that latched (the commander never died). --hogs adds
CPU-burning processes, each in a session of its own.

    .venv/bin/python benchmarks/heartbeat_start.py [--trials 25] [--hogs 2] [--seconds 3] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RECEIVER = """
import json, sys, time
from codebot.ros.plumbing.liveliness import parse_heartbeat
from codebot.ros.plumbing.own_participant import heartbeat_receiver
def on_beat(msg):
    beat = parse_heartbeat(msg.data)
    print(json.dumps([time.monotonic(), beat["commander"], beat["seq"], beat["state"]]), flush=True)
receiver = heartbeat_receiver(None, "robot_heartbeats", "/robot", on_beat, lambda: None)
while True:
    time.sleep(1)
"""


def replay(receipts: list[float], arming_leases: float, lease: float = 0.5, step: float = 0.01) -> bool:
    """Whether CommanderWatchdog, fed these receipt times and polled every `step`, latches commander_lost."""
    from codebot.ros.plumbing import commander_watchdog

    with mock.patch.object(commander_watchdog, "ARMING_LEASES", arming_leases):
        dog = commander_watchdog.CommanderWatchdog(lease_s=lease)
        t, end, i = receipts[0], receipts[-1] + 2 * step, 0
        while t <= end:
            while i < len(receipts) and receipts[i] <= t:
                dog.on_heartbeat({"commander": "c"}, now=receipts[i])
                i += 1
            if dog.poll(False, now=t) is not None:
                return True
            t += step
    return False


def trial(node, k: int, seconds: float, env: dict) -> dict:
    from codebot.ros.plumbing.liveliness import HeartbeatPublisher

    cid = f"start-{os.getpid()}-{k}"
    beats = HeartbeatPublisher(node, "/robot/commander/heartbeat", cid)
    time.sleep(1.5)  # the commander beats before the robot exists, as in the failing test
    t0 = time.monotonic()
    robot = subprocess.Popen([sys.executable, "-c", RECEIVER], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    got: list = []
    threading.Thread(target=lambda: [got.append(json.loads(line)) for line in robot.stdout], daemon=True).start()
    while time.monotonic() - t0 < 30 and not (got and time.monotonic() - got[0][0] > seconds):
        time.sleep(0.05)
    beats.close()
    robot.kill()
    robot.wait()
    alive = [g for g in got if g[1] == cid and g[3] == "alive"]
    times = [g[0] for g in alive]
    gaps = [b - a for a, b in zip(times, times[1:])]
    return {"trial": k, "beats": len(alive), "first_after_s": round(times[0] - t0, 3) if times else None,
            "max_gap_s": round(max(gaps), 3) if gaps else None,
            "gap_after_first_s": round(gaps[0], 3) if gaps else None,
            "latched_arm_on_first": replay(times, 0.0) if times else None,
            "latched_arm_after_lease": replay(times, 1.0) if times else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=25)
    ap.add_argument("--hogs", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--domain", type=int, default=91)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from codebot.ros.plumbing.env import NodeRunner, apply_localhost_env, ros_env

    apply_localhost_env(args.domain)
    env = {**ros_env(args.domain), "PYTHONPATH": str(ROOT)}
    from rclpy.node import Node

    runner = NodeRunner(lambda ctx: Node("start_commander", context=ctx))
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
            for _ in range(args.hogs)]
    rows = []
    try:
        for k in range(args.trials):
            rows.append(trial(runner.node, k, args.seconds, env))
            print(json.dumps(rows[-1]), flush=True)
    finally:
        for h in hogs:
            h.kill()
        runner.close()
    heard = [r for r in rows if r["beats"]]
    summary = {"trials": len(rows), "heard": len(heard), "hogs": args.hogs,
               "worst_gap_after_first_s": max((r["gap_after_first_s"] or 0) for r in heard) if heard else None,
               "worst_gap_s": max((r["max_gap_s"] or 0) for r in heard) if heard else None,
               "false_commander_lost_arm_on_first": sum(bool(r["latched_arm_on_first"]) for r in heard),
               "false_commander_lost_arm_after_lease": sum(bool(r["latched_arm_after_lease"]) for r in heard)}
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "trials": rows}, indent=1))


if __name__ == "__main__":
    main()
