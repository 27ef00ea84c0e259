"""The commander heartbeat under load, over real DDS between processes.

A stand-in commander process publishes heartbeats (every 50 ms) to a real sim_robot_node and keeps the
arm moving (back-and-forth pan trajectories, cameras on, the robot's 100 Hz joint_states taken by the
commander's executor as codebot_node does), for --seconds per condition: alone, then beside --hogs
CPU-burning processes, each with the product's HeartbeatPublisher (a beat process of its own) and with
the baseline (a beat thread inside the commander's process), in the same run. The robot writes every
beat's send time and receipt time (its `heartbeat_log` parameter); from them:

  send gap     time between consecutive beats as sent     (late here: the commander's side)
  latency      receipt - send                             (late here: DDS or the robot's executor)
  recv gap     time between consecutive beats as received (what the robot's 0.5 s lease is measured on)
  sender       the commander's heartbeat thread: worst wake-up lateness and worst publish() call

and p50/p99/max of each, the margin of the worst receipt gap to the lease, and how many commander_lost
the robot latched (must be 0: the commander never died).

`--churn` adds, to the loaded condition, what a test suite does beside a robot: short-lived ROS processes one
after another, each a participant subscribing to the robot's joint_states for 1.5 s, every third SIGKILLed
(discovery traffic, new shared-memory ports). `--receivers own shared` runs each condition with the robot's
heartbeat receiver in a DDS participant of its own (the product) and in the robot's main participant (the
way before: CODEBOT_HEARTBEAT_PARTICIPANT=shared).

    .venv/bin/python benchmarks/heartbeat.py [--seconds 40] [--hogs 2] [--churn] [--json out.json]
    .venv/bin/python benchmarks/heartbeat.py --publishers process --receivers own shared --hogs 2 --churn
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from codebot.ros.tools.launch_xml import stop_processes

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
JOINTS = ["shoulder_pan_joint", "shoulder_lift_joint", "elbow_joint", "wrist_1_joint", "wrist_2_joint",
          "wrist_3_joint"]


class ThreadBeats:
    """The baseline: beats from a thread inside the commander's own process (as codebot_node did before
    the beat process), sharing the GIL with its rclpy executor. Same message, period and QoS."""

    def __init__(self, node, topic: str, commander_id: str):
        import threading

        from std_msgs.msg import String

        from codebot.ros.plumbing.liveliness import HEARTBEAT_PERIOD_S, heartbeat_qos

        self.String, self.cid, self.period = String, commander_id, HEARTBEAT_PERIOD_S
        self.pub = node.create_publisher(String, topic, heartbeat_qos())
        self.stop, self.seq = threading.Event(), 0
        self.worst_wake_s = self.worst_publish_s = 0.0
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def beat(self, state: str) -> None:
        self.seq += 1
        self.pub.publish(self.String(data=json.dumps({"commander": self.cid, "seq": self.seq, "state": state,
                                                      "t": time.time()})))

    def run(self) -> None:
        next_t = time.monotonic()
        while not self.stop.is_set():
            woke = time.monotonic()
            self.beat("alive")
            self.worst_wake_s = max(self.worst_wake_s, woke - next_t)
            self.worst_publish_s = max(self.worst_publish_s, time.monotonic() - woke)
            next_t = max(next_t + self.period, time.monotonic())
            self.stop.wait(next_t - time.monotonic())

    def close(self) -> None:
        self.stop.set()
        self.thread.join(1.0)
        self.beat("leaving")


def commander(seconds: float, publisher: str) -> int:
    """Stand-in commander: heartbeats (`process`: the product's HeartbeatPublisher; `thread`: the
    baseline), and 2 s pan moves back and forth until `seconds` pass."""
    from rclpy.node import Node
    from sensor_msgs.msg import JointState
    from trajectory_msgs.msg import JointTrajectory

    from codebot.ros.plumbing import convert, topics
    from codebot.ros.plumbing.env import NodeRunner, wait_until
    from codebot.ros.plumbing.liveliness import HeartbeatPublisher

    runner = NodeRunner(lambda ctx: Node("bench_commander", context=ctx))
    node = runner.node
    latest = {}
    node.create_subscription(JointState, "/robot/joint_states", lambda m: latest.update(q=list(m.position)), 10)
    pub = node.create_publisher(JointTrajectory, "/robot/" + topics.trajectory_topic(topics.DEFAULT_CONTROLLER),
                                topics.qos_reliable(10))
    if not wait_until(lambda: "q" in latest and pub.get_subscription_count() > 0, 60):
        print("the robot never appeared (no joint_states within 60 s)", flush=True)
        runner.close()
        return 1
    if publisher == "process-udp":  # the beat process alone on loopback UDP: its participant has no SHM port
        os.environ["FASTDDS_BUILTIN_TRANSPORTS"] = "UDPv4"  # set after this process's own participant exists
    beats = (HeartbeatPublisher if publisher.startswith("process") else ThreadBeats)(
        node, "/robot/commander/heartbeat", f"bench-commander-{os.getpid()}")
    print("BEATING", flush=True)
    q0 = np.array(latest["q"])
    times = np.linspace(0.2, 2.0, 10)
    end, direction = time.monotonic() + seconds, 1.0
    while time.monotonic() < end:
        pos = np.array([q0 + np.array([direction * 0.5 * t / 2.0, 0, 0, 0, 0, 0]) for t in times])
        pub.publish(convert.trajectory_msg(JOINTS, times, pos, None))
        time.sleep(2.3)  # pacing the load generator, not a wait on the robot
        q0, direction = pos[-1], -direction
    beats.close()
    print(json.dumps({"worst_wake_ms": round(beats.worst_wake_s * 1e3, 1),
                      "worst_publish_ms": round(beats.worst_publish_s * 1e3, 1),
                      "raised_priority": getattr(beats, "raised_priority", None)}), flush=True)
    runner.close()
    return 0


CHURN_CHILD = """
import sys, time
from codebot.ros.plumbing.env import rclpy
rp = rclpy()
from rclpy.executors import SingleThreadedExecutor
from rclpy.node import Node
from sensor_msgs.msg import JointState
from std_msgs.msg import String
ctx = rp.context.Context()
rp.init(args=[], context=ctx)
node = Node("churn_" + sys.argv[1], context=ctx)
node.create_subscription(JointState, "/robot/joint_states", lambda m: None, 10)
node.create_publisher(String, "/robot/churn", 10)
ex = SingleThreadedExecutor(context=ctx)
ex.add_node(node)
end = time.monotonic() + 1.5
while time.monotonic() < end:
    ex.spin_once(timeout_sec=0.05)
"""


def churner() -> int:
    """Load generator (--churn): short-lived ROS processes one after another until killed."""
    i = 0
    while True:
        i += 1
        child = subprocess.Popen([sys.executable, "-c", CHURN_CHILD, str(i)], cwd=REPO)
        if i % 3 == 0:  # killed mid-life, no goodbye, as a test kills a node
            time.sleep(1.0)  # pacing the load generator, not a wait on anything
            child.kill()
        child.wait()


def percentiles(x: np.ndarray) -> dict:
    if len(x) == 0:
        return {"n": 0}
    return {"n": int(len(x)), "p50_ms": round(float(np.percentile(x, 50)) * 1e3, 1),
            "p99_ms": round(float(np.percentile(x, 99)) * 1e3, 1), "max_ms": round(float(x.max()) * 1e3, 1)}


def analyse(log: Path, lease_s: float) -> dict:
    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    alive = [r for r in rows if r["state"] == "alive"]
    t_send = np.array([r["t_send"] for r in alive])
    t_recv = np.array([r["t_recv"] for r in alive])
    seqs = [r["seq"] for r in alive]
    out = {"beats": len(alive), "missing_seq": int(seqs[-1] - seqs[0] + 1 - len(set(seqs))) if seqs else 0,
           "send_gap": percentiles(np.diff(t_send)), "latency": percentiles(t_recv - t_send),
           "recv_gap": percentiles(np.diff(t_recv))}
    if len(t_recv) > 1:
        out["lease_margin_ms"] = round((lease_s - float(np.diff(t_recv).max())) * 1e3, 1)
    return out


def run_condition(publisher: str, receiver: str, hogs: int, churn: bool, seconds: float, workdir: Path) -> dict:
    env = {**os.environ, "ROS_DOMAIN_ID": str(20 + (os.getpid() * 7 + hogs * 3 + len(publisher + receiver)) % 200),
           "ROS_AUTOMATIC_DISCOVERY_RANGE": "LOCALHOST", "CODEBOT_HEARTBEAT_PARTICIPANT": receiver}
    env.pop("ROS_LOCALHOST_ONLY", None)
    if publisher == "process-default-priority":  # the beat process and the robot's receiver thread not raised
        env["CODEBOT_HEARTBEAT_NICE"] = "0"
    name = f"{publisher}_{receiver}_{hogs}{'_churn' if churn else ''}"
    log = workdir / f"beats_{name}.jsonl"
    robot_log = workdir / f"robot_{name}.log"
    # each hog in a session of its own: on a kernel with autogroups a hog shares only its own session's CPU time
    hog_procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
                 for _ in range(hogs)]
    if churn:
        hog_procs.append(subprocess.Popen([sys.executable, __file__, "--churner"], cwd=REPO, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
    robot = subprocess.Popen([sys.executable, "-m", "codebot.ros.nodes.sim_robot_node",
                              "--ros-args", "-r", "__ns:=/robot", "-p", f"heartbeat_log:={log}"],
                             stdout=open(robot_log, "w"),
                             stderr=subprocess.STDOUT, cwd=REPO, env=env, start_new_session=True)
    try:
        cmd = subprocess.run([sys.executable, __file__, "--commander", str(seconds), publisher], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=seconds + 180)
        if cmd.returncode != 0:
            raise SystemExit(f"commander failed ({cmd.returncode}): {cmd.stdout}{cmd.stderr}\n"
                             f"robot log:\n{robot_log.read_text()[-3000:]}")
        sender = json.loads([line for line in cmd.stdout.splitlines() if line.startswith("{")][-1])
    finally:
        for h in hog_procs:
            h.kill()
        stop_processes([robot], 30)
        if churn:  # the churner's child of the moment
            subprocess.run(["pkill", "-KILL", "-s", str(hog_procs[-1].pid)], check=False)
    if not log.exists():
        raise SystemExit(f"the robot wrote no heartbeat log; its output:\n{robot_log.read_text()[-3000:]}")
    result = analyse(log, 0.5)
    result.update(publisher=publisher, receiver=receiver, hogs=hogs, churn=churn, sender=sender)
    result["commander_lost"] = robot_log.read_text().count("lost (")
    return result


def main() -> int:
    if "--churner" in sys.argv:
        return churner()
    if "--commander" in sys.argv:
        i = sys.argv.index("--commander")
        return commander(float(sys.argv[i + 1]), sys.argv[i + 2])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=40.0, help="moving time per condition")
    ap.add_argument("--hogs", type=int, default=2, help="CPU-burning processes in the loaded condition")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--publishers", nargs="+", default=["thread", "process"],
                    choices=["thread", "process", "process-default-priority", "process-udp"],
                    help="thread: the baseline, beats from the commander's own process; process: the product; "
                         "process-default-priority: the product without the raised heartbeat priority; "
                         "process-udp: the product with the beat process on loopback UDP only (no shared-memory "
                         "transport, whose recovery of a killed peer's port may hold the participant's sends)")
    ap.add_argument("--receivers", nargs="+", default=["own"], choices=["own", "shared"],
                    help="own: the robot's heartbeat receiver in a DDS participant of its own (the product); "
                         "shared: in the robot's main participant (the baseline)")
    ap.add_argument("--churn", action="store_true", help="the loaded condition also starts and kills ROS processes")
    ap.add_argument("--keep", type=Path, default=None, help="keep the beat logs and robot logs in this folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        work = args.keep or Path(d)
        work.mkdir(parents=True, exist_ok=True)
        rows = [run_condition(pub, recv, h, args.churn and h > 0, args.seconds, work)
                for h in (0, args.hogs) for pub in args.publishers for recv in args.receivers]
    for r in rows:
        print(f"{r['publisher']} publisher, {r['receiver']} receiver, hogs={r['hogs']}"
              f"{' + churn' if r['churn'] else ''}: {r['beats']} beats, {r['missing_seq']} missing, "
              f"commander_lost {r['commander_lost']}")
        print(f"  sender: worst wake-up lateness {r['sender']['worst_wake_ms']} ms, "
              f"worst publish() {r['sender']['worst_publish_ms']} ms")
        for k in ("send_gap", "latency", "recv_gap"):
            print(f"  {k:9s} {r[k]}")
        print(f"  margin of the worst receipt gap to the 0.5 s lease: {r.get('lease_margin_ms')} ms")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
