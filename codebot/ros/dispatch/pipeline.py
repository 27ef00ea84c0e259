"""What codebot_node does with one command: sync the twin from the robot, run the agent loop in the
twin, apply the gate, dispatch the same program to the robot (recorded to a rosbag2), report.
The verdict it returns is recorded and published by the node (codebot.ros.dispatch.command_log)."""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

from codebot.ros.recording.bag import BagRecorder
from codebot.ros.dispatch.gate import decide
from codebot.ros.plumbing.liveliness import DEFAULT_LEASE_S
from codebot.ros.dispatch.twin import scene_of, twin_state, write_twin_state


# agent events -> the turn phase codebot_node reports as its status (and ExecuteInstruction feedback)
TURN_PHASES = {"generating": "generating", "code": "simulating", "checking": "checking"}


class VerificationCanceled(Exception):
    """Raised from the agent's event sink when the running command was canceled: the agent stops between steps."""


class Pipeline:
    def __init__(self, params: dict[str, Any], log=None):
        self.p = params
        self.log = log
        self.run_id = uuid.uuid4().hex[:8]
        self.twin_path = Path(params["trace_dir"]) / "twin" / f"robot_state-{os.getpid()}-{self.run_id}.json"
        self._agent = None
        self._recorder: BagRecorder | None = None  # subscribed once, one bag per dispatch
        self.stage: tuple[str, str] = ("", "")  # (command id, "verifying" | "dispatching" | "") of the running one
        self._canceled = ""  # id of the running command a client canceled

    # --- stages -----------------------------------------------------------------------------------
    def agent(self):
        if self._agent is None:
            from codebot.agent_factory import build_agent, llm_options_from_path, twin_config

            self._agent = build_agent(twin_config(
                str(self.twin_path.resolve()), llm=self.p["llm"],
                llm_opts=llm_options_from_path(self.p["llm"], self.p["llm_path"]), robot=self.p["robot"],
                seed=int(self.p["seed"]), attempts=int(self.p["attempts"]), trace_dir=self.p["trace_dir"]))
        return self._agent

    def verify(self, instruction: str, state: dict, on_event=None, attempts: int = 0):
        """Run the agent loop on the twin scene; returns the agent's EpisodeResult. on_event(kind, payload)
        hears the agent's steps (codebot.agent.Agent) and may raise to stop it; attempts > 0: this run's attempts
        instead of the node parameter (an ExecuteInstruction goal's own)."""
        from dataclasses import replace

        from codebot.checks.scene import SceneSpec

        agent = self.agent()
        agent.on_event = on_event or (lambda kind, payload: None)
        config = agent.config
        if attempts > 0:
            agent.config = replace(config, attempts=int(attempts))
        try:
            return agent.run(instruction, scene=SceneSpec.from_plain(scene_of(state)))
        finally:
            agent.on_event = lambda kind, payload: None
            agent.config = config

    def _turn_reporter(self, node, command_id: str):
        """The agent's event sink for one command: each turn's phase goes out as a status (with the
        attempt, the program and the check in words); a cancel of this command stops the agent there."""
        check = {"text": ""}

        def on_event(kind: str, payload: dict) -> None:
            if command_id and self._canceled == command_id:
                raise VerificationCanceled(f"canceled during verification (attempt {payload.get('turn', 0)})")
            if kind == "check":
                check["text"] = str(payload.get("description") or "")
            phase = TURN_PHASES.get(kind)
            if phase:
                node.status(phase, id=command_id, attempt=int(payload.get("turn", 0)),
                            program=payload.get("code", ""), check=check["text"])
        return on_event

    def dispatch(self, code: str, commander_id: str = ""):
        from codebot.sandbox import run_program

        config = {"namespace": self.p["robot_namespace"], "controller": self.p["controller"],
                  "control": self.p.get("control", "topic"),
                  "robot": self.p["robot"], "connect_timeout": 10.0,
                  "min_trajectory_subscribers": int(self.p["min_trajectory_subscribers"]),
                  # the program stops moving the robot as soon as this node's heartbeat stops
                  "commander_id": commander_id, "commander_max_age": DEFAULT_LEASE_S}
        return run_program(code, target="ros", target_config=config,
                           timeout_s=float(self.p["dispatch_timeout"]), call_budget=400)

    def abort_dispatch(self) -> None:
        """The robot halts on the e-stop topic itself and the dispatched RosRobot raises
        EmergencyStopError; nothing more to kill here."""

    def cancel(self, command_id: str) -> str:
        """Cancel the running command: a verification stops at the agent's next step (a running LLM call or
        twin run ends first) and nothing is dispatched; a dispatch is the caller's to halt
        (codebot.ros.dispatch.action_server). Returns the stage it was in ("" if
        that command is not the running one)."""
        running, stage = self.stage
        if running == command_id and stage:
            self._canceled = command_id
            return stage
        return ""

    # --- one command ------------------------------------------------------------------------------
    def handle(self, instruction: str, node, command_id: str = "", **options) -> dict[str, Any]:
        """options (ExecuteInstruction goals): force, dry_run (stop after the gate), attempts (> 0: this goal's)."""
        try:
            return self._handle(instruction, node, command_id, options)
        finally:
            self.stage, self._canceled = ("", ""), ""

    def _handle(self, instruction: str, node, command_id: str, options: dict) -> dict[str, Any]:
        t0 = time.monotonic()
        timings: dict[str, float] = {}
        self.stage = (command_id, "starting")
        node.status("started", id=command_id, instruction=instruction)
        state = None
        deadline = time.monotonic() + float(self.p.get("robot_wait", 5.0))
        while state is None and time.monotonic() < deadline:
            state = node.robot_state()
            if state is None:
                time.sleep(0.05)
        if state is None:
            return {"instruction": instruction, "dispatched": False, "outcome": "error",
                    "error": "no joint_states/objects from the robot: is it running under "
                             f"'{self.p['robot_namespace'] or '/'}'?"}
        names, joints, objects = state
        twin = twin_state(names, joints, objects)
        write_twin_state(self.twin_path, twin)
        self.stage = (command_id, "verifying")
        node.status("verifying", scene=scene_of(twin))
        t = time.monotonic()
        try:
            ep = self.verify(instruction, twin, self._turn_reporter(node, command_id), int(options.get("attempts", 0)))
        except VerificationCanceled as exc:
            return {"instruction": instruction, "code": "", "dispatched": False, "outcome": "canceled",
                    "error": f"{exc}: nothing was dispatched",
                    "timings": {"verify_s": time.monotonic() - t, "total_s": time.monotonic() - t0}}
        timings["verify_s"] = time.monotonic() - t
        code = getattr(ep, "code", "") or ""
        from std_msgs.msg import String

        node.pub_code.publish(String(data=code))
        sim_result = last_result(ep)
        verdict_obj = getattr(ep, "verdict", None)
        reason = verdict_obj if isinstance(verdict_obj, str) else getattr(verdict_obj, "reason", "")
        gate = decide(bool(getattr(ep, "success", False)) and bool(code), sim_result, reason,
                      force=bool(self.p["force"] or options.get("force")))
        node.status("gate", **gate.to_dict(), program=code, turns=len(getattr(ep, "turns", []) or []))
        out: dict[str, Any] = {"instruction": instruction, "code": code,
                               "sim": {"success": bool(getattr(ep, "success", False)), "reason": reason,
                                       "verdict_source": getattr(ep, "verdict_source", None)
                                       or getattr(verdict_obj, "verdict_source", None)
                                       or getattr(verdict_obj, "source", None),
                                       "checked": getattr(ep, "check", None) is not None,
                                       "turns": len(getattr(ep, "turns", []) or []),
                                       "trace": str(getattr(ep, "trace_path", "") or ""),
                                       "episode_id": getattr(ep, "trace_id", None)},
                               "gate": gate.to_dict(), "dispatched": False, "outcome": "gated"}
        stop = ("canceled" if self._canceled == command_id else
                 "verified" if options.get("dry_run") and gate.passed else "")
        if stop or not gate.dispatch:
            if stop == "canceled":
                out.update(outcome="canceled", error="canceled during verification (the twin run ended; "
                                                     "nothing was dispatched)")
            elif stop == "verified":
                out.update(outcome="verified", dry_run=True)
            elif options.get("dry_run"):
                out["dry_run"] = True
            else:
                node.get_logger().warn(f"gate stopped the program: {gate.reasons}")
            out["timings"] = {**timings, "total_s": time.monotonic() - t0}
            return out
        lost = node.robot_commander_lost()
        if lost:  # the robot refuses motion until a user resets it: say so instead of failing later
            out.update(outcome="error", error=f"the robot latched commander_lost ({lost.get('message', '')}); "
                                              f"call {self.p['robot_namespace'].rstrip('/')}/commander/reset")
            node.get_logger().error(f"not dispatched: {out['error']}")
            out["timings"] = {**timings, "total_s": time.monotonic() - t0}
            return out
        if gate.forced:
            node.get_logger().warn(f"FORCED dispatch without a passing gate: {gate.reasons}")
        bag_name = f"dispatch-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        bag_path = Path(self.p["bag_dir"]).resolve() / bag_name
        if self._recorder is None:
            self._recorder = BagRecorder(node, None, node.recorded_topics())
        recorder = self._recorder.start(bag_path)
        self.stage = (command_id, "dispatching")
        node.command_log.dispatching(command_id, str(bag_path))
        node.status("dispatching", id=command_id, rosbag=str(bag_path), forced=gate.forced)
        out.update(dispatched=True, rosbag=str(bag_path))
        t = time.monotonic()
        try:
            result = self.dispatch(code, node.commander_id)
        finally:
            time.sleep(0.2)  # the last joint states of the motion reach the bag
            try:
                recorder.stop()
            except Exception as exc:  # the journal stays; recover_bags turns it into the bag later
                out["bag_error"] = f"{type(exc).__name__}: {exc}"
        timings["dispatch_s"] = time.monotonic() - t
        out.update(bag_messages=recorder.count, outcome="dispatched" if result.ok else "dispatch_failed",
                   dispatch={"ok": bool(result.ok), "exit_reason": result.exit_reason, "error": result.error,
                             "calls": len(result.call_log), "call_log": call_log_summary(result.call_log)})
        if not result.ok:
            out["error"] = (result.error or {}).get("message") or result.exit_reason
        if self._canceled == command_id:
            out.update(outcome="canceled", error="canceled during dispatch: the arm was halted "
                                                 f"({out.get('error') or 'the program had ended'})")
        out["robot_check"] = robot_check(instruction, result)
        out["timings"] = {**timings, "total_s": time.monotonic() - t0}
        node.status("done", id=command_id, ok=bool(result.ok))
        return out

    def close(self) -> None:
        if self._agent is not None and hasattr(self._agent, "close"):
            self._agent.close()


def call_log_summary(call_log: list[dict], limit: int = 50) -> list[dict]:
    """The primitive calls a dispatch made (name, args, error kind/message): what the robot did up to
    the moment something went wrong."""
    out = []
    for entry in call_log[:limit]:
        item = {"name": entry.get("name"), "args": entry.get("args"), "t": entry.get("t")}
        err = entry.get("error")
        if err:
            item["error"] = {"kind": err.get("kind") or err.get("type"), "message": str(err.get("message", ""))[:300]}
        out.append(item)
    return out


def last_result(ep) -> Any:
    """The sandbox result of the final twin run of an episode (None when there was none)."""
    for name in ("result", "last_result", "sim_result"):
        value = getattr(ep, name, None)
        if value is not None:
            return value
    turns = getattr(ep, "turns", None) or []
    code = getattr(ep, "code", None)
    chosen = [t for t in turns if getattr(t, "code", None) == code]  # the turn whose program is dispatched
    for turn in reversed(chosen or turns):
        value = turn.get("result") if isinstance(turn, dict) else getattr(turn, "result", None)
        if value is not None:
            return value
    return None


def robot_check(instruction: str, result) -> dict[str, Any] | None:
    """The task's checker on what the robot's perception saw before and after the dispatch. This is
    a report about the robot, not a verification: success is only claimed from the twin."""
    try:
        from codebot.primitives.protocols import ObjectInfo
        from codebot.checks.tasks import match

        instance = match(instruction)
        if instance is None:
            return None

        v = instance.check([ObjectInfo.from_plain(o) for o in result.objects_before],
                           [ObjectInfo.from_plain(o) for o in result.objects_after])
        return {"checker_on_robot_perception": bool(v.success), "reason": v.reason}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
