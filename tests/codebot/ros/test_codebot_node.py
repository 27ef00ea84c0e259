"""codebot_node end to end over real DDS: command topic -> replay LLM code -> twin verification ->
gate -> trajectory on the sim robot's topic -> block in the bowl in the robot's own physics."""
from __future__ import annotations

import json
import sys
import time

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


@pytest.fixture
def graph(procs, tmp_path):
    # The test watches the trajectory topic too: each dispatch (a fresh process) waits for it as a third
    # subscriber, or its first trajectories could go out before discovery reaches the test.
    return _start_graph(procs, tmp_path, "-p", "min_trajectory_subscribers:=3")


def _start_graph(procs, tmp_path, *extra):
    replay = tmp_path / "replay.jsonl"
    replay.write_text("\n".join(json.dumps(e) for e in [
        {"when_contains": ["Write ONE Python boolean expression", SWEEP], "completion": "len(get_blocks()) == 1"},
        {"when_contains": [SWEEP], "completion": "move_to([0.25, -0.6, 0.3])\nmove_to([-0.25, -0.6, 0.3])\n"
                                                 "move_to([0.25, -0.35, 0.3])\nmove_to([-0.25, -0.35, 0.3])\n"},
        {"when_contains": [SAFE], "completion": "```python\nput_first_on_second('red block', 'blue bowl')\n```"},
        {"when_contains": [UNSAFE], "completion": "move_to([0.9, -0.5, 0.2])\n"},
        # the postcondition request for the unchecked instruction
        {"when_contains": ["postcondition"], "completion": "True"},
    ]) + "\n")
    sim = procs.sim_robot("real_time_factor:=2.0", "blocks:=[red]", "bowls:=[blue]", "seed:=3")
    code = procs.start([sys.executable, "-m", "codebot.ros.nodes.codebot_node", "--ros-args",
                        "-r", "__ns:=/codebot", "-p", "llm:=replay", "-p", f"llm_path:={replay}",
                        "-p", "robot_namespace:=/robot", "-p", "attempts:=1",
                        "-p", f"bag_dir:={tmp_path / 'bags'}", "-p", f"trace_dir:={tmp_path / 'traces'}",
                        *extra],
                       "codebot_node")  # no e-stop remap: codebot forwards /codebot/estop to /robot/estop
    return sim, code, tmp_path


def _objects(client):
    from std_msgs.msg import String

    from codebot.ros.plumbing.convert import objects_from_json

    latest = {}
    client.create_subscription(String, "/robot/objects",
                               lambda m: latest.update(objs=objects_from_json(m.data)[1]), topics.qos_latched())
    return latest


def test_command_is_verified_in_twin_then_runs_on_robot_and_unsafe_is_gated(graph, client, procs):
    from std_msgs.msg import String
    from trajectory_msgs.msg import JointTrajectory

    from codebot.ros.recording.bag import read_bag

    from sensor_msgs.msg import JointState

    sim, node, tmp = graph
    trajectories, verdicts, statuses, code, joint_times = [], [], [], [], []
    client.create_subscription(JointState, "/robot/joint_states", lambda m: joint_times.append(time.monotonic()), 50)
    client.create_subscription(JointTrajectory, "/robot/" + topics.trajectory_topic(),
                               lambda m: trajectories.append(time.monotonic()), 50)
    client.create_subscription(String, "/codebot/verdict", lambda m: verdicts.append(json.loads(m.data)),
                               topics.qos_latched())
    client.create_subscription(String, "/codebot/status", lambda m: statuses.append(json.loads(m.data)), 50)
    client.create_subscription(String, "/codebot/code", lambda m: code.append(m.data), topics.qos_latched())
    objects = _objects(client)
    cmd = client.create_publisher(String, "/codebot/command", 10)
    wait_until(lambda: cmd.get_subscription_count() > 0 and "objs" in objects
               and all(s.get_publisher_count() > 0 for s in client.subscriptions
                       if s.topic_name in ("/codebot/status", "/codebot/verdict", "/codebot/code")), DISCOVERY_S,
               "codebot_node and the robot never matched the test client (command, objects, status, verdict, code)",
               details=lambda: procs.log(node))

    cmd.publish(String(data=SAFE))
    wait_until(lambda: len(verdicts) >= 1, 300, "the safe command never got a verdict",
               details=lambda: (statuses, procs.log(node), procs.log(sim)))
    v = verdicts[-1]

    def why() -> str:  # the whole verdict (pytest cuts a dict's repr) and both nodes' last words
        return (f"verdict {json.dumps(v, default=str)[:3000]}\ncodebot_node log: {procs.log(node)[-3000:]}"
                f"\nsim_robot_node log: {procs.log(sim)[-2000:]}")

    assert v["sim"]["success"], why()
    assert v["gate"]["passed"] and not v["gate"]["forced"], why()
    assert v["dispatched"] and v["dispatch"]["ok"], why()
    assert "put_first_on_second" in code[-1]
    assert trajectories, "the program's motions must reach the robot's trajectory topic"
    phases = [s["phase"] for s in statuses]
    assert phases.index("verifying") < phases.index("gate") < phases.index("dispatching")
    # the outcome in the robot's physics (published by the sim robot node, not by codebot): its objects
    # topic catches up with the motion
    def in_bowl():
        objs = {o.name: o for o in objects["objs"]}
        block, bowl = np.array(objs["red block"].position), np.array(objs["blue bowl"].position)
        return np.linalg.norm(block[:2] - bowl[:2]) < 0.05 and block[2] < 0.08

    wait_until(in_bowl, 30, "the robot's objects topic never showed the red block in the blue bowl",
               details=lambda: objects["objs"])
    # the dispatch was recorded to an mcap rosbag referenced from the trace
    bag = read_bag(v["rosbag"])
    recorded = {t for t, _, _ in bag}
    assert "/robot/arm_controller/joint_trajectory" in recorded and "/robot/joint_states" in recorded
    assert list((tmp / "bags").glob("*/*.mcap"))
    trace = [json.loads(line) for line in (tmp / "traces" / "dispatches.jsonl").read_text().splitlines()]
    assert trace[-1]["rosbag"] == v["rosbag"] and trace[-1]["sim"]["trace"]
    episodes = [json.loads(line) for line in open(trace[-1]["sim"]["trace"])]
    assert trace[-1]["sim"]["episode_id"] in {e["id"] for e in episodes}

    n_traj = len(trajectories)
    from std_srvs.srv import Trigger

    waiter = client.create_client(Trigger, "/codebot/wait_verdict")
    assert waiter.wait_for_service(timeout_sec=DISCOVERY_S), "codebot_node's wait_verdict service never appeared"
    # answers with the NEXT command's verdict: had it answered early it could only carry the earlier
    # (safe) verdict, which the instruction check below refutes (no sleep needed to see it pending)
    pending = waiter.call_async(Trigger.Request())
    assert not pending.done()
    # the next verdict counts from when the node takes the call: a command published before that can overtake
    # the call under load (seen in a flake hunt), so send it once the node says it is waiting
    wait_until(lambda: "wait_verdict: waiting for verdict" in procs.log(node), 60,
               "codebot_node never took the wait_verdict call", details=lambda: procs.log(node)[-2000:])
    cmd.publish(String(data=UNSAFE))
    wait_until(lambda: len(verdicts) >= 2, 300, "the unsafe command never got a verdict",
               details=lambda: procs.log(node))
    wait_until(pending.done, 30, "wait_verdict never answered after the unsafe command's verdict")
    answer = pending.result()
    assert not answer.success and json.loads(answer.message)["instruction"] == UNSAFE
    v = verdicts[-1]
    assert not v["gate"]["passed"] and not v["dispatched"], v
    assert any("outside" in r or "workspace" in r for r in v["gate"]["reasons"]), v["gate"]
    # a gated program never starts a dispatch: no process of codebot_node's publishes trajectories
    # (the dispatch's recorder would have written a bag, the trace has no rosbag for it)
    trace = [json.loads(line) for line in (tmp / "traces" / "dispatches.jsonl").read_text().splitlines()]
    assert trace[-1]["instruction"] == UNSAFE and trace[-1]["dispatched"] is False, trace[-1]
    assert not trace[-1].get("rosbag"), trace[-1]
    # and on the topic: watched for the robot's next 50 joint_states (its own 100 Hz ticks), not a sleep
    t_verdict = time.monotonic()
    wait_until(lambda: sum(t > t_verdict for t in joint_times) >= 50, 60,
               "the robot stopped publishing joint_states after the gated verdict")
    assert len(trajectories) == n_traj, "a gated program must never reach the robot topic"
    assert sim.poll() is None and node.poll() is None



def test_force_dispatches_a_failing_program_explicitly_and_the_robot_side_still_refuses(procs, client, tmp_path):
    from std_msgs.msg import Bool, String
    from trajectory_msgs.msg import JointTrajectory

    _, node, _ = _start_graph(procs, tmp_path, "-p", "force:=true", "-p", "min_trajectory_subscribers:=3")
    verdicts, trajectories = [], []
    client.create_subscription(String, "/codebot/verdict", lambda m: verdicts.append(json.loads(m.data)),
                               topics.qos_latched())
    client.create_subscription(JointTrajectory, "/robot/" + topics.trajectory_topic(),
                               lambda m: trajectories.append(m), 50)
    cmd = client.create_publisher(String, "/codebot/command", 10)
    statuses = []
    client.create_subscription(String, "/codebot/status", lambda m: statuses.append(json.loads(m.data)), 50)
    estop = client.create_publisher(Bool, "/codebot/estop", 10)
    # every endpoint the test uses is matched before anything is sent: an e-stop published before
    # discovery completes is lost, and the sweep then runs to the end
    wait_until(lambda: cmd.get_subscription_count() > 0 and estop.get_subscription_count() > 0
               and all(s.get_publisher_count() > 0 for s in client.subscriptions
                       if s.topic_name in ("/codebot/status", "/codebot/verdict")), DISCOVERY_S,
               "codebot_node never matched the test client (command, e-stop, status, verdict)",
               details=lambda: procs.log(node))
    cmd.publish(String(data=UNSAFE))
    wait_until(lambda: verdicts, 300, "the unsafe command never got a verdict", details=lambda: procs.log(node))
    v = verdicts[-1]
    assert not v["gate"]["passed"] and v["gate"]["forced"] and v["dispatched"], v
    # RosRobot checks the workspace itself before anything is sent
    assert v["dispatch"]["error"]["kind"] == "outside_workspace" and not trajectories
    assert "FORCED dispatch" in procs.log(node)

    # e-stop on codebot's own topic during a (forced: nothing checks a sweep) dispatch: the robot
    # halts and the verdict says why
    cmd.publish(String(data=SWEEP))
    # the sweep is verified in the twin first, then dispatched by a fresh process: wait for either its
    # first trajectory or its verdict (a dispatch that sent nothing the test saw ends in a verdict)
    wait_until(lambda: trajectories or len(verdicts) >= 2, 300,
               "the forced sweep neither reached the robot's trajectory topic nor got a verdict",
               details=lambda: (statuses[-5:], procs.log(node)))
    assert trajectories, ("the forced sweep ended without a trajectory reaching the test's subscription",
                          verdicts[-1], procs.log(node))
    estop.publish(Bool(data=True))
    wait_until(lambda: len(verdicts) >= 2, 120, "the e-stopped sweep never got a verdict",
               details=lambda: procs.log(node))
    v = verdicts[-1]
    assert v["dispatched"] and not v["dispatch"]["ok"] and v["dispatch"]["error"]["kind"] == "emergency_stop", v
    assert v["dispatch"]["call_log"] and v["dispatch"]["call_log"][0]["name"] == "move_to", v["dispatch"]
    wait_until(lambda: "estop" in [s["phase"] for s in statuses], 30, "codebot_node never reported the e-stop phase",
               details=lambda: statuses[-5:])
