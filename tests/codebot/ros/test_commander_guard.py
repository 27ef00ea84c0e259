"""commander_guard in front of a controller that knows nothing of codebot (sim_robot_node with its own
switch off stands in for joint_trajectory_controller): it relays while the commander lives, cancels the
motion when the commander is SIGKILLed, drops everything after, until reset. Real DDS, real processes."""
from __future__ import annotations

import json
import os
import signal
import sys
import time

import numpy as np
import pytest

pytest.importorskip("rclpy")
pytest.importorskip("pybullet")

from codebot.ros import topics
from codebot.ros.env import wait_until

pytestmark = [pytest.mark.ros, pytest.mark.slow, pytest.mark.timeout(240)]
BENCH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "benchmarks", "ros_faults.py")


def test_guard_relays_then_cancels_and_drops_after_the_commander_dies(procs, client):
    from std_msgs.msg import String
    from std_srvs.srv import Trigger

    sim = procs.sim_robot("commander_watchdog:=false", "blocks:=[red]", "bowls:=[blue]")
    guard = procs.start([sys.executable, "-m", "codebot.ros.commander_guard", "--ros-args", "-r", "__ns:=/robot",
                         "-p", "input_controller:=guarded_arm_controller"], "guard")
    states, guard_state = [], []
    client.create_subscription(String, "/robot/" + topics.controller_state_topic(),
                               lambda m: states.append((time.monotonic(), json.loads(m.data))), 100)
    client.create_subscription(String, "/robot/commander/state",
                               lambda m: guard_state.append(json.loads(m.data)), topics.qos_latched())
    reset = client.create_client(Trigger, "/robot/commander/reset")
    assert wait_until(lambda: reset.service_is_ready() and guard_state, 60), (procs.log(guard), procs.log(sim))
    # the stand-in commander of benchmarks/ros_faults.py, aimed at the guard's input topic
    cmd = procs.start([sys.executable, BENCH, "--commander", "1", "--controller", "guarded_arm_controller"],
                      "commander")
    assert wait_until(lambda: any(s["state"] == "accepted" for _, s in states), 90), (procs.log(cmd), procs.log(guard))
    time.sleep(0.5)
    os.kill(cmd.pid, signal.SIGKILL)
    t_kill = time.monotonic()
    assert wait_until(lambda: any(s["state"] == "canceled" for _, s in states), 5), states[-3:]
    t_cancel = next(t for t, s in states if s["state"] == "canceled")
    assert t_cancel - t_kill < 1.0
    assert wait_until(lambda: guard_state[-1]["state"] == "commander_lost", 5), guard_state[-1]
    assert guard_state[-1]["relayed"] == 1

    # latched: a trajectory on the guard's input never reaches the controller
    from trajectory_msgs.msg import JointTrajectory

    from codebot.ros.convert import trajectory_msg

    pub = client.create_publisher(JointTrajectory, "/robot/guarded_arm_controller/joint_trajectory", 10)
    assert wait_until(lambda: pub.get_subscription_count() > 0, 10)
    n = len(states)
    names = ["shoulder_pan_joint", "shoulder_lift_joint", "elbow_joint", "wrist_1_joint", "wrist_2_joint",
             "wrist_3_joint"]
    pub.publish(trajectory_msg(names, [3.0], np.zeros((1, 6)) + 0.1, None))
    assert wait_until(lambda: "trajectory dropped" in procs.log(guard), 10)
    time.sleep(0.5)
    assert not [s for _, s in states[n:] if s["state"] == "accepted"]
    fut = reset.call_async(Trigger.Request())
    assert wait_until(fut.done, 10) and "cleared" in fut.result().message
    assert wait_until(lambda: guard_state[-1]["state"] != "commander_lost", 5)
