"""codebot.registry: one duplicate rule, "did you mean" on a miss, entry points read once, run-time entries
forwarded to the sim server (a fresh interpreter) and every registry built on the one type."""
from __future__ import annotations

import importlib.metadata

import pytest

from codebot import registry as reg
from codebot.primitives.errors import InvalidArgumentError
from codebot.registry import DuplicateNameError, Registry, UnknownNameError


@pytest.fixture
def scratch():
    r = Registry("widget", "codebot.test_widgets")
    yield r
    reg._ALL.pop("codebot.test_widgets", None)


def test_same_entry_point_again_is_a_no_op_and_a_different_one_raises(scratch):
    first = scratch.register("w", "json:dumps")
    assert scratch.register("w", "json:dumps") is first
    with pytest.raises(DuplicateNameError, match="'w' is already registered as 'json:dumps'"):
        scratch.register("w", "json:loads")
    scratch.register("w", "json:loads", replace=True)
    assert scratch.get("w") is importlib.import_module("json").loads


def test_a_miss_names_the_registered_entries_and_suggests_the_nearest(scratch):
    scratch.register("gripper", "json:dumps")
    with pytest.raises(UnknownNameError) as e:
        scratch.get("griper")
    assert "unknown widget 'griper' (did you mean 'gripper'?); registered: gripper" == str(e.value)
    assert isinstance(e.value, KeyError) and isinstance(e.value, ValueError) and e.value.valid == ["gripper"]


def test_bad_names_and_entry_points_are_refused(scratch):
    for name, ep in [("", "json:dumps"), ("w", "json"), ("w", ":dumps"), (None, "json:dumps")]:
        with pytest.raises(ValueError):
            scratch.register(name, ep)


def test_entry_points_are_read_once_and_a_clash_with_a_builtin_raises(scratch, monkeypatch):
    calls = []

    def fake_entry_points(group):
        calls.append(group)
        ep = importlib.metadata.EntryPoint("w", "json:loads", group)
        return [ep]

    monkeypatch.setattr(reg.importlib.metadata, "entry_points", fake_entry_points)
    assert "w" in scratch and scratch["w"].source == reg.ENTRY_POINT and list(scratch) == ["w"]
    assert calls == ["codebot.test_widgets"]
    other = Registry("gadget", "codebot.test_gadgets")
    try:
        other.builtin("w", "json:dumps")
        with pytest.raises(DuplicateNameError):
            "w" in other  # the lookup reads the entry points
    finally:
        reg._ALL.pop("codebot.test_gadgets", None)


def test_only_run_time_entries_are_forwarded_and_apply_replays_them(scratch):
    scratch.builtin("b", "json:dumps")
    scratch.register("r", "json:loads")
    forwarded = [r for r in reg.runtime_registrations() if r["group"] == "codebot.test_widgets"]
    assert forwarded == [{"group": "codebot.test_widgets", "name": "r", "entry_point": "json:loads"}]
    scratch.remove("r")
    reg.apply_registrations(forwarded)
    assert scratch["r"].entry_point == "json:loads"
    with pytest.raises(UnknownNameError, match="no registry for entry-point group"):
        reg.apply_registrations([{"group": "codebot.nope", "name": "x", "entry_point": "json:dumps"}])


def test_every_pluggable_kind_is_one_registry_type():
    groups = reg.registries()
    for group in ("codebot.robots", "codebot.envs", "codebot.tasks", "codebot.targets", "codebot.llm_backends",
                  "codebot.perception", "codebot.detectors"):
        assert isinstance(groups[group], Registry), group
    from codebot import sim
    from codebot.checks.tasks import get_task

    with pytest.raises(InvalidArgumentError, match=r"unknown robot 'ur5' \(did you mean 'ur5e'\?\)"):
        sim.robot_class("ur5")
    assert get_task(2).name == get_task("stack_all_blocks").name
    with pytest.raises(KeyError, match="did you mean 'stack_all_blocks'"):
        get_task("stack_all_block")


def test_a_robot_registered_at_run_time_reaches_the_sim_server():
    """The README's recipe: `register_robot` in your own process, then the sandboxed run uses it."""
    from codebot import sim
    from codebot.sandbox.pool import WorkerPool

    sim.register_robot("ur5e_again", "codebot.sim.robots.ur5e:UR5e")
    pool = WorkerPool("sim", {"robot": "ur5e_again", "seed": 0}, size=1)
    try:
        result = pool.run("result = sorted(get_obj_names())", reset={"seed": 0}, timeout_s=60)
        assert result.ok and result.result, result
    finally:
        pool.close()
        sim.ROBOTS.remove("ur5e_again")
