"""The robot side over stdio: an e-stop halts a running dispatch and blocks the next until released;
a recorded episode's video and its frames are readable as resources (images a client can show)."""
from __future__ import annotations

import base64

import anyio
import pytest
from mcp_helpers import PICK_RED, stdio_params
from waits import await_until

from codebot.mcp.errors import REFUSED

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

# verified (the red block ends in the blue bowl, nothing else moved) and slow enough to stop halfway
SLOW_GOOD = "\n".join(["for i in range(4):", "    put_first_on_second('red block', 'red bowl')",
                       "    put_first_on_second('red block', 'blue bowl')"])


def with_client(tmp_path, body, timeout=240):
    from mcp import Client

    async def main():
        with anyio.fail_after(timeout):
            async with Client(stdio_params(tmp_path / "work")) as client:
                await body(client)

    anyio.run(main)


def test_estop_halts_a_running_dispatch_and_refuses_until_released(tmp_path):
    from mcp import MCPError

    async def body(client):
        check = (await client.call_tool("check_program", {"program": SLOW_GOOD, "instruction": PICK_RED})
                 ).structured_content
        assert check["dispatchable"], check
        out = {}

        async def dispatch():
            out["result"] = (await client.call_tool("dispatch", {"trace_id": check["trace_id"]})).structured_content

        async with anyio.create_task_group() as tg:
            tg.start_soon(dispatch)

            async def busy():
                return (await client.call_tool("status", {})).structured_content["robot_busy"]

            await await_until(busy, 60, "the dispatch never started running on the robot", interval=0.02)

            # robot_busy is set just before the program is handed to the sim robot's worker: an e-stop in
            # that instant finds nothing to kill (it says so, and stays engaged). Repeat it until it has
            # killed the running program — the event — instead of sleeping and hoping the handover is done.
            async def killed():
                stop = (await client.call_tool("estop", {})).structured_content
                assert stop["engaged"], stop
                return stop if "killed" in stop["message"] else None

            stop = await await_until(killed, 30, "the e-stop never killed the running dispatch", interval=0.02)
            assert stop["engaged"] and "killed" in stop["message"]
        result = out["result"]
        assert not result["ok"] and "e-stop" in result["error"], result
        with pytest.raises(MCPError) as refused:
            await client.call_tool("dispatch", {"trace_id": check["trace_id"]})
        assert refused.value.code == REFUSED and "e-stop is engaged" in refused.value.message
        released = (await client.call_tool("estop", {"release": True})).structured_content
        assert not released["engaged"]
        status = (await client.call_tool("status", {})).structured_content
        assert not status["estop_engaged"] and not status["robot_busy"]
        scene = (await client.call_tool("describe_scene", {})).structured_content
        assert len(scene["objects"]) == 5  # the sim robot is back

    with_client(tmp_path, body)


def test_video_and_frames_of_the_last_episode_are_resources(tmp_path):
    from mcp import MCPError

    async def body(client):
        with pytest.raises(MCPError):  # nothing recorded yet
            await client.read_resource("codebot://episode/last/video")
        listed = {str(r.uri) for r in (await client.list_resources()).resources}
        assert {"codebot://episode/last/trace", "codebot://episode/last/video"} <= listed
        templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
        assert "codebot://episode/last/frames/{index}" in templates
        check = (await client.call_tool("check_program", {"program": "put_first_on_second('red block', 'blue bowl')",
                                                          "instruction": PICK_RED, "video": True})).structured_content
        assert check["verified"] and check["video"]
        video = (await client.read_resource("codebot://episode/last/video")).contents[0]
        assert video.mime_type == "video/mp4" and len(base64.b64decode(video.blob)) > 10_000
        for index in ("first", "0", "last"):
            frame = (await client.read_resource(f"codebot://episode/last/frames/{index}")).contents[0]
            assert frame.mime_type == "image/png" and base64.b64decode(frame.blob)[:8] == b"\x89PNG\r\n\x1a\n"
        with pytest.raises(MCPError) as bad:
            await client.read_resource("codebot://episode/last/frames/999999")
        assert "frame index must be" in bad.value.message

    with_client(tmp_path, body)
