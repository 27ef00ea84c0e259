"""ExecuteInstruction results from codebot_node verdicts (codebot.ros.dispatch.results), without DDS."""
from __future__ import annotations

import pytest

from codebot.ros.dispatch.results import result_fields

SIM_OK = {"success": True, "reason": "red block is in blue bowl", "verdict_source": "checker", "episode_id": "ep-1"}
PASSED = {"passed": True, "forced": False, "reasons": [], "dispatch": True}


def verdict(**kw):
    return {"id": "g1", "instruction": "put the red block in the blue bowl", "code": "put_first_on_second('a', 'b')",
            "sim": SIM_OK, "gate": PASSED, "dispatched": False, **kw}


def test_a_dispatched_verdict_is_success_with_its_record_fields():
    r = result_fields(verdict(outcome="dispatched", dispatched=True, rosbag="/bags/dispatch-1",
                              dispatch={"ok": True, "error": None}))
    assert r == {"success": True, "verdict_source": "checker", "verdict": "red block is in blue bowl",
                 "program": "put_first_on_second('a', 'b')", "trace_id": "ep-1", "bag_path": "/bags/dispatch-1",
                 "error_code": "NONE", "error_message": "verified in simulation and run on the robot"}
    forced = result_fields(verdict(outcome="dispatched", gate={**PASSED, "passed": False, "forced": True}))
    assert forced["success"] and "FORCED" in forced["error_message"]
    # a dispatched program that raised is no success
    assert not result_fields(verdict(outcome="dispatched", error="boom"))["success"]


@pytest.mark.parametrize("code, sim, gate, expected", [
    ("", {"success": False, "reason": "the LLM returned no code", "verdict_source": "none"}, None, "LLM_FAILED"),
    ("x()", {"success": False, "reason": "no checker", "verdict_source": "unchecked"}, None, "UNCHECKED"),
    ("x()", {"success": False, "reason": "no checker", "verdict_source": None}, None, "UNCHECKED"),
    ("x()", {"success": False, "reason": "block not in bowl", "verdict_source": "checker"}, None, "SIM_FAILED"),
    ("x()", {"success": False, "reason": "did not finish", "verdict_source": "none"}, None, "SIM_FAILED"),
    # the episode names a crashed run "unchecked" too: what decides is whether a check was there
    ("x()", {"success": False, "reason": "did not finish", "verdict_source": "unchecked", "checked": True}, None,
     "SIM_FAILED"),
    ("x()", {"success": False, "reason": "no checker", "verdict_source": "unchecked", "checked": False}, None,
     "UNCHECKED"),
    # nothing to check it, but the run itself failed: that is a failure in simulation
    ("x()", {"success": False, "reason": "the program did not finish (exception): OutsideWorkspaceError",
             "verdict_source": "unchecked", "checked": False}, None, "SIM_FAILED"),
    ("x()", {"success": False, "reason": "finished", "verdict_source": "unchecked", "checked": False},
     {"passed": False, "reasons": ["safety violation in simulation: move_to: outside_workspace"]}, "SIM_FAILED"),
    ("x()", SIM_OK, {"passed": False, "forced": False, "reasons": ["safety violation in simulation: collision"]},
     "GATED"),
])
def test_gated_verdicts_say_why(code, sim, gate, expected):
    r = result_fields(verdict(outcome="gated", code=code, sim=sim, gate=gate or {"passed": False, "reasons": ["x"]}))
    assert (r["success"], r["error_code"], r["bag_path"]) == (False, expected, "")
    assert r["error_message"]


@pytest.mark.parametrize("kind, expected", [("emergency_stop", "ESTOPPED"), ("commander_lost", "COMMANDER_LOST"),
                                            ("robot_connection", "ROBOT_LOST"), ("motion_failed", "DISPATCH_FAILED"),
                                            (None, "DISPATCH_FAILED")])
def test_dispatch_failures_by_error_kind(kind, expected):
    error = {"kind": kind, "message": "it failed"} if kind else None
    r = result_fields(verdict(outcome="dispatch_failed", dispatched=True, rosbag="/bags/b", error="it failed",
                              dispatch={"ok": False, "error": error}))
    assert (r["success"], r["error_code"], r["bag_path"]) == (False, expected, "/bags/b")
    assert "it failed" in r["error_message"]


@pytest.mark.parametrize("outcome, error, expected", [
    ("rejected", "queue full (9 commands ahead, queue_depth=8)", "REJECTED_BUSY"),
    ("rejected", "codebot_node is shutting down", "REJECTED_BUSY"),
    ("rejected", "command too long (3000 bytes > max_command_bytes 2000)", "REJECTED_INVALID"),
    ("rejected", "robot '/other' is not this node's robot_namespace '/robot'", "REJECTED_INVALID"),
    ("timeout", "no result within command_timeout=900.0 s", "TIMEOUT"),
    ("canceled", "canceled during dispatch: the arm was halted", "CANCELED"),
    ("error", "the robot latched commander_lost (no heartbeat)", "COMMANDER_LOST"),
    ("error", "no joint_states/objects from the robot: is it running under '/robot'?", "ROBOT_LOST"),
    ("error", "RuntimeError: boom", "INTERNAL_ERROR"),
    ("something new", "", "INTERNAL_ERROR"),
])
def test_other_outcomes(outcome, error, expected):
    r = result_fields({"id": "g", "outcome": outcome, "error": error, "dispatched": False})
    assert (r["success"], r["error_code"]) == (False, expected)
    assert r["error_message"] and (not error or error in r["error_message"])
    assert (r["program"], r["trace_id"], r["verdict_source"]) == ("", "", "")


def test_a_dry_run_that_passed_the_gate_is_success_without_a_bag():
    r = result_fields(verdict(outcome="verified", dry_run=True))
    assert r["success"] and r["error_code"] == "NONE" and r["bag_path"] == "" and "dry run" in r["error_message"]


def test_result_of_builds_the_message():
    pytest.importorskip("rclpy")
    ei = pytest.importorskip("codebot_interfaces.action")
    res = __import__("codebot.ros.dispatch.results", fromlist=["result_of"]).result_of(
        verdict(outcome="gated", sim={"success": False, "reason": "not in bowl", "verdict_source": "checker"}))
    assert isinstance(res, ei.ExecuteInstruction.Result)
    assert (res.success, res.error_code, res.verdict) == (False, ei.ExecuteInstruction.Result.SIM_FAILED, "not in bowl")
