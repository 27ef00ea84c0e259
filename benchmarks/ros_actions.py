"""ros2_control's action interfaces on sim_robot_node, each against its baseline in the same run (issue 29).

  start      a trajectory sent as a FollowJointTrajectory goal vs published on the joint_trajectory topic:
             send -> the robot's execution_state "accepted" for it (the goal starts on the next physics
             tick) back at the sender. Samples interleaved, so both paths see the same load.
  roundtrip  FollowJointTrajectory send -> result for a one-point trajectory that holds the arm where it
             is, on sim_robot_node vs on a bare rclpy ActionServer of the same type that succeeds at once
             (a raw rclpy client/server pair: the floor any action server pays).

Every process is on this machine, over real DDS (Fast DDS, loopback). Needs `make setup` (control_msgs).

    .venv/bin/python benchmarks/ros_actions.py [--samples 100] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NS = "/bench"


def raw_server() -> int:
    """A bare FollowJointTrajectory server that succeeds every goal at once."""
    from control_msgs.action import FollowJointTrajectory
    from rclpy.action import ActionServer
    from rclpy.node import Node

    from codebot.ros.plumbing.env import spin_node_until_shutdown

    def make(ctx):
        node = Node("raw_fjt_server", context=ctx)

        def execute(handle):
            handle.succeed()
            return FollowJointTrajectory.Result(error_code=0)

        node._server = ActionServer(node, FollowJointTrajectory, f"{NS}/raw/follow_joint_trajectory", execute)
        return node

    return spin_node_until_shutdown(make, sys.argv[:1])


def stats(ms: list[float]) -> dict:
    a = np.asarray(ms)
    return {"n": len(ms), "p50": float(np.percentile(a, 50)), "p99": float(np.percentile(a, 99)),
            "max": float(a.max())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--json", type=str, default="")
    args = ap.parse_args()
    os.environ.setdefault("ROS_DOMAIN_ID", str(150 + os.getpid() % 50))
    os.environ["ROS_AUTOMATIC_DISCOVERY_RANGE"] = "LOCALHOST"

    from control_msgs.action import FollowJointTrajectory
    from rclpy.action import ActionClient
    from rclpy.node import Node
    from sensor_msgs.msg import JointState
    from std_msgs.msg import String
    from trajectory_msgs.msg import JointTrajectory

    from codebot.ros.plumbing import convert, topics
    from codebot.ros.plumbing.env import NodeRunner, wait_until
    from codebot.ros.tools.launch_xml import stop_processes

    robot = subprocess.Popen([sys.executable, "-m", "codebot.ros.nodes.sim_robot_node", "--ros-args", "-r",
                              f"__ns:={NS}", "-p", "camera_rate:=0.0", "-p", "action_interfaces:=true",
                              "-p", "commander_watchdog:=false"], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    raw = subprocess.Popen([sys.executable, __file__, "--raw-server"], start_new_session=True)
    runner = None
    try:
        runner = NodeRunner(lambda ctx: Node("bench_actions", context=ctx))
        node = runner.node
        states: list[tuple[float, dict]] = []
        joints: list = []
        node.create_subscription(String, f"{NS}/{topics.controller_state_topic()}",
                                 lambda m: states.append((time.monotonic(), json.loads(m.data))), 200)
        node.create_subscription(JointState, f"{NS}/joint_states", lambda m: joints.append(m), 10)
        pub = node.create_publisher(JointTrajectory, f"{NS}/{topics.trajectory_topic()}", topics.qos_reliable(10))
        fjt = ActionClient(node, FollowJointTrajectory, f"{NS}/{topics.follow_joint_trajectory_action()}")
        raw_fjt = ActionClient(node, FollowJointTrajectory, f"{NS}/raw/follow_joint_trajectory")
        for what, ok in (("sim_robot_node's action server", lambda: fjt.server_is_ready()),
                         ("the raw action server", lambda: raw_fjt.server_is_ready()),
                         ("joint_states", lambda: joints),
                         ("a trajectory subscriber", lambda: pub.get_subscription_count())):
            if not wait_until(ok, 60):
                raise SystemExit(f"{what} never appeared")
        names = list(joints[-1].name)

        def hold_msg(dt: float = 0.05) -> JointTrajectory:  # stay where the arm is: a goal that ends at once
            q = np.array(joints[-1].position)
            return convert.trajectory_msg(names, np.array([dt]), q[None, :], np.zeros((1, len(q))))

        def until_accepted(send) -> float:
            k = len(states)
            t0 = time.monotonic()
            send()
            if not wait_until(lambda: any(s.get("state") == "accepted" for _, s in states[k:]), 10, interval=0.0002):
                raise SystemExit("the robot never reported a trajectory accepted")
            t1 = next(t for t, s in states[k:] if s.get("state") == "accepted")
            wait_until(lambda: any(s.get("state") == "succeeded" for _, s in states[k:]), 10, interval=0.001)
            return (t1 - t0) * 1e3

        def by_action(client) -> None:
            fut = client.send_goal_async(FollowJointTrajectory.Goal(trajectory=hold_msg()))
            wait_until(fut.done, 10, interval=0.0002)
            return fut.result()

        def roundtrip(client) -> float:
            t0 = time.monotonic()
            handle = by_action(client)
            res = handle.get_result_async()
            if not wait_until(res.done, 10, interval=0.0002) or res.result().result.error_code != 0:
                raise SystemExit("a FollowJointTrajectory goal did not succeed")
            return (time.monotonic() - t0) * 1e3

        for _ in range(5):  # warm up every path
            until_accepted(lambda: pub.publish(hold_msg()))
            until_accepted(lambda: by_action(fjt))
            roundtrip(raw_fjt)
        topic_ms, action_ms, rt_sim, rt_raw = [], [], [], []
        for _ in range(args.samples):
            topic_ms.append(until_accepted(lambda: pub.publish(hold_msg())))
            action_ms.append(until_accepted(lambda: by_action(fjt)))
            rt_sim.append(roundtrip(fjt))
            rt_raw.append(roundtrip(raw_fjt))
    finally:
        if runner is not None:
            runner.close()
        stop_processes([robot, raw], 10)
    res = {"start_topic_ms": stats(topic_ms), "start_action_ms": stats(action_ms),
           "start_action_vs_topic_p50": stats(action_ms)["p50"] / stats(topic_ms)["p50"],
           "roundtrip_sim_ms": stats(rt_sim), "roundtrip_raw_ms": stats(rt_raw),
           "roundtrip_sim_vs_raw_p50": stats(rt_sim)["p50"] / stats(rt_raw)["p50"]}
    s = {k: v for k, v in res.items() if isinstance(v, dict)}
    print(f"{args.samples} samples each, interleaved, real DDS on one machine")
    for k, v in s.items():
        print(f"  {k:18s} p50 {v['p50']:7.2f} ms  p99 {v['p99']:7.2f} ms  max {v['max']:7.2f} ms")
    print(f"start: action / topic p50 = x{res['start_action_vs_topic_p50']:.2f} (target <= 1.5)")
    print(f"round trip: sim_robot_node / raw rclpy pair p50 = x{res['roundtrip_sim_vs_raw_p50']:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    if "--raw-server" in sys.argv:
        sys.exit(raw_server())
    sys.exit(main())
