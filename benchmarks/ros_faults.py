"""codebot over ROS 2 under faults, over real DDS between processes:

  flood      N rounds of 100 commands in one second to a codebot_node (replay LLM, no robot: each
             accepted command ends after robot_wait): ack latency p50/p99/max (client send -> ack
             received), acks / verdicts / trace records per command sent
  kill_halt  a stand-in commander process (heartbeat + one long trajectory to sim_robot_node) is
             SIGKILLed mid-motion: time from the kill to the robot's commander_lost, and to the arm
             at rest (joint speeds < 0.05 rad/s); the latch is reset between trials

    .venv/bin/python benchmarks/ros_faults.py [--rounds 3] [--trials 5] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from codebot.ros.tools.launch_xml import stop_processes

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

JOINTS = ["shoulder_pan_joint", "shoulder_lift_joint", "elbow_joint", "wrist_1_joint", "wrist_2_joint",
          "wrist_3_joint"]


def commander() -> int:
    """Stand-in commander: heartbeat on /robot/commander/heartbeat, one slow 1 rad pan move (to
    /robot/<--controller>/joint_trajectory), then idle until killed."""
    from rclpy.node import Node
    from sensor_msgs.msg import JointState
    from std_msgs.msg import String
    from trajectory_msgs.msg import JointTrajectory

    from codebot.ros.plumbing import convert, topics
    from codebot.ros.plumbing.env import NodeRunner, wait_until
    from codebot.ros.plumbing.liveliness import HeartbeatPublisher

    direction = float(sys.argv[sys.argv.index("--commander") + 1])
    controller = (sys.argv[sys.argv.index("--controller") + 1] if "--controller" in sys.argv
                  else topics.DEFAULT_CONTROLLER)
    runner = NodeRunner(lambda ctx: Node("bench_commander", context=ctx))
    node = runner.node
    latest = {}
    node.create_subscription(JointState, "/robot/joint_states", lambda m: latest.update(q=list(m.position)), 10)
    cid = f"bench-commander-{os.getpid()}"
    node.create_subscription(String, "/robot/commander/state", lambda m: latest.update(state=json.loads(m.data)),
                             topics.qos_latched())
    beats = HeartbeatPublisher(node, "/robot/commander/heartbeat", cid)
    pub = node.create_publisher(JointTrajectory, "/robot/" + topics.trajectory_topic(controller),
                                topics.qos_reliable(10))
    wait_until(lambda: "q" in latest and pub.get_subscription_count() > 0, 30)
    # the robot (or its guard) has heard this commander: its dead-man's switch is armed
    if not wait_until(lambda: cid in latest.get("state", {}).get("commanders", ()), 60):
        print(f"the robot never listed {cid} on /robot/commander/state", flush=True)
        beats.close()
        runner.close()
        return 1
    q0 = np.array(latest["q"])
    times = np.linspace(0.5, 5.0, 10)
    pos = np.array([q0 + np.array([direction * t / 5.0, 0, 0, 0, 0, 0]) for t in times])
    pub.publish(convert.trajectory_msg(JOINTS, times, pos, None))
    print("MOVING", flush=True)
    time.sleep(60)
    return 0


def pct(values, q) -> float:
    return float(np.percentile(np.asarray(values), q)) if len(values) else float("nan")


def flood(rounds: int, work: Path) -> dict:
    """Rounds of 100 commands in 1 s from a client that listens to acks; afterwards every command's
    verdict is fetched by id from the keyed service and its trace records are counted."""
    from rclpy.node import Node

    from codebot.ros.dispatch.client import CommandClient
    from codebot.ros.plumbing.env import NodeRunner, wait_until

    node = subprocess.Popen([sys.executable, "-m", "codebot.ros.nodes.codebot_node",
                             "--ros-args", "-r", "__ns:=/codebot", "-p", "llm:=replay",
                             "-p", "robot_namespace:=/robot", "-p", "queue_depth:=5",
                             "-p", "robot_wait:=0.3", "-p", f"trace_dir:={work / 'traces'}",
                             "-p", f"bag_dir:={work / 'bags'}"],
                            stdout=open(work / "codebot_node.log", "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    # a single-threaded executor: rclpy's multi-threaded one delays callbacks by up to ~1 s under bursts
    runner = NodeRunner(lambda ctx: Node("bench_flood", context=ctx), threads=1)
    latency, to_node, sent_ids, answered = [], [], [], 0
    try:
        cc = CommandClient(runner.node, "/codebot", verdicts=False)
        if not cc.connected(60):
            raise RuntimeError("codebot_node not discovered")
        time.sleep(1.0)
        for r in range(rounds):
            sent, wall = {}, {}
            t0 = time.monotonic()
            for i in range(100):
                cid = f"r{r}-{i:03d}"
                sent[cid], wall[cid] = time.monotonic(), time.time()
                cc.publish(f"put the red block in the blue bowl #{i}", cid)
                time.sleep(max(0.0, t0 + (i + 1) * 0.0099 - time.monotonic()))
            wait_until(lambda: set(sent) <= set(cc.acks), 30)
            latency += [cc.ack_times[c] - sent[c] for c in sent if c in cc.ack_times]
            to_node += [cc.acks[c]["t"] - wall[c] for c in sent if c in cc.acks]
            sent_ids += list(sent)
            last_run = [c for c in sent if cc.acks.get(c, {}).get("state") != "rejected"][-1]
            cc.wait_verdict(last_run, 120)  # the last to finish: the round is over
        answered = sum(bool((v := cc.wait_verdict(c, 30)) and v.get("id") == c) for c in sent_ids)
        time.sleep(1.0)
        records = [json.loads(line) for line in (work / "traces" / "dispatches.jsonl").read_text().splitlines()]
        per_id: dict[str, int] = {}
        for rec in records:
            per_id[rec["id"]] = per_id.get(rec["id"], 0) + 1
        states = [cc.acks[c]["state"] for c in sent_ids if c in cc.acks]

        def stats(values) -> dict:
            ms = np.array(values) * 1e3
            return {"p50": pct(ms, 50), "p99": pct(ms, 99), "max": float(ms.max()),
                    "within_100ms": float(np.mean(ms <= 100.0))}

        return {"commands": len(sent_ids), "acks": len(states), "verdicts_by_id": answered,
                "records_one_each": all(per_id.get(c) == 1 for c in sent_ids),
                "accepted": states.count("accepted"), "queued": states.count("queued"),
                "rejected": states.count("rejected"),
                "ack_ms": stats(latency),
                # of which: client publish -> the node's command callback (wall clocks of one machine)
                "to_node_ms": stats(to_node),
                "series_ms": {"ack": [round(x * 1e3, 1) for x in latency],
                              "to_node": [round(x * 1e3, 1) for x in to_node]}}
    finally:
        runner.close()
        stop_processes([node], 10)


def kill_halt(trials: int, work: Path) -> dict:
    from rclpy.node import Node
    from sensor_msgs.msg import JointState
    from std_msgs.msg import String
    from std_srvs.srv import Trigger

    from codebot.ros.plumbing import topics
    from codebot.ros.plumbing.env import NodeRunner, wait_until

    robot = subprocess.Popen([sys.executable, "-m", "codebot.ros.nodes.sim_robot_node",
                              "--ros-args", "-r", "__ns:=/robot", "-p", "camera_rate:=0.0",
                              "-p", "blocks:=[red]", "-p", "bowls:=[blue]"],
                             stdout=open(work / "sim_robot.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    runner = NodeRunner(lambda ctx: Node("bench_observer", context=ctx))
    node = runner.node
    joints, lost = [], []
    node.create_subscription(JointState, "/robot/joint_states",
                             lambda m: joints.append((time.monotonic(), np.array(m.position))), 200)
    node.create_subscription(String, "/robot/commander/state",
                             lambda m: lost.append(time.monotonic()) if '"commander_lost"' in m.data else None,
                             topics.qos_latched())
    reset = node.create_client(Trigger, "/robot/commander/reset")
    to_lost, to_rest = [], []
    try:
        if not wait_until(lambda: joints and reset.service_is_ready(), 90):
            raise RuntimeError("sim_robot_node not up")
        for k in range(trials):
            cmd = subprocess.Popen([sys.executable, __file__, "--commander", "1" if k % 2 == 0 else "-1"],
                                   stdout=subprocess.PIPE, text=True, start_new_session=True)
            if cmd.stdout.readline().strip() != "MOVING":
                raise RuntimeError("commander did not start")
            # kill once the arm is clearly moving
            wait_until(lambda: len(joints) > 2 and _speed(joints) > 0.1, 10)
            time.sleep(0.5)
            n_lost = len(lost)
            os.kill(cmd.pid, signal.SIGKILL)
            t_kill = time.monotonic()
            cmd.wait(10)
            if not wait_until(lambda: len(lost) > n_lost, 5):
                raise RuntimeError("the robot never reported commander_lost")
            to_lost.append(lost[n_lost] - t_kill)
            wait_until(lambda: joints[-1][0] > t_kill and _speed(joints) < 0.05, 5)
            to_rest.append(joints[-1][0] - t_kill)
            fut = reset.call_async(Trigger.Request())
            wait_until(fut.done, 10)
            time.sleep(0.5)
    finally:
        runner.close()
        stop_processes([robot], 10)
    ms = lambda v: {"p50": pct(np.array(v) * 1e3, 50), "max": float(np.max(v) * 1e3)}  # noqa: E731
    return {"trials": trials, "lease_s": 0.5, "kill_to_commander_lost_ms": ms(to_lost),
            "kill_to_arm_at_rest_ms": ms(to_rest)}


def _speed(joints) -> float:
    (t0, q0), (t1, q1) = joints[-2], joints[-1]
    return float(np.max(np.abs(q1 - q0)) / max(t1 - t0, 1e-3))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--trials", type=int, default=5, help="kill_halt trials (0: the flood only)")
    ap.add_argument("--json", type=str, default="")
    args = ap.parse_args()
    os.environ.setdefault("ROS_DOMAIN_ID", str(100 + os.getpid() % 50))
    os.environ["ROS_AUTOMATIC_DISCOVERY_RANGE"] = "LOCALHOST"
    work = Path(tempfile.mkdtemp(prefix="codebot-ros-faults-"))
    try:
        res = {"flood": flood(args.rounds, work)}
        if args.trials > 0:
            res["kill_halt"] = kill_halt(args.trials, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    f, k = res["flood"], res.get("kill_halt")
    print(f"flood: {f['commands']} commands (100 per second) -> {f['acks']} acks, "
          f"{f['verdicts_by_id']} verdicts by id, "
          f"one trace record each: {f['records_one_each']} ({f['accepted']} accepted, {f['queued']} queued, "
          f"{f['rejected']} rejected: queue full)")
    for label, key in (("client send -> ack received", "ack_ms"), ("client send -> node callback", "to_node_ms")):
        a = f[key]
        print(f"ack latency, {label}: p50 {a['p50']:.1f} ms  p99 {a['p99']:.1f} ms  max {a['max']:.1f} ms"
              f"  ({a['within_100ms'] * 100:.1f}% within 100 ms)")
    if k:
        print(f"commander SIGKILL -> robot commander_lost p50 {k['kill_to_commander_lost_ms']['p50']:.0f} ms "
              f"(max {k['kill_to_commander_lost_ms']['max']:.0f}), -> arm at rest p50 "
              f"{k['kill_to_arm_at_rest_ms']['p50']:.0f} ms (max {k['kill_to_arm_at_rest_ms']['max']:.0f}); "
              f"lease {k['lease_s']} s, {k['trials']} trials")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    if "--commander" in sys.argv:
        sys.exit(commander())
    sys.exit(main())
