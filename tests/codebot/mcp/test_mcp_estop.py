"""An e-stop engaged on the MCP sim robot holds until released, even for a program that had not yet
reached the robot's worker when it was pressed (the program is killed as it starts, the world untouched
by it); after release the next program runs."""
from __future__ import annotations

import importlib.util

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("pybullet") is None, reason="needs codebot[sim]")


def test_an_engaged_estop_stops_a_program_that_starts_after_it_until_release():
    from codebot.mcp.robots import RobotWorld

    world = RobotWorld("sim", scene={"blocks": ["red"], "bowls": ["blue"]})
    try:
        world.wait_ready()
        before = {o["name"]: o["position"] for o in world.observe()}
        # pressed while nothing runs yet: the dispatch that was about to start must not move the robot
        assert "none will start until release" in world.stop()
        halted = world.run("put_first_on_second('red block', 'blue bowl')")
        assert not halted.ok and halted.exit_reason != "ok", halted
        after = {o["name"]: o["position"] for o in world.observe()}
        assert after == before, "a program started under an engaged e-stop moved the world"
        world.release()
        moved = world.run("put_first_on_second('red block', 'blue bowl')")
        assert moved.ok, moved
        assert {o["name"]: o["position"] for o in world.observe()}["red block"] != before["red block"]
    finally:
        world.close()
