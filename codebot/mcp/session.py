"""One MCP server session's gate: every program (the client's or codebot's LLM's) is checked in a sim
twin of the robot's current scene, and only a program that a real checker verified *in this session*
can be dispatched, by the trace id its check returned.

Blocking and thread-safe; the MCP layer (codebot.mcp.server) calls it from worker threads. Nothing
here imports the `mcp` SDK.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from codebot.mcp.errors import Refused
from codebot.mcp.verdict import GateResult, dispatch_gate, last_run, verdict_of

Progress = Callable[[float, float, str], None]
ShouldStop = Callable[[], bool]


@dataclass
class ServerConfig:
    target: str = "sim"  # where dispatch goes: sim (a persistent sim robot) | ros (a ROS 2 robot)
    robot: str = "ur5e"
    seed: int = 0
    scene: dict | None = None  # sim robot: {"blocks": [colours], "bowls": [colours]}; None: the default
    llm: str = "local"
    llm_opts: dict[str, Any] = field(default_factory=dict)
    max_attempts: int = 5
    timeout_s: float = 60.0  # per sandboxed run in the twin
    call_budget: int = 200
    dispatch_timeout_s: float = 120.0
    work_dir: str = "runs/mcp"  # traces, twin state, videos
    namespace: str = ""  # ros: the robot's namespace (joint_states, estop, <controller>/joint_trajectory)
    controller: str = "arm_controller"
    scene_tolerance_m: float = 0.01  # an object moved more than this since the check: re-check first
    max_records: int = 256


@dataclass
class CheckRecord:
    trace_id: str
    kind: str  # "check" (the client's program) | "run" (codebot's LLM wrote it)
    instruction: str | None
    goal: str | None
    program: str
    verdict: dict
    gate: GateResult
    scene: list[dict]  # the robot's objects the twin was synced to
    turns: list[dict]
    scene_changes: list[str]
    timings: dict
    video_path: str | None = None
    trace_path: str | None = None
    dispatched: bool = False

    def summary(self) -> dict[str, Any]:
        return {"trace_id": self.trace_id, "kind": self.kind, "instruction": self.instruction, "goal": self.goal,
                "program": self.program, **{k: self.verdict[k] for k in ("success", "source", "reason", "verified")},
                "dispatchable": self.gate.passed, "gate_reasons": list(self.gate.reasons),
                "scene_changes": list(self.scene_changes), "attempts": len(self.turns),
                "feedback": self.turns[-1]["feedback"] if self.turns else "",
                "seconds": round(float(self.timings.get("total_s", 0.0)), 4), "video": bool(self.video_path)}


class Cancelled(Exception):
    """The client cancelled the call; the episode stopped at its next step."""


class GateSession:
    def __init__(self, config: ServerConfig, llm=None):
        from codebot.mcp.robots import RobotWorld

        self.config = c = config
        self.work_dir = Path(c.work_dir).resolve()
        (self.work_dir / "traces").mkdir(parents=True, exist_ok=True)
        self.robot = RobotWorld(c.target, robot=c.robot, seed=c.seed, scene=c.scene, namespace=c.namespace,
                                controller=c.controller)
        self._llm = llm
        self._agent = None
        self._twin_path = self.work_dir / "twin" / f"robot_state-{time.time_ns()}.json"
        self._twin_lock = threading.Lock()  # one twin episode at a time (the Agent is not thread-safe)
        self._state_lock = threading.Lock()
        self._dispatch_lock = threading.Lock()  # one dispatch at a time, from the scene check to the end
        self.records: "OrderedDict[str, CheckRecord]" = OrderedDict()
        self.last: dict[str, Any] | None = None  # last episode: {"record": CheckRecord | None, "dispatch": {...}}
        self.estopped = False
        self.counts = {"checks": 0, "runs": 0, "dispatches": 0, "refused": 0, "cancelled": 0}
        self.last_cancelled: dict | None = None
        self.busy: dict[str, str] = {}
        self.started = time.time()

    # ------------------------------------------------------------------------------------ parts
    def agent(self):
        """The twin agent: its sandbox workers run the twin target (the tabletop synced to the robot's
        objects), which declares itself judged: it matches tasks and judges as the simulator does."""
        if self._agent is None:
            from codebot.agent_factory import build_agent, twin_config
            from codebot.ros.dispatch.twin import write_twin_state

            c = self.config
            if not self._twin_path.exists():  # the twin's workers read it at start; each run re-syncs it
                write_twin_state(self._twin_path, {"joint_names": [], "joints": [], "objects": []})
            self._agent = build_agent(twin_config(str(self._twin_path), llm=c.llm, llm_opts=dict(c.llm_opts),
                                                  robot=c.robot, seed=c.seed, attempts=1,
                                                  trace_dir=str(self.work_dir / "traces"), timeout_s=c.timeout_s,
                                                  call_budget=c.call_budget), llm=self._llm)
        return self._agent

    def _sync_twin(self):
        """Write the robot's current objects for the twin; return (objects, SceneSpec)."""
        from codebot.ros.dispatch.twin import scene_of, write_twin_state
        from codebot.checks.scene import SceneSpec

        objects = self.robot.observe()
        names, joints = self.robot.joints() or ([], [])
        state = {"joint_names": names, "joints": joints, "objects": objects}  # observe() gives the plain records
        write_twin_state(self._twin_path, state)
        return objects, SceneSpec.from_plain(scene_of(state))

    def _video_path(self, kind: str) -> str:
        path = self.work_dir / "videos" / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**6}.mp4"
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(path)

    # ------------------------------------------------------------------------------------ tools
    def describe_scene(self) -> dict[str, Any]:
        from codebot.primitives.geometry import LOCATION_NAMES
        from codebot.primitives.protocols import ObjectInfo
        from codebot.primitives.workspace import DEFAULT_WORKSPACE as ws

        objects = self.robot.observe()
        return {"target": self.config.target, "robot": self.config.robot,
                # the full records; the tool's Scene model shows the client name, kind, colour, position, yaw
                "objects": [ObjectInfo.from_plain(o).to_plain() for o in objects],
                "places": list(LOCATION_NAMES),
                "workspace": {"x": list(ws.x), "y": list(ws.y), "z": list(ws.z), "table_z": ws.table_z}}

    def list_primitives(self) -> str:
        from codebot import primitives as prims
        from codebot.primitives.registry import render_api

        prims.load_all()
        return render_api(("core",))

    def check_program(self, program: str, instruction: str | None = None, goal: str | None = None,
                      video: bool = False, progress: Progress | None = None) -> CheckRecord:
        progress = progress or (lambda *a: None)
        with self._busy("check_program"), self._twin_lock:
            agent = self.agent()
            progress(0, 2, "syncing the sim twin to the robot's scene")
            objects, scene = self._sync_twin()
            agent.config = replace(agent.config, video=self._video_path("check") if video else None)
            kwargs: dict[str, Any] = {"scene": scene}
            if goal is not None:
                import inspect

                if "goal" not in inspect.signature(agent.check_program).parameters:
                    raise Refused("goal specs are not supported by this codebot version; pass an instruction")
                kwargs["goal"] = goal
            progress(1, 2, "running the program in the sandbox against the twin")
            episode = agent.check_program(program, instruction or goal or "", **kwargs)
            progress(2, 2, "judged")
        from codebot.trace import new_episode_id

        return self._record("check", new_episode_id(), episode, instruction, goal, objects)

    def run_instruction(self, instruction: str, attempts: int, video: bool = False,
                        progress: Progress | None = None, should_stop: ShouldStop | None = None) -> CheckRecord:
        progress = progress or (lambda *a: None)
        should_stop = should_stop or (lambda: False)
        started = {"turns": 0}

        def on_event(kind: str, payload: dict) -> None:
            if should_stop():
                raise Cancelled(f"cancelled after {started['turns']} attempt(s)")
            if kind == "code":
                started["turns"] = payload["turn"]
                progress(2 * payload["turn"] - 1, 2 * attempts,
                         f"attempt {payload['turn']}: program written, running it in the sim twin")
            elif kind == "feedback":
                progress(2 * payload["turn"], 2 * attempts,
                         f"attempt {payload['turn']}: {'verified' if payload['success'] else 'not verified'}")

        with self._busy("run_instruction"), self._twin_lock:
            agent = self.agent()
            progress(0, 2 * attempts, "syncing the sim twin to the robot's scene")
            objects, scene = self._sync_twin()
            agent.config = replace(agent.config, attempts=attempts,
                                   video=self._video_path("run") if video else None)
            agent.on_event = on_event
            try:
                if should_stop():
                    raise Cancelled("cancelled before the first attempt")
                episode = agent.run(instruction, scene=scene)
            except Cancelled as exc:
                with self._state_lock:
                    self.counts["cancelled"] += 1
                    self.last_cancelled = {"instruction": instruction, "attempts_started": started["turns"],
                                           "attempts_allowed": attempts, "reason": str(exc), "time": time.time()}
                raise
            finally:
                agent.on_event = lambda kind, payload: None
        return self._record("run", episode.trace_id, episode, instruction, None, objects)

    def dispatch(self, trace_id: str, video: bool = False) -> dict[str, Any]:
        from codebot.feedback import scene_diff

        with self._busy("dispatch"):
            record = self.records.get(trace_id)
            if record is None:
                self._refuse(f"unknown trace id {trace_id!r}: only a program checked in this session "
                             "(check_program or run_instruction) can be dispatched, by the trace_id it returned")
            if not record.gate.passed:
                self._refuse(f"trace {trace_id} did not pass the simulation gate: " + "; ".join(record.gate.reasons))
            if self.estopped:
                self._refuse("the e-stop is engaged: call estop with release=true first")
            if not self._dispatch_lock.acquire(blocking=False):
                self._refuse("the robot is running another dispatch; wait for it to finish")
            try:
                before = self.robot.observe()
                stale = scene_changed(record.scene, before, self.config.scene_tolerance_m)
                if stale:
                    self._refuse(f"the robot's scene changed since trace {trace_id} was checked ({stale}); "
                                 "check the program again and dispatch the new trace id")
                record.dispatched = True
                result = self.robot.run(record.program, timeout_s=self.config.dispatch_timeout_s,
                                        video=self._video_path("dispatch") if video else None)
                after = (result.objects_after or []) if result.exit_reason == "crash" else self.robot.observe()
            finally:
                self._dispatch_lock.release()
        error = (result.error or {}).get("message")
        if self.estopped and not result.ok:
            error = f"stopped by the e-stop ({error})"
        out = {"trace_id": trace_id, "target": self.config.target, "ok": bool(result.ok),
               "exit_reason": result.exit_reason, "error": error,
               "scene_changes": scene_diff(before, after), "calls": len(result.call_log),
               "seconds": round(float(result.timings.get("total_s", 0.0)), 4)}
        from codebot.trace import append_record

        append_record(self.work_dir / "traces" / "dispatches.jsonl", {"kind": "mcp_dispatch", "time": time.time(),
                                                                      "program": record.program, **out})
        with self._state_lock:
            self.counts["dispatches"] += 1
            self.last = {"record": record, "dispatch": out, "video_path": result.video_path}
        return out

    def estop(self, release: bool = False) -> dict[str, Any]:
        if release:
            message = self.robot.release()
            self.estopped = False
        else:
            self.estopped = True
            message = self.robot.stop()
        return {"engaged": self.estopped, "message": message}

    def status(self) -> dict[str, Any]:
        with self._state_lock:
            last = self.last
            return {"target": self.config.target, "robot": self.config.robot, "estop_engaged": self.estopped,
                    "robot_busy": self.robot.running, "in_progress": sorted(self.busy.values()),
                    "counts": dict(self.counts), "checked_traces": len(self.records),
                    "dispatchable_traces": [t for t, r in self.records.items() if r.gate.passed][-20:],
                    "last_trace_id": last["record"].trace_id if last and last.get("record") else None,
                    "last_cancelled": self.last_cancelled, "uptime_s": round(time.time() - self.started, 1)}

    # ---------------------------------------------------------------------------------- helpers
    def _record(self, kind, trace_id, episode, instruction, goal, objects) -> CheckRecord:
        from dataclasses import asdict

        from codebot.feedback import scene_diff
        from codebot.trace import append_record

        result = last_run(episode) or {}
        turns = [asdict(t) for t in getattr(episode, "turns", [])]
        record = CheckRecord(trace_id=trace_id, kind=kind, instruction=instruction, goal=goal,
                             program=episode.code or "", verdict=verdict_of(episode).to_dict(),
                             gate=dispatch_gate(episode), scene=objects, turns=turns,
                             scene_changes=scene_diff(objects, result.get("objects_after") or objects),
                             timings=dict(episode.timings), video_path=episode.video_path,
                             trace_path=episode.trace_path)
        if kind == "check":
            record.trace_path = str(append_record(self.work_dir / "traces" / "mcp_checks.jsonl", {
                "id": trace_id, "kind": "mcp_check", "time": time.time(), "instruction": instruction, "goal": goal,
                "code": record.program, "verdict": record.verdict, "gate": record.gate.to_dict(),
                "objects": objects, "turns": turns, "timings": record.timings, "video_path": record.video_path}))
        with self._state_lock:
            self.counts[kind + "s"] += 1
            self.records[trace_id] = record
            while len(self.records) > self.config.max_records:
                self.records.popitem(last=False)
            self.last = {"record": record, "dispatch": None, "video_path": record.video_path}
        return record

    def _refuse(self, message: str):
        with self._state_lock:
            self.counts["refused"] += 1
        raise Refused(message)

    def _busy(self, what: str):
        session = self

        class _Busy:
            def __enter__(self):
                with session._state_lock:
                    self.key = f"{what}#{time.monotonic_ns()}"
                    session.busy[self.key] = what

            def __exit__(self, *exc):
                with session._state_lock:
                    session.busy.pop(self.key, None)

        return _Busy()

    def close(self) -> None:
        if self._agent is not None:
            self._agent.close()
        self.robot.close()


def scene_changed(checked: list[dict], now: list[dict], tolerance_m: float) -> str:
    """'' when every object the check saw is where it was (within tolerance), else what differs."""
    a = {o["name"]: o for o in checked}
    b = {o["name"]: o for o in now}
    if set(a) != set(b):
        return f"objects differ: {sorted(set(a) ^ set(b))}"
    moved = [f"{n} moved {math.dist(a[n]['position'], b[n]['position']) * 100:.1f} cm" for n in a
             if math.dist(a[n]["position"], b[n]["position"]) > tolerance_m]
    return "; ".join(moved)
