"""codebot_node's ExecuteInstruction action over real DDS: sim_robot_node and codebot_node (replay LLM) in their own
processes, the action client here (and `codebot ros send` as a subprocess). Feedback is best effort (a volatile
topic): the tests assert the order of the phases that arrived; the result is the record."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("rclpy")
pytest.importorskip("pybullet")

from codebot.ros.plumbing import topics
from waits import DISCOVERY_S, wait_until

pytestmark = [pytest.mark.ros, pytest.mark.slow, pytest.mark.timeout(600)]

SAFE = "put the red block in the blue bowl"
UNSAFE = "wave far to the right of the table"
SWEEP = "sweep the gripper across the table"
PHASES = ["generating", "simulating", "checking", "gated", "dispatching", "executing"]
REPO = Path(__file__).resolve().parents[3]
SIM_PARAMS = ("real_time_factor:=2.0", "blocks:=[red]", "bowls:=[blue]", "seed:=3")


def start_graph(procs, tmp_path, control: str = "topic"):
    """sim_robot_node and codebot_node; control="action": codebot_node dispatches through the robot's
    FollowJointTrajectory and GripperCommand actions instead of the trajectory topic."""
    replay = tmp_path / "replay.jsonl"
    replay.write_text("\n".join(json.dumps(e) for e in [
        {"when_contains": ["Write ONE Python boolean expression", SWEEP], "completion": "len(get_blocks()) == 1"},
        {"when_contains": [SWEEP], "completion": "for _ in range(3):\n    move_to([0.25, -0.6, 0.3])\n"
                                                 "    move_to([-0.25, -0.6, 0.3])\n"},
        {"when_contains": [SAFE], "completion": "```python\nput_first_on_second('red block', 'blue bowl')\n```"},
        {"when_contains": [UNSAFE], "completion": "move_to([0.9, -0.5, 0.2])\n"},
        {"when_contains": ["postcondition"], "completion": "True"},
    ]) + "\n")
    sim = procs.sim_robot(*SIM_PARAMS, f"action_interfaces:={str(control == 'action').lower()}")
    # the test watches the trajectory topic: each dispatch waits for it as a third subscriber
    node = procs.start([sys.executable, "-m", "codebot.ros.nodes.codebot_node", "--ros-args",
                        "-r", "__ns:=/codebot", "-p", "llm:=replay", "-p", f"llm_path:={replay}",
                        "-p", "robot_namespace:=/robot", "-p", "attempts:=1", "-p", "min_trajectory_subscribers:=3",
                        "-p", "max_command_bytes:=300", "-p", f"control:={control}",
                        "-p", f"bag_dir:={tmp_path / 'bags'}", "-p", f"trace_dir:={tmp_path / 'traces'}"],
                       "codebot_node")
    return sim, node


class Watch:
    """What the test sees of the robot and of codebot_node."""

    def __init__(self, client):
        from sensor_msgs.msg import JointState
        from std_msgs.msg import String
        from trajectory_msgs.msg import JointTrajectory

        from codebot.ros.plumbing.convert import objects_from_json

        self.trajectories, self.verdicts, self.joints, self.acks, self.objects = [], [], [], [], {}
        self.subs = [
            client.create_subscription(JointTrajectory, "/robot/" + topics.trajectory_topic(),
                                       lambda m: self.trajectories.append(m), 50),
            client.create_subscription(String, "/codebot/verdict", lambda m: self.verdicts.append(json.loads(m.data)),
                                       topics.qos_latched(100)),
            client.create_subscription(JointState, "/robot/joint_states", lambda m: self.joints.append(
                (m.header.stamp.sec + m.header.stamp.nanosec * 1e-9, np.array(m.position), np.array(m.velocity))),
                50),
            client.create_subscription(String, "/codebot/ack", lambda m: self.acks.append(json.loads(m.data)),
                                       topics.qos_latched(100)),
            client.create_subscription(String, "/robot/objects",
                                       lambda m: self.objects.update(objs=objects_from_json(m.data)[1]),
                                       topics.qos_latched()),
        ]

    def matched(self) -> bool:
        return all(s.get_publisher_count() > 0 for s in self.subs[1:]) and "objs" in self.objects

    def verdict_of(self, command_id: str) -> dict | None:
        return next((v for v in self.verdicts if v.get("id") == command_id), None)


def ack_state(watch: Watch, command_id: str) -> str | None:
    return next((a["state"] for a in watch.acks if a.get("id") == command_id), None)


def connect(client, procs, node):
    from rclpy.action import ActionClient

    from codebot_interfaces.action import ExecuteInstruction

    ac = ActionClient(client, ExecuteInstruction, "/codebot/execute_instruction")
    watch = Watch(client)
    wait_until(lambda: ac.server_is_ready() and watch.matched(), DISCOVERY_S,
               "codebot_node's execute_instruction server and the robot never matched the test client",
               details=lambda: procs.log(node))
    return ac, watch


def send(ac, procs, node, **goal_fields):
    """(goal handle, feedback list, result future) of an accepted goal."""
    from codebot_interfaces.action import ExecuteInstruction

    feedback: list = []
    sent = ac.send_goal_async(ExecuteInstruction.Goal(**goal_fields),
                              feedback_callback=lambda m: feedback.append(m.feedback))
    handle = wait_until(lambda: sent.done() and sent.result(), DISCOVERY_S, "the goal was never answered",
                        details=lambda: procs.log(node))
    assert handle.accepted, "codebot_node accepts every goal (a rejection is a result with its reason)"
    return handle, feedback, handle.get_result_async()


def outcome(future, timeout, procs, node, what):
    return wait_until(lambda: future.done() and future.result(), timeout, f"no result for {what}",
                      details=lambda: procs.log(node)[-4000:])


def test_goal_runs_on_the_robot_invalid_goals_are_rejected_and_a_gated_goal_never_moves_it(procs, client, tmp_path):
    from action_msgs.msg import GoalStatus

    from codebot_interfaces.action import ExecuteInstruction

    Res = ExecuteInstruction.Result
    sim, node = start_graph(procs, tmp_path)
    ac, watch = connect(client, procs, node)
    try:
        # (c) invalid goals: the reason comes back in the result, nothing runs
        for fields, why in [({"instruction": SAFE, "robot": "/other_robot"}, "robot_namespace"),
                            ({"instruction": "x" * 400}, "max_command_bytes"),
                            ({"instruction": "   "}, "empty command"),
                            ({"instruction": SAFE, "attempts": 50}, "out of range")]:
            _, _, future = send(ac, procs, node, **fields)
            wrapped = outcome(future, 60, procs, node, f"the invalid goal {str(fields)[:60]}")
            assert wrapped.status == GoalStatus.STATUS_ABORTED
            assert (wrapped.result.success, wrapped.result.error_code) == (False, Res.REJECTED_INVALID), fields
            assert why in wrapped.result.error_message, wrapped.result.error_message

        # a dry run verifies in the twin and stops after the gate: success, no bag, nothing on the robot's topic
        _, _, future = send(ac, procs, node, instruction=SAFE, dry_run=True)
        wrapped = outcome(future, 300, procs, node, "the dry-run goal")
        assert wrapped.status == GoalStatus.STATUS_SUCCEEDED, (wrapped.result, procs.log(node)[-3000:])
        assert (wrapped.result.success, wrapped.result.bag_path) == (True, ""), wrapped.result
        assert "dry run" in wrapped.result.error_message and "put_first_on_second" in wrapped.result.program
        assert not watch.trajectories
        # the same through the command topic, an adapter over the action: its JSON carries the goal's fields
        from std_msgs.msg import String

        command = client.create_publisher(String, "/codebot/command", topics.qos_reliable(10))
        wait_until(lambda: command.get_subscription_count() > 0, DISCOVERY_S,
                   "codebot_node's command topic never matched the test client", details=lambda: procs.log(node))
        command.publish(String(data=json.dumps({"id": "string-dry-run", "instruction": SAFE, "dry_run": True})))
        v = wait_until(lambda: watch.verdict_of("string-dry-run"), 300, "the String dry run never got a verdict",
                       details=lambda: procs.log(node)[-3000:])
        assert v["outcome"] == "verified" and v["dry_run"] and not v["dispatched"] and not v.get("rosbag"), v
        assert ack_state(watch, "string-dry-run") == "accepted" and not watch.trajectories

        # (a) the safe instruction: phases in order, success, a bag, the block in the bowl in the robot's physics
        t0 = time.monotonic()
        handle, feedback, future = send(ac, procs, node, instruction=SAFE)
        wrapped = outcome(future, 300, procs, node, "the safe goal")
        round_trip = time.monotonic() - t0
        result = wrapped.result
        assert wrapped.status == GoalStatus.STATUS_SUCCEEDED, (result, procs.log(node)[-3000:])
        assert (result.success, result.error_code) == (True, Res.NONE), result
        assert result.verdict_source in ("checker", "goal spec") and result.verdict
        assert "put_first_on_second" in result.program and result.trace_id
        assert Path(result.bag_path).is_dir() and list(Path(result.bag_path).glob("*.mcap")), result.bag_path
        phases = [f.phase for f in feedback]
        assert phases, "no feedback at all during a goal that verified and dispatched"
        assert all(p in PHASES for p in phases)
        assert [PHASES.index(p) for p in phases] == sorted(PHASES.index(p) for p in phases), phases
        # one attempt: its turn phases, then (repeated every 0.5 s while it lasts) the arm moving for it
        assert {"checking", "executing"} <= set(phases), phases
        assert all(f.attempt == 1 for f in feedback if f.phase in PHASES[:3]), [(f.phase, f.attempt) for f in feedback]
        command_id = bytes(handle.goal_id.uuid).hex()
        v = wait_until(lambda: watch.verdict_of(command_id), 30, "the goal's verdict never reached the verdict topic")
        assert v["outcome"] == "dispatched" and v["rosbag"] == result.bag_path and watch.trajectories
        trace = [json.loads(line) for line in (tmp_path / "traces" / "dispatches.jsonl").read_text().splitlines()]
        assert any(r.get("id") == command_id and r.get("rosbag") == result.bag_path for r in trace)

        def in_bowl():
            objs = {o.name: o for o in watch.objects["objs"]}
            block, bowl = np.array(objs["red block"].position), np.array(objs["blue bowl"].position)
            return np.linalg.norm(block[:2] - bowl[:2]) < 0.05 and block[2] < 0.08

        wait_until(in_bowl, 30, "the robot's objects topic never showed the red block in the blue bowl",
                   details=lambda: watch.objects["objs"])
        print(f"safe goal round trip: {round_trip:.1f} s, phases {phases[:3]}...{phases[-2:]}")

        # (b) through `codebot ros send`: the unsafe program fails in the twin, no trajectory reaches the robot
        n_traj = len(watch.trajectories)
        cli = subprocess.run(["timeout", "-s", "INT", "280", str(Path(sys.executable).with_name("codebot")),
                              "ros", "send",
                              UNSAFE, "--namespace", "/codebot", "--robot", "/robot", "--server-wait", "60"],
                             capture_output=True, text=True, cwd=REPO, env=os.environ, timeout=300)
        out = cli.stdout
        assert cli.returncode == 1, (cli.returncode, out, cli.stderr[-3000:])
        assert "result: failed (aborted) error_code=SIM_FAILED" in out, out
        assert "outside" in out or "workspace" in out, out
        printed = [line.split()[1] for line in out.splitlines() if line.startswith("phase: ")]
        assert [PHASES.index(p) for p in printed] == sorted(PHASES.index(p) for p in printed), out
        assert "dispatching" not in printed, out
        gated = wait_until(lambda: [v for v in watch.verdicts if v.get("instruction") == UNSAFE], 30,
                           "the gated goal's verdict never reached the verdict topic")[-1]
        assert gated["outcome"] == "gated" and not gated["dispatched"] and not gated.get("rosbag"), gated
        # the robot's next 50 joint_states (its own ticks) after the verdict: still no trajectory
        n_joints = len(watch.joints)
        wait_until(lambda: len(watch.joints) >= n_joints + 50, 60, "the robot stopped publishing joint_states")
        assert len(watch.trajectories) == n_traj, "a gated program must never reach the robot's trajectory topic"
        assert sim.poll() is None and node.poll() is None
    finally:
        ac.destroy()


def test_cancel_during_dispatch_halts_the_arm_and_ends_canceled(procs, client, tmp_path):
    from action_msgs.msg import GoalStatus

    from codebot_interfaces.action import ExecuteInstruction

    _, node = start_graph(procs, tmp_path)
    ac, watch = connect(client, procs, node)
    try:
        # nothing checks a sweep: force (a per-goal option) dispatches it
        handle, feedback, future = send(ac, procs, node, instruction=SWEEP, force=True)
        # a goal queued behind it is canceled before it starts: out of the queue, recorded canceled
        wait_until(lambda: feedback or future.done(), 120, "the sweep goal never reported that it runs",
                   details=lambda: procs.log(node)[-3000:])
        queued, _, queued_future = send(ac, procs, node, instruction=SAFE)
        queued_id = bytes(queued.goal_id.uuid).hex()
        wait_until(lambda: ack_state(watch, queued_id) or queued_future.done(), 60, "the queued goal was never acked")
        assert ack_state(watch, queued_id) == "queued", watch.acks
        queued.cancel_goal_async()
        wrapped = outcome(queued_future, 60, procs, node, "the canceled queued goal")
        assert wrapped.status == GoalStatus.STATUS_CANCELED, wrapped.result
        assert wrapped.result.error_code == ExecuteInstruction.Result.CANCELED
        assert "while queued" in wrapped.result.error_message and not wrapped.result.bag_path
        v = wait_until(lambda: watch.verdict_of(queued_id), 30, "the queued goal's verdict never came")
        assert v["outcome"] == "canceled" and not v["dispatched"], v
        wait_until(lambda: watch.trajectories or future.done(), 300,
                   "the forced sweep neither reached the robot's trajectory topic nor ended",
                   details=lambda: procs.log(node)[-3000:])
        assert not future.done(), ("the sweep ended before the test could cancel it", future.result().result)
        cancel = handle.cancel_goal_async()
        response = wait_until(lambda: cancel.done() and cancel.result(), DISCOVERY_S, "the cancel was never answered")
        assert len(response.goals_canceling) == 1
        wrapped = outcome(future, 120, procs, node, "the canceled sweep")
        result = wrapped.result
        assert wrapped.status == GoalStatus.STATUS_CANCELED, (result, procs.log(node)[-3000:])
        assert (result.success, result.error_code) == (False, ExecuteInstruction.Result.CANCELED), result
        assert "during dispatch" in result.error_message and result.bag_path, result
        assert "dispatching" in [f.phase for f in feedback]
        v = wait_until(lambda: watch.verdict_of(bytes(handle.goal_id.uuid).hex()), 30,
                       "the canceled goal's verdict never reached the verdict topic")
        assert v["outcome"] == "canceled" and v["dispatched"], v
        calls = v["dispatch"]["call_log"]
        assert len(calls) < 6 and calls[-1].get("error"), calls  # the sweep (6 moves) stopped part way
        # the arm holds: the robot's own joint_states (stamped by the robot) show it at rest
        n = len(watch.joints)

        def at_rest():
            recent = watch.joints[n:][-30:]
            if len(recent) < 30:
                return False
            spread = np.max(np.ptp(np.array([q for _, q, _ in recent]), axis=0))
            return spread < 1e-3 and max(np.max(np.abs(dq)) for _, _, dq in recent) < 0.02

        wait_until(at_rest, 30, "the arm never came to rest after the cancel (robot's joint_states)",
                   details=lambda: watch.joints[-1])
    finally:
        ac.destroy()


def test_codebot_ros_send_cancels_its_goal_on_ctrl_c(procs, client, tmp_path):
    _, node = start_graph(procs, tmp_path)
    ac, watch = connect(client, procs, node)
    ac.destroy()
    # the real CLI, in a session of its own like a terminal's job: Ctrl-C reaches `codebot` and its child
    cli = subprocess.Popen([str(Path(sys.executable).with_name("codebot")), "ros", "send", SWEEP, "--force",
                            "--server-wait", "60"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO, env=os.environ,
                           start_new_session=True)
    try:
        wait_until(lambda: watch.trajectories or cli.poll() is not None, 300,
                   "the sweep sent by codebot ros send never reached the robot",
                   details=lambda: procs.log(node)[-3000:])
        assert cli.poll() is None, cli.stdout.read()
        os.killpg(cli.pid, signal.SIGINT)
        out, _ = cli.communicate(timeout=90)
        assert cli.returncode == 130, out
        assert "interrupted: canceling the goal" in out and "error_code=CANCELED" in out, out
        assert "result: failed (canceled)" in out, out
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait(10)


def test_a_robot_killed_mid_goal_aborts_it_as_robot_lost_and_the_next_goal_succeeds_after_a_restart(
        procs, client, tmp_path):
    """On the action path (control:=action): codebot_node drives the robot's FollowJointTrajectory and
    GripperCommand actions, and nothing of its dispatches travels on the trajectory topic."""
    from action_msgs.msg import GoalStatus

    from codebot.ros.recording.bag import read_bag
    from codebot_interfaces.action import ExecuteInstruction

    Res = ExecuteInstruction.Result
    from std_msgs.msg import String

    sim, node = start_graph(procs, tmp_path, control="action")
    ac, watch = connect(client, procs, node)
    robot_states: list[dict] = []  # the goal desk's events: an FJT goal the robot accepted shows here
    desk = client.create_subscription(String, "/robot/" + topics.controller_state_topic(),
                                      lambda m: robot_states.append(json.loads(m.data)), 100)
    wait_until(lambda: desk.get_publisher_count() > 0, DISCOVERY_S, "the robot's execution_state never matched")
    try:
        # a program that fails in the twin ends SIM_FAILED and no goal reaches the robot's trajectory action
        _, _, future = send(ac, procs, node, instruction=UNSAFE)
        gated = outcome(future, 300, procs, node, "the unsafe goal")
        assert gated.result.error_code == Res.SIM_FAILED, gated.result
        n_joints = len(watch.joints)
        wait_until(lambda: len(watch.joints) >= n_joints + 50, 60, "the robot stopped publishing joint_states")
        assert not [s for s in robot_states if s.get("state") == "accepted"], robot_states
        handle, feedback, future = send(ac, procs, node, instruction=SWEEP, force=True)
        wait_until(lambda: "dispatching" in [f.phase for f in feedback] or future.done(), 300,
                   "the forced sweep was never dispatched", details=lambda: procs.log(node)[-3000:])
        n = len(watch.joints)
        wait_until(lambda: any(np.max(np.abs(dq)) > 0.2 for _, _, dq in watch.joints[n:]) or future.done(), 120,
                   "the arm never moved for the dispatched sweep", details=lambda: procs.log(node)[-3000:])
        assert not future.done(), ("the sweep ended before the robot could be killed", future.result().result)
        t_kill = time.monotonic()
        os.killpg(sim.pid, signal.SIGKILL)
        wrapped = outcome(future, 120, procs, node, "the goal whose robot was killed")
        lost_after = time.monotonic() - t_kill  # benchmarks/ros_execute.py measures this; here it is only shown
        result = wrapped.result
        assert wrapped.status == GoalStatus.STATUS_ABORTED, (result, procs.log(node)[-3000:])
        assert (result.success, result.error_code) == (False, Res.ROBOT_LOST), result
        assert "joint_states" in result.error_message and "disconnected" in result.error_message, result
        assert result.bag_path and read_bag(result.bag_path), result.bag_path  # what reached the robot, readable
        v = wait_until(lambda: watch.verdict_of(bytes(handle.goal_id.uuid).hex()), 30,
                       "the lost goal's verdict never reached the verdict topic")
        assert v["outcome"] == "dispatch_failed" and v["dispatch"]["error"]["kind"] == "robot_connection", v

        # the robot comes back (a fresh world): the next goal runs on it as if nothing happened
        n_joints = len(watch.joints)
        watch.objects.clear()
        procs.sim_robot(*SIM_PARAMS, "action_interfaces:=true", name="sim_robot_2")
        wait_until(lambda: len(watch.joints) > n_joints and "objs" in watch.objects, DISCOVERY_S,
                   "the restarted robot's joint_states and objects never reached the test")
        _, _, future = send(ac, procs, node, instruction=SAFE)
        wrapped = outcome(future, 300, procs, node, "the goal after the robot's restart")
        assert wrapped.status == GoalStatus.STATUS_SUCCEEDED, (wrapped.result, procs.log(node)[-3000:])
        assert (wrapped.result.success, wrapped.result.error_code) == (True, Res.NONE), wrapped.result
        assert not watch.trajectories, "control:=action: no trajectory may travel on the topic"
        bag = read_bag(wrapped.result.bag_path)  # what was commanded is in the bag, as on the topic path
        commanded = [m for t, _, m in bag if t == "/robot/" + topics.commanded_trajectory_topic()]
        assert commanded and all(m.points for m in commanded), sorted({t for t, _, _ in bag})
        assert any(t == "/robot/" + topics.GRIPPER_COMMANDED for t, _, _ in bag), sorted({t for t, _, _ in bag})
        print(f"robot killed -> goal aborted ROBOT_LOST after {lost_after:.2f} s")
        assert node.poll() is None
    finally:
        ac.destroy()
