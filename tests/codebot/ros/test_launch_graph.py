"""The launch files, started the way ros2 launch would start them, give the graph they describe:
node names and namespaces, topics (remaps included) and parameter values (files + inline)."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("rclpy")
pytest.importorskip("pybullet")

from codebot.ros.plumbing.env import wait_until
from codebot.ros.tools.launch_xml import parse_launch, start_nodes, stop_processes

pytestmark = [pytest.mark.ros, pytest.mark.slow, pytest.mark.timeout(180)]
LAUNCH = Path(__file__).resolve().parents[3] / "launch"


def _get_params(client, node_fqn: str, names: list[str]) -> dict:
    from rcl_interfaces.msg import ParameterType
    from rcl_interfaces.srv import GetParameters

    cli = client.create_client(GetParameters, f"{node_fqn}/get_parameters")
    assert cli.wait_for_service(timeout_sec=60), f"{node_fqn} has no parameter service"
    fut = cli.call_async(GetParameters.Request(names=names))
    assert wait_until(fut.done, 60), f"{node_fqn} never answered get_parameters"
    field = {ParameterType.PARAMETER_BOOL: "bool_value", ParameterType.PARAMETER_INTEGER: "integer_value",
             ParameterType.PARAMETER_DOUBLE: "double_value", ParameterType.PARAMETER_STRING: "string_value",
             ParameterType.PARAMETER_STRING_ARRAY: "string_array_value"}
    out = {}
    for name, v in zip(names, fut.result().values):
        value = getattr(v, field[v.type])
        out[name] = list(value) if v.type == ParameterType.PARAMETER_STRING_ARRAY else value
    return out


def test_combined_launch_file_starts_the_graph_it_describes(client, tmp_path):
    nodes = parse_launch(LAUNCH / "codebot_sim.launch.xml",
                         {"llm": "replay", "robot": "ur5e", "seed": "5", "real_time_factor": "2.0"})
    for n in nodes:  # keep test artefacts out of the repository
        if n.executable == "codebot_node":
            n.params.update(trace_dir=str(tmp_path / "traces"), bag_dir=str(tmp_path / "bags"))
    log = open(tmp_path / "launch.log", "w")
    procs = start_nodes(nodes, stdout=log, stderr=log)
    try:
        expected = {n.fqn for n in nodes}
        assert expected == {"/robot/sim_robot", "/codebot/codebot"}

        def graph_nodes():
            return {f"{ns.rstrip('/')}/{name}" for name, ns in client.get_node_names_and_namespaces()}

        assert wait_until(lambda: expected <= graph_nodes(), 60), (graph_nodes(), (tmp_path / "launch.log").read_text())
        wanted = {"/robot/joint_states": "sensor_msgs/msg/JointState",
                  "/robot/arm_controller/joint_trajectory": "trajectory_msgs/msg/JointTrajectory",
                  "/robot/objects": "std_msgs/msg/String",
                  "/robot/camera/top/image_raw": "sensor_msgs/msg/Image",
                  "/robot/camera/top/camera_info": "sensor_msgs/msg/CameraInfo",
                  "/codebot/command": "std_msgs/msg/String", "/codebot/verdict": "std_msgs/msg/String",
                  "/robot/estop": "std_msgs/msg/Bool"}

        def topic_types():
            return {name: types for name, types in client.get_topic_names_and_types()}

        assert wait_until(lambda: all(t in topic_types() for t in wanted), 60), sorted(topic_types())
        types = topic_types()
        for topic, typ in wanted.items():
            assert typ in types[topic], (topic, types[topic])
        # the remap in codebot.launch.xml puts codebot's e-stop on the robot's topic
        assert wait_until(lambda: {"sim_robot", "codebot"} <= {
            i.node_name for i in client.get_subscriptions_info_by_topic("/robot/estop")}, 20)
        assert not client.get_publishers_info_by_topic("/codebot/estop") and \
            not client.get_subscriptions_info_by_topic("/codebot/estop")
        for n in nodes:
            params = n.effective_params()
            got = _get_params(client, n.fqn, sorted(params))
            for k, v in params.items():
                same = got[k] == v or (isinstance(v, (int, float)) and got[k] == pytest.approx(v))
                assert same, (n.fqn, k, got[k], v)
        sim = next(n for n in nodes if n.executable == "sim_robot_node").effective_params()
        assert sim["seed"] == 5 and sim["real_time_factor"] == 2.0 and sim["blocks"] == ["red", "green"]
    finally:
        stop_processes(procs)
        log.close()
    assert all(p.returncode is not None for p in procs)
