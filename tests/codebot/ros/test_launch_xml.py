"""The launch-XML interpreter turns launch files into the command lines `ros2 launch` would run."""
from pathlib import Path

import pytest

from codebot.ros.tools.launch_xml import LaunchError, main, parse_launch

LAUNCH = Path(__file__).resolve().parents[3] / "launch"


def test_combined_launch_starts_both_nodes_with_ros_args():
    nodes = parse_launch(LAUNCH / "codebot_sim.launch.xml", {"robot": "panda", "llm": "replay"})
    assert [(n.executable, n.fqn) for n in nodes] == [("sim_robot_node", "/robot/sim_robot"),
                                                      ("codebot_node", "/codebot/codebot")]
    sim_cmd = nodes[0].command(python="py")
    assert sim_cmd[:3] == ["py", "-m", "codebot.ros.nodes.sim_robot_node"]
    ros = sim_cmd[sim_cmd.index("--ros-args"):]
    assert ros[:5] == ["--ros-args", "-r", "__node:=sim_robot", "-r", "__ns:=/robot"]
    assert "--params-file" in ros and ros[ros.index("--params-file") + 1].endswith("config/sim_robot.yaml")
    assert "robot:=panda" in ros
    code_ros = nodes[1].command(python="py")
    assert "llm:=replay" in code_ros and "estop:=/robot/estop" in code_ros
    assert "llm_path:=''" in code_ros  # an empty string stays a string, not YAML null


def test_effective_params_merge_file_then_inline():
    node = parse_launch(LAUNCH / "sim_robot.launch.xml", {"seed": "7"})[0]
    params = node.effective_params()
    assert params["seed"] == 7 and params["robot"] == "ur5e"
    assert params["controller"] == "arm_controller" and params["blocks"] == ["red", "green"]


def test_group_namespace_conditions_and_env(tmp_path, monkeypatch):
    monkeypatch.setenv("CB_TEST_NS", "lab")
    f = tmp_path / "x.launch.xml"
    f.write_text("""<launch>
      <arg name="use_sim" default="true"/>
      <group>
        <push-ros-namespace namespace="$(env CB_TEST_NS)"/>
        <node pkg="codebot" exec="sim_robot_node" name="a" if="$(var use_sim)">
          <remap from="joint_states" to="/js"/>
        </node>
      </group>
      <node pkg="codebot" exec="codebot_node" name="b" unless="$(var use_sim)"/>
    </launch>""")
    nodes = parse_launch(f)
    assert len(nodes) == 1 and nodes[0].fqn == "/lab/a" and nodes[0].remaps == [("joint_states", "/js")]
    assert [n.name for n in parse_launch(f, {"use_sim": "false"})] == ["b"]


@pytest.mark.parametrize("body, message", [
    ("<launch><arg name='x'/></launch>", "required"),
    ("<launch><node pkg='codebot' exec='sim_robot_node' name='$(var nope)'/></launch>", "undefined"),
    ("<launch><timer period='1'/></launch>", "unsupported launch tag"),
    ("<notlaunch/>", "root element"),
    ("<launch><node", "cannot read"),
])
def test_bad_launch_files_raise_clear_errors(tmp_path, body, message):
    f = tmp_path / "bad.launch.xml"
    f.write_text(body)
    with pytest.raises(LaunchError, match=message):
        parse_launch(f)


def test_unknown_executable_is_an_error_and_cli_prints(tmp_path, capsys):
    f = tmp_path / "u.launch.xml"
    f.write_text("<launch><node pkg='other' exec='thing' name='t'/></launch>")
    assert main([str(f), "--print"]) == 1
    assert "unknown executable" in capsys.readouterr().err
    assert main([str(LAUNCH / "sim_robot.launch.xml"), "--print"]) == 0
    assert "codebot.ros.nodes.sim_robot_node" in capsys.readouterr().out


def test_package_xml_is_a_valid_format3_manifest():
    import xml.etree.ElementTree as ET

    root = ET.parse(LAUNCH / "package.xml").getroot()
    assert root.tag == "package" and root.get("format") == "3"
    assert root.findtext("name") == "codebot"
    deps = {d.text for d in root.findall("exec_depend")}
    assert {"rclpy", "sensor_msgs", "trajectory_msgs", "std_msgs", "std_srvs"} <= deps


def test_install_package_lays_out_an_ament_prefix(tmp_path):
    import os
    import subprocess
    import sys

    from codebot.ros.tools.install_package import install

    written = install(tmp_path)
    share = tmp_path / "share" / "codebot"
    assert (share / "package.xml").exists() and (share / "launch" / "codebot_sim.launch.xml").exists()
    assert (share / "launch" / "config" / "sim_robot.yaml").exists()
    assert (tmp_path / "share/ament_index/resource_index/packages/codebot").exists()
    node = tmp_path / "lib" / "codebot" / "sim_robot_node"
    assert node in written and os.access(node, os.X_OK)
    assert "-m codebot.ros.nodes.sim_robot_node" in node.read_text()
    # the installed launch files still resolve (their $(dirname) now points into share/)
    nodes = parse_launch(share / "launch" / "codebot_sim.launch.xml")
    assert nodes[0].params_files == [str(share / "launch" / "config" / "sim_robot.yaml")]
    # $(find-pkg-share codebot) resolves through AMENT_PREFIX_PATH like ros2 launch does
    f = tmp_path / "find.launch.xml"
    f.write_text("<launch><node pkg='codebot' exec='codebot_node' name='c'>"
                 "<param from='$(find-pkg-share codebot)/launch/config/codebot.yaml'/></node></launch>")
    env_before = os.environ.get("AMENT_PREFIX_PATH")
    os.environ["AMENT_PREFIX_PATH"] = str(tmp_path)
    try:
        assert parse_launch(f)[0].params_files == [str(share / "launch" / "config" / "codebot.yaml")]
    finally:
        if env_before is None:
            os.environ.pop("AMENT_PREFIX_PATH")
        else:
            os.environ["AMENT_PREFIX_PATH"] = env_before
    assert subprocess.run(["sh", "-n", str(node)], timeout=5).returncode == 0
    assert sys.executable in node.read_text()  # the interpreter codebot is installed in
