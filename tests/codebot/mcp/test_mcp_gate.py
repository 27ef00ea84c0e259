"""The gate end to end, over stdio and over streamable HTTP on loopback, with the SDK's own client:
scene -> check_program (a correct and a wrong program) -> dispatch of the checked one moves the block
on the sim robot -> dispatch of a failed, unknown or stale trace id is refused."""
from __future__ import annotations

import json
import math

import anyio
import pytest
from mcp_helpers import GOOD, PICK_RED, WRONG, http_server, stdio_params
from waits import alive, descendants, wait_until

from codebot.mcp.errors import REFUSED

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def position(scene: dict, name: str) -> list[float]:
    return next(o["position"] for o in scene["objects"] if o["name"] == name)


async def gate_scenario(client) -> None:
    from mcp import MCPError

    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert {"describe_scene", "list_primitives", "run_instruction", "check_program", "dispatch", "estop",
            "status"} <= set(tools)
    program_schema = tools["check_program"].input_schema["properties"]["program"]
    assert program_schema["type"] == "string" and program_schema["maxLength"] == 20_000
    assert tools["dispatch"].output_schema["properties"]["ok"]["type"] == "boolean"

    scene = (await client.call_tool("describe_scene", {})).structured_content
    assert scene["target"] == "sim" and "top left corner" in scene["places"]
    red0, bowl = position(scene, "red block"), position(scene, "blue bowl")
    assert math.dist(red0[:2], bowl[:2]) > 0.1

    api = (await client.call_tool("list_primitives", {})).content[0].text
    assert "put_first_on_second" in api

    good = (await client.call_tool("check_program", {"program": GOOD, "instruction": PICK_RED})).structured_content
    assert good["success"] and good["verified"] and good["dispatchable"], good
    assert good["source"] == "checker" and any("red block moved" in c for c in good["scene_changes"])
    wrong = (await client.call_tool("check_program", {"program": WRONG, "instruction": PICK_RED})).structured_content
    assert not wrong["success"] and not wrong["dispatchable"], wrong
    assert "red block is not in the blue bowl" in wrong["reason"]

    # checks run in the twin: the robot has not moved
    scene = (await client.call_tool("describe_scene", {})).structured_content
    assert math.dist(position(scene, "red block"), red0) < 1e-3

    for trace_id, why in ((wrong["trace_id"], "did not pass the simulation gate"),
                          ("20260101-000000-deadbeef", "unknown trace id")):
        with pytest.raises(MCPError) as refused:
            await client.call_tool("dispatch", {"trace_id": trace_id})
        assert refused.value.code == REFUSED and why in refused.value.message

    done = (await client.call_tool("dispatch", {"trace_id": good["trace_id"]})).structured_content
    assert done["ok"] and done["exit_reason"] == "ok", done
    scene = (await client.call_tool("describe_scene", {})).structured_content
    red1 = position(scene, "red block")
    assert math.dist(red1[:2], bowl[:2]) < 0.05, (red1, bowl)  # the block is in the bowl on the robot

    # the scene it was checked on is gone: the same trace is refused until it is checked again
    with pytest.raises(MCPError) as stale:
        await client.call_tool("dispatch", {"trace_id": good["trace_id"]})
    assert stale.value.code == REFUSED and "scene changed" in stale.value.message

    trace = json.loads((await client.read_resource("codebot://episode/last/trace")).contents[0].text)
    assert trace["trace_id"] == good["trace_id"] and trace["dispatch"]["ok"] and trace["program"] == GOOD
    status = (await client.call_tool("status", {})).structured_content
    assert status["counts"]["dispatches"] == 1 and status["counts"]["refused"] == 3


@pytest.mark.parametrize("mode", ["auto", "legacy"])  # legacy: the initialize handshake older clients use
def test_gate_over_stdio(tmp_path, mode):
    from mcp import Client

    async def main():
        with anyio.fail_after(240):
            async with Client(stdio_params(tmp_path / "work"), mode=mode) as client:
                await gate_scenario(client)

    anyio.run(main)


def test_gate_over_http_on_loopback(tmp_path):
    from mcp import Client

    async def main(url):
        with anyio.fail_after(240):
            async with Client(url) as client:
                await gate_scenario(client)

    with http_server(tmp_path / "work") as (url, proc):
        assert url.startswith("http://127.0.0.1:")
        anyio.run(main, url)
        assert proc.poll() is None
        children = descendants(proc.pid)
        assert len(children) >= 2  # the twin's and the sim robot's sandbox workers
    # SIGTERM closes the server and every sandbox process it started
    wait_until(lambda: not alive(children), 60, "sandbox processes outlived the SIGTERMed MCP server",
               details=lambda: alive(children))
