"""--target ros: the MCP server checks in a twin synced from a ROS 2 robot (sim_robot_node in its own
process, real DDS on localhost) and dispatches through codebot's ros target, as codebot_node does."""
from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys

import anyio
import pytest
from mcp_helpers import GOOD, PICK_RED, REPO, WRONG, child_env, stdio_params
from waits import DISCOVERY_S, await_until

from codebot.mcp.errors import REFUSED

pytestmark = [pytest.mark.ros, pytest.mark.slow, pytest.mark.timeout(420)]


@pytest.fixture
def ros_robot(tmp_path, monkeypatch):
    pytest.importorskip("rclpy")
    from ros_domains import private_domain

    with private_domain(monkeypatch):
        yield from _ros_robot(tmp_path)


def _ros_robot(tmp_path):
    log = open(tmp_path / "sim_robot.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "codebot.ros.nodes.sim_robot_node",
                             "--ros-args", "-r", "__ns:=/robot", "-p", "camera_rate:=0.0",
                             "-p", "blocks:=[red,green]", "-p", "bowls:=[blue,yellow]"],
                            stdout=log, stderr=subprocess.STDOUT, cwd=str(REPO), env=child_env(),
                            start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        log.close()


def position(scene: dict, name: str) -> list[float]:
    return next(o["position"] for o in scene["objects"] if o["name"] == name)


def test_dispatch_goes_through_the_ros_path_and_moves_the_block(tmp_path, ros_robot):
    from mcp import Client, MCPError

    async def main():
        with anyio.fail_after(360):
            async with Client(stdio_params(tmp_path / "work", "--target", "ros", "--namespace", "/robot")) as client:
                async def four_objects():  # discovery and the robot's first objects message
                    try:
                        scene = (await client.call_tool("describe_scene", {})).structured_content
                    except MCPError:
                        return None
                    return scene if len(scene["objects"]) == 4 else None

                scene = await await_until(four_objects, DISCOVERY_S,
                                          "the MCP server never described the ROS robot's 4 objects",
                                          interval=0.2)
                assert scene["target"] == "ros"
                red0, bowl = position(scene, "red block"), position(scene, "blue bowl")
                wrong = (await client.call_tool("check_program", {"program": WRONG, "instruction": PICK_RED})
                         ).structured_content
                assert not wrong["dispatchable"]
                with pytest.raises(MCPError) as refused:
                    await client.call_tool("dispatch", {"trace_id": wrong["trace_id"]})
                assert refused.value.code == REFUSED
                good = (await client.call_tool("check_program", {"program": GOOD, "instruction": PICK_RED})
                        ).structured_content
                assert good["verified"] and good["dispatchable"], good
                # the twin was synced from the robot: its perceived objects and its joint state
                twin = json.loads(next((tmp_path / "work" / "twin").glob("robot_state-*.json")).read_text())
                assert len(twin["joints"]) == len(twin["joint_names"]) == 6 and len(twin["objects"]) == 4
                done = (await client.call_tool("dispatch", {"trace_id": good["trace_id"]})).structured_content
                assert done["ok"] and done["target"] == "ros", done
                async def red_in_bowl():  # the robot's objects topic catches up with the motion
                    red = position((await client.call_tool("describe_scene", {})).structured_content, "red block")
                    return red if math.dist(red[:2], bowl[:2]) < 0.05 else None

                red1 = await await_until(red_in_bowl, 30, "the robot's objects never showed the red block in the "
                                         "blue bowl after the dispatch", interval=0.1)
                assert math.dist(red1, red0) > 0.1
                stop = (await client.call_tool("estop", {})).structured_content
                assert stop["engaged"] and "/robot/estop" in stop["message"]
                with pytest.raises(MCPError) as engaged:
                    await client.call_tool("dispatch", {"trace_id": good["trace_id"]})
                assert "e-stop is engaged" in engaged.value.message
                assert not (await client.call_tool("estop", {"release": True})).structured_content["engaged"]

    anyio.run(main)
