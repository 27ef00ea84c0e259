"""codebot_node's ExecuteInstruction action, each row against its baseline in the same run (issue 29).

  first point  instruction -> the first trajectory of its dispatch on the robot's joint_trajectory topic (arrival
               here), sent as an ExecuteInstruction goal vs as a command on the `command` String topic: the same
               instruction, the same recorded program (replay LLM), the robot reset before each sample, the two
               paths interleaved so both see the same load. Most of it is the twin run both paths share.
  cancel       a forced sweep is canceled while the arm moves: the cancel request's send -> the robot's
               `canceled` execution_state here, and -> the robot's own joint_states (stamped with the wall clock
               it shares with this process) from which every joint speed stays under 0.05 rad/s for 0.3 s
               (target <= 100 ms). Each cancel is also split where codebot_node took it: the moment its cancel
               callback was entered and the moment it had published the halt (both named in the node's log
               lines, which it writes after the halt; and which of the cancel callback or the goal's loop took
               it): cancel sent -> received by the node (DDS and its executor), -> taken by the node (halt
               published), and taken -> the robot's `canceled` state here.
  robot lost   sim_robot_node is SIGKILLed while a forced sweep moves the arm: the kill -> the goal's ROBOT_LOST
               result here (target <= 2 s); the robot is then started again and the next sample runs on it.

Every process is on this machine, over real DDS. Needs `make setup` (codebot_interfaces).

    .venv/bin/python benchmarks/ros_execute.py [--samples 10] [--json out.json]
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SAFE = "put the red block in the blue bowl"
SWEEP = "sweep the gripper across the table"
AT_REST_RAD_S = 0.05


def stats(ms: list[float]) -> dict:
    a = np.asarray(ms)
    return {"n": len(ms), "p50": float(np.percentile(a, 50)), "p99": float(np.percentile(a, 99)),
            "max": float(a.max())}


def settled(joints: list[tuple[float, float]], since: float, hold_s: float = 0.3) -> float | None:
    """The robot's stamp from which every joint speed stays under AT_REST_RAD_S for hold_s (a sweep slows to
    nothing at each turn: a single slow sample is not a halt)."""
    after = [(t, v) for t, v in joints if t >= since]
    for i, (t, _) in enumerate(after):
        window = [v for tt, v in after[i:] if tt <= t + hold_s]
        if after[-1][0] >= t + hold_s and max(window) < AT_REST_RAD_S:
            return t
    return None


def logged_at(node_log: Path, text: str) -> tuple[float, str] | None:
    """(wall-clock stamp, line) of codebot_node's first log line containing `text`: the moment the line names
    ("... at 1764969600.123456": the node logs after it halts the arm) or else the line's own stamp."""
    for line in node_log.read_text(errors="replace").splitlines():
        if text in line:
            m = re.search(r" at (\d+\.\d+)\)?$", line) or re.search(r"\[(\d+\.\d+)\]", line)
            return (float(m.group(1)), line) if m else None
    return None


def replay_file(folder: Path) -> Path:
    path = folder / "replay.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in [
        {"when_contains": [SWEEP], "completion": "for _ in range(4):\n    move_to([0.25, -0.6, 0.3])\n"
                                                 "    move_to([-0.25, -0.6, 0.3])\n"},
        {"when_contains": [SAFE], "completion": "```python\nput_first_on_second('red block', 'blue bowl')\n```"},
    ]) + "\n")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--lost-samples", type=int, default=3, help="robot kills (each restarts the robot)")
    ap.add_argument("--json", type=str, default="")
    args = ap.parse_args()
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1` shows where a stuck run waits
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped run still stops its nodes (finally)
    os.environ.setdefault("ROS_DOMAIN_ID", str(100 + os.getpid() % 50))
    os.environ["ROS_AUTOMATIC_DISCOVERY_RANGE"] = "LOCALHOST"

    from rclpy.action import ActionClient
    from rclpy.node import Node
    from sensor_msgs.msg import JointState
    from std_msgs.msg import String
    from std_srvs.srv import Trigger
    from trajectory_msgs.msg import JointTrajectory

    from codebot.ros.dispatch.client import CommandClient
    from codebot.ros.plumbing import topics
    from codebot.ros.plumbing.env import NodeRunner, wait_until
    from codebot.ros.tools.launch_xml import stop_processes
    from codebot_interfaces.action import ExecuteInstruction

    work = Path(tempfile.mkdtemp(prefix="codebot-bench-execute-"))

    def start_robot() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "codebot.ros.nodes.sim_robot_node", "--ros-args", "-r",
                                 "__ns:=/robot", "-p", "camera_rate:=0.0", "-p", "real_time_factor:=1.0",
                                 "-p", "blocks:=[red]", "-p", "bowls:=[blue]", "-p", "seed:=3"],
                                start_new_session=True, stdout=open(work / "sim_robot.log", "a"),
                                stderr=subprocess.STDOUT)

    robots = [start_robot()]
    node_proc = subprocess.Popen(
        [sys.executable, "-m", "codebot.ros.nodes.codebot_node", "--ros-args", "-r", "__ns:=/codebot",
         "-p", "llm:=replay", "-p", f"llm_path:={replay_file(work)}", "-p", "robot_namespace:=/robot",
         "-p", "attempts:=1", "-p", "min_trajectory_subscribers:=3", "-p", f"bag_dir:={work / 'bags'}",
         "-p", f"trace_dir:={work / 'traces'}"],
        start_new_session=True, stdout=open(work / "codebot_node.log", "w"), stderr=subprocess.STDOUT)
    runner = None
    first_action, first_topic, cancel_state, cancel_rest, lost = [], [], [], [], []
    cancel_taken, taken_to_state, cancel_received = [], [], []
    try:
        runner = NodeRunner(lambda ctx: Node("bench_execute", context=ctx))
        node = runner.node
        arrivals: list[float] = []
        states: list[tuple[float, dict]] = []
        joints: list[tuple[float, float]] = []  # (robot's stamp, fastest joint rad/s)
        node.create_subscription(JointTrajectory, "/robot/" + topics.trajectory_topic(),
                                 lambda m: arrivals.append(time.monotonic()), 50)
        node.create_subscription(String, "/robot/" + topics.controller_state_topic(),
                                 lambda m: states.append((time.time(), json.loads(m.data))), 200)
        node.create_subscription(JointState, "/robot/joint_states", lambda m: joints.append(
            (m.header.stamp.sec + m.header.stamp.nanosec * 1e-9, float(np.max(np.abs(m.velocity))))), 200)
        reset = node.create_client(Trigger, "/robot/reset")
        action = ActionClient(node, ExecuteInstruction, "/codebot/execute_instruction")
        commands = CommandClient(node, "/codebot")
        for what, ok in (("codebot_node's execute_instruction server", action.server_is_ready),
                         ("codebot_node's command topic", lambda: commands.connected(0.1)),
                         ("the robot's reset service", reset.service_is_ready), ("joint_states", lambda: joints)):
            if not wait_until(ok, 120):
                raise SystemExit(f"{what} never appeared; logs in {work}")

        def reset_robot() -> None:
            done = reset.call_async(Trigger.Request())
            if not wait_until(lambda: done.done() and done.result(), 30):
                raise SystemExit("the robot's reset never answered")

        def goal(instruction: str, **fields):
            sent = action.send_goal_async(ExecuteInstruction.Goal(instruction=instruction, **fields))
            handle = wait_until(lambda: sent.done() and sent.result(), 30)
            if not handle or not handle.accepted:
                raise SystemExit("an ExecuteInstruction goal was not accepted")
            return handle, handle.get_result_async()

        def first_point(send) -> float:
            reset_robot()
            k = len(arrivals)
            t0 = time.monotonic()
            finished = send()
            if not wait_until(lambda: len(arrivals) > k, 300):
                raise SystemExit(f"no trajectory reached the robot; logs in {work}")
            ms = (arrivals[k] - t0) * 1e3
            if not wait_until(finished, 300):
                raise SystemExit("the instruction never finished")
            return ms

        def by_action():
            _, result = goal(SAFE)
            return lambda: result.done() and result.result()

        def by_topic():
            command_id = commands.publish(SAFE)
            return lambda: commands.verdicts.get(command_id)

        def sweeping():
            """A forced sweep goal on a reset robot, once its arm moves: (goal handle, result future, the index
            in `joints` where the motion starts)."""
            reset_robot()
            k = len(arrivals)
            handle, result = goal(SWEEP, force=True)
            if not wait_until(lambda: len(arrivals) > k, 300):
                raise SystemExit(f"the sweep never reached the robot; logs in {work}")
            j = len(joints)
            if not wait_until(lambda: any(v > 0.2 for _, v in joints[j:]), 30):
                raise SystemExit("the arm never moved")
            return handle, result, j

        def cancel_sample() -> tuple[float, float, float | None]:
            handle, result, j = sweeping()
            s = len(states)
            t_cancel = time.time()
            handle.cancel_goal_async()
            if not wait_until(lambda: result.done() and result.result(), 120):
                raise SystemExit("the canceled goal never ended")
            if result.result().result.error_code != ExecuteInstruction.Result.CANCELED:
                raise SystemExit(f"the canceled goal ended {result.result().result}")
            halted = next((t for t, st in states[s:] if st.get("state") == "canceled"), None)
            wait_until(lambda: joints[-1][0] > t_cancel + 1.0, 30)
            rest = settled(joints[j:], t_cancel)
            if halted is None or rest is None:
                raise SystemExit("the robot never reported the halt")
            from codebot.ros.dispatch.action_server import goal_id_hex

            gid, log = goal_id_hex(handle.goal_id), work / "codebot_node.log"
            taken = wait_until(lambda: logged_at(log, f"goal {gid} canceled by its client"), 10)
            received = logged_at(log, f"goal {gid}: cancel request received")
            where = "?" if not taken else "callback" if "cancel callback" in taken[1] else "loop"
            return ((halted - t_cancel) * 1e3, (rest - t_cancel) * 1e3, taken and (taken[0] - t_cancel) * 1e3,
                    received and (received[0] - t_cancel) * 1e3, where)

        def lost_sample() -> float:
            _, result, _ = sweeping()
            t_kill = time.monotonic()
            os.killpg(robots[-1].pid, signal.SIGKILL)
            if not wait_until(lambda: result.done() and result.result(), 120):
                raise SystemExit("the goal whose robot was killed never ended")
            ms = (time.monotonic() - t_kill) * 1e3
            robots[-1].wait(10)
            if result.result().result.error_code != ExecuteInstruction.Result.ROBOT_LOST:
                raise SystemExit(f"the goal whose robot was killed ended {result.result().result}")
            j = len(joints)
            robots.append(start_robot())
            if not wait_until(lambda: len(joints) > j and reset.service_is_ready(), 120):
                raise SystemExit("the restarted robot never came back")
            return ms

        first_point(by_action)  # warm up both paths (imports, the twin's first world)
        first_point(by_topic)
        for i in range(args.samples):
            first_action.append(first_point(by_action))
            first_topic.append(first_point(by_topic))
            halt_ms, rest_ms, taken_ms, received_ms, where = cancel_sample()
            cancel_state.append(halt_ms)
            cancel_rest.append(rest_ms)
            if taken_ms is not None:
                cancel_taken.append(taken_ms)
                taken_to_state.append(halt_ms - taken_ms)
            if received_ms is not None:
                cancel_received.append(received_ms)
            taken = "?" if taken_ms is None else f"{taken_ms:.0f}"
            received = "?" if received_ms is None else f"{received_ms:.0f}"
            print(f"sample {i + 1}: first point action {first_action[-1]:.0f} ms, topic {first_topic[-1]:.0f} ms; "
                  f"cancel -> received by the node {received} ms, taken {taken} ms (by the {where}), canceled "
                  f"{halt_ms:.0f} ms, at rest {rest_ms:.0f} ms", flush=True)
        for i in range(args.lost_samples):
            lost.append(lost_sample())
            print(f"robot killed {i + 1}: ROBOT_LOST result after {lost[-1]:.0f} ms", flush=True)
    finally:
        if runner is not None:
            runner.close()
        stop_processes([node_proc, *robots], 10)
    res = {"first_point_action_ms": stats(first_action), "first_point_topic_ms": stats(first_topic),
           "first_point_action_vs_topic_p50": stats(first_action)["p50"] / stats(first_topic)["p50"],
           "cancel_to_canceled_state_ms": stats(cancel_state), "cancel_to_at_rest_ms": stats(cancel_rest),
           **({"cancel_to_received_by_node_ms": stats(cancel_received)} if cancel_received else {}),
           **({"cancel_to_taken_by_node_ms": stats(cancel_taken),
               "taken_by_node_to_canceled_state_ms": stats(taken_to_state)} if cancel_taken else {}),
           **({"robot_killed_to_result_ms": stats(lost)} if lost else {})}
    print(f"{args.samples} samples each, real DDS on one machine")
    for k, v in res.items():
        if isinstance(v, dict):
            print(f"  {k:30s} p50 {v['p50']:8.1f} ms  p99 {v['p99']:8.1f} ms  max {v['max']:8.1f} ms")
    print(f"first point: action / topic p50 = x{res['first_point_action_vs_topic_p50']:.2f} (target <= 1.5)")
    print(f"cancel -> arm at rest: max {res['cancel_to_at_rest_ms']['max']:.0f} ms (target <= 100 ms)")
    if lost:
        print(f"robot killed -> ROBOT_LOST: max {max(lost):.0f} ms (target <= 2000 ms)")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
