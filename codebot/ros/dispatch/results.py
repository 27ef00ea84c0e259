"""The ExecuteInstruction action's result from codebot_node's verdict dict (the one `finish()` records and
publishes for every command). Pure: `result_fields` needs no ROS; `result_of` builds the message."""
from __future__ import annotations

from typing import Any

# dispatch error kinds (codebot.primitives.errors / liveliness) -> result code names
DISPATCH_KINDS = {"emergency_stop": "ESTOPPED", "commander_lost": "COMMANDER_LOST", "robot_connection": "ROBOT_LOST"}
CHECKED_SOURCES = ("checker", "goal spec")
BUSY_REASONS = ("queue full", "shutting down", "goals in progress")


def _gated_code(verdict: dict) -> tuple[str, str]:
    sim, gate = verdict.get("sim") or {}, verdict.get("gate") or {}
    reasons = "; ".join(gate.get("reasons") or []) or sim.get("reason") or ""
    if not verdict.get("code"):
        return "LLM_FAILED", f"no program was written: {sim.get('reason') or reasons or 'the LLM gave none'}"
    checked = sim.get("checked")  # a task template or goal spec was there to judge the twin run
    if checked is None:  # a verdict without the field: only a checked source says so
        checked = sim.get("verdict_source") in CHECKED_SOURCES or sim.get("verdict_source") == "none"
    # a run that crashed or broke a safety limit failed in simulation, checked or not
    failed_run = (any("safety violation" in r for r in gate.get("reasons") or [])
                  or str(sim.get("reason") or "").startswith(("the program did not finish", "safety violations")))
    if not checked and not failed_run:
        return "UNCHECKED", f"nothing could check this instruction in simulation, so it was not dispatched: {reasons}"
    if not sim.get("success"):
        return "SIM_FAILED", f"the program failed in simulation: {reasons}"
    return "GATED", f"the simulation check passed but the gate stopped the program: {reasons}"


def result_fields(verdict: dict[str, Any]) -> dict[str, Any]:
    """The Result's fields, with `error_code` as the constant's NAME ("NONE", "SIM_FAILED", ...)."""
    sim = verdict.get("sim") or {}
    outcome = verdict.get("outcome")
    error = str(verdict.get("error") or "")
    fields = {"success": False, "verdict_source": str(sim.get("verdict_source") or ""),
              "verdict": str(sim.get("reason") or ""), "program": str(verdict.get("code") or ""),
              "trace_id": str(sim.get("episode_id") or ""), "bag_path": str(verdict.get("rosbag") or "")}
    if outcome == "dispatched" and not error:
        code, message = "NONE", "verified in simulation and run on the robot"
        if (verdict.get("gate") or {}).get("forced"):
            message = "FORCED: dispatched without a passing simulation check; the robot ran it to its end"
        fields["success"] = True
    elif outcome == "verified" and not error:  # a dry run that passed the gate
        code, message = "NONE", "dry run: verified in simulation, not dispatched"
        fields["success"] = True
    elif outcome == "gated":
        code, message = _gated_code(verdict)
    elif outcome == "dispatch_failed":
        kind = ((verdict.get("dispatch") or {}).get("error") or {}).get("kind")
        code = DISPATCH_KINDS.get(kind, "DISPATCH_FAILED")
        message = f"the dispatch failed ({kind or 'no error kind'}): {error}"
    elif outcome == "canceled":
        code, message = "CANCELED", error or "canceled by the client"
    elif outcome == "timeout":
        code, message = "TIMEOUT", error
    elif outcome == "rejected":
        code = "REJECTED_BUSY" if any(r in error for r in BUSY_REASONS) else "REJECTED_INVALID"
        message = error
    elif outcome == "error" and "commander_lost" in error:
        code, message = "COMMANDER_LOST", error
    elif outcome == "error" and "no joint_states/objects from the robot" in error:
        code, message = "ROBOT_LOST", error
    else:  # "error", or anything this mapping does not know
        code, message = "INTERNAL_ERROR", error or f"unexpected outcome {outcome!r}"
    fields.update(error_code=code, error_message=message)
    return fields


def result_of(verdict: dict[str, Any]):
    """codebot_interfaces/action/ExecuteInstruction.Result for a verdict."""
    from codebot_interfaces.action import ExecuteInstruction

    fields = result_fields(verdict)
    fields["error_code"] = getattr(ExecuteInstruction.Result, fields["error_code"])
    return ExecuteInstruction.Result(**fields)
