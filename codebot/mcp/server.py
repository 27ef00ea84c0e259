"""codebot's MCP server (official `mcp` SDK): tools an outside agent calls to look at the scene, have a
program checked in the sim twin, and dispatch only what passed; resources with the last episode's
trace record, video and frames.

Blocking work (sandbox runs, the LLM, the robot) runs in worker threads; a long call reports progress
notifications and stops at its next step when the client cancels it. Every failure reaches the client
as an MCP (JSON-RPC) error with one clear message.
"""
from __future__ import annotations

import json
import threading
from typing import Any, Callable, Optional

from codebot.extras import require

require("mcp", "mcp")

import anyio  # noqa: E402
import anyio.from_thread  # noqa: E402
import anyio.lowlevel  # noqa: E402
import anyio.to_thread  # noqa: E402
from mcp.server.mcpserver import Context, MCPServer  # noqa: E402
from mcp.server.mcpserver.exceptions import ToolError  # noqa: E402
from mcp.shared.exceptions import MCPError  # noqa: E402
from mcp_types import ToolAnnotations  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from codebot.mcp import errors  # noqa: E402
from codebot.mcp.frames import read_frame, video_frame_count  # noqa: E402
from codebot.mcp.models import (Attempts, CheckResult, DispatchResult, EstopResult, Flag, Goal,  # noqa: E402
                                Instruction, Program, Scene, Status, TraceId, check_inputs)
from codebot.mcp.session import Cancelled, GateSession  # noqa: E402

INSTRUCTIONS = """codebot drives a robot arm over a tabletop of blocks and bowls, and only through its
simulation gate. describe_scene and list_primitives tell you what there is and which functions a program
may call. check_program runs your program (or run_instruction has codebot write one) in a PyBullet twin
of the robot's current scene and returns a verdict with its source and a trace_id. dispatch(trace_id)
moves the robot, and only for a program a real checker verified in this session. estop halts the robot."""

MAX_ERROR_CHARS = 1500
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True)
SIM_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
MOVES_ROBOT = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False)


class GateServer(MCPServer):
    """MCPServer whose argument-validation failures are MCP errors (invalid params), not tool results."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context=None):
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError):
                problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                                     for e in cause.errors(include_input=False)[:8])
                raise MCPError(errors.INVALID_PARAMS, f"invalid arguments for {name}: {problems}") from None
            if isinstance(cause, errors.McpToolError):
                raise MCPError(cause.code, cause.message) from None
            raise MCPError(errors.FAILED, f"{name} failed: {exc}") from None


def _mcp_error(exc: BaseException, what: str) -> MCPError:
    if isinstance(exc, MCPError):
        return exc
    if isinstance(exc, errors.McpToolError):
        return MCPError(exc.code, exc.message)
    if isinstance(exc, Cancelled):
        return MCPError(errors.CANCELLED, f"{what} was cancelled: {exc}")
    text = f"{type(exc).__name__}: {exc}"
    if len(text) > MAX_ERROR_CHARS:  # e.g. a worker's start-up log: the head says what broke
        text = text[:MAX_ERROR_CHARS] + " [...]"
    return MCPError(errors.FAILED, f"{what} failed: {text}")


async def _blocking(ctx: Optional[Context], what: str, fn: Callable[..., Any]) -> Any:
    """Run fn(progress, should_stop) in a worker thread. A cancelled request sets should_stop (the
    session stops at its next step) and returns at once; progress goes out as MCP notifications."""
    stop = threading.Event()
    token = anyio.lowlevel.current_token()

    def progress(done: float, total: float, message: str) -> None:
        if stop.is_set() or ctx is None:
            return
        try:
            anyio.from_thread.run(ctx.report_progress, float(done), float(total), message, token=token)
        except Exception:  # the client went away or the loop is closing: progress is best effort
            pass

    try:
        return await anyio.to_thread.run_sync(lambda: fn(progress, stop.is_set), abandon_on_cancel=True)
    except anyio.get_cancelled_exc_class():
        stop.set()
        raise
    except Exception as exc:
        raise _mcp_error(exc, what) from None


def build_server(session: GateSession, name: str = "codebot") -> GateServer:
    server = GateServer(name, instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(annotations=READ_ONLY)
    async def describe_scene(ctx: Context) -> Scene:
        """The robot's scene now: objects with positions (metres, table frame), named places, the robot."""
        return Scene(**await _blocking(ctx, "describe_scene", lambda p, s: session.describe_scene()))

    @server.tool(annotations=READ_ONLY)
    async def list_primitives() -> str:
        """The primitive API a program may call (signatures, one-line docs, examples), as codebot's LLM sees it."""
        return await _blocking(None, "list_primitives", lambda p, s: session.list_primitives())

    @server.tool(annotations=SIM_ONLY)
    async def check_program(ctx: Context, program: Program, instruction: Optional[Instruction] = None,
                            goal: Optional[Goal] = None, video: Flag = False) -> CheckResult:
        """Run YOUR program in codebot's sandbox against a sim twin of the robot's current scene and judge
        it with codebot's checker for the instruction (or goal). Never moves the robot. Returns the verdict
        with its source and a trace_id; dispatch(trace_id) is allowed only when `dispatchable` is true."""
        check_inputs(program=program, instruction=instruction, goal=goal, need_target=True)
        record = await _blocking(ctx, "check_program", lambda p, s: session.check_program(
            program, instruction=instruction, goal=goal, video=video, progress=p))
        return CheckResult(**record.summary())

    @server.tool(annotations=SIM_ONLY)
    async def run_instruction(ctx: Context, instruction: Instruction, attempts: Attempts = 3,
                              video: Flag = False) -> CheckResult:
        """codebot's own LLM writes a program for the instruction, runs it in the sim twin, checks it and
        repairs it from feedback, up to `attempts` turns. Reports progress; can be cancelled."""
        check_inputs(instruction=instruction)
        if attempts > session.config.max_attempts:
            raise errors.InvalidInput(f"attempts must be at most {session.config.max_attempts} on this server")
        record = await _blocking(ctx, "run_instruction", lambda p, s: session.run_instruction(
            instruction, attempts, video=video, progress=p, should_stop=s))
        return CheckResult(**record.summary())

    @server.tool(annotations=MOVES_ROBOT)
    async def dispatch(ctx: Context, trace_id: TraceId, video: Flag = False) -> DispatchResult:
        """Run a program that passed the simulation gate in this session on the robot, by the trace_id its
        check returned. Refused for unknown ids, failed or unverified checks, a changed scene, an e-stop."""
        return DispatchResult(**await _blocking(ctx, "dispatch", lambda p, s: session.dispatch(trace_id, video)))

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True))
    async def estop(release: Flag = False) -> EstopResult:
        """Emergency stop: halt the robot now and refuse dispatches until estop(release=true)."""
        return EstopResult(**await _blocking(None, "estop", lambda p, s: session.estop(release)))

    @server.tool(annotations=READ_ONLY)
    async def status() -> Status:
        """The server's state: target, e-stop, calls in progress, counts, dispatchable trace ids."""
        return Status(**session.status())

    _add_resources(server, session)
    return server


def _add_resources(server: GateServer, session: GateSession) -> None:
    def last_video() -> str:
        last = session.last or {}
        path = last.get("video_path")
        if not path:
            raise MCPError(errors.INVALID_PARAMS, "the last episode has no video: call check_program, "
                                                  "run_instruction or dispatch with video=true")
        return path

    @server.resource("codebot://episode/last/trace", mime_type="application/json")
    def last_trace() -> str:
        """The trace record of the last check, run or dispatch (instruction, program, verdict, turns)."""
        last = session.last
        if not last or not last.get("record"):
            raise MCPError(errors.INVALID_PARAMS, "no episode yet in this session")
        record = last["record"]
        body: dict[str, Any] = {"trace_id": record.trace_id, **record.summary(), "turns": record.turns,
                                "scene": record.scene, "trace_path": record.trace_path,
                                "dispatch": last.get("dispatch")}
        return json.dumps(body, default=str)

    @server.resource("codebot://episode/last/video", mime_type="video/mp4")
    def video() -> bytes:
        """The last episode's video (mp4), when it was recorded (video=true)."""
        with open(last_video(), "rb") as fh:
            return fh.read()

    @server.resource("codebot://episode/last/frames/{index}", mime_type="image/png")
    def frame(index: str) -> bytes:
        """One frame of the last episode's video as PNG: an index, or 'first' / 'last'."""
        path = last_video()
        count = video_frame_count(path)
        lookup = {"first": 0, "last": count - 1}
        if index in lookup:
            i = lookup[index]
        elif index.isdigit() and len(index) <= 6 and int(index) < count:
            i = int(index)
        else:
            raise MCPError(errors.INVALID_PARAMS, f"frame index must be 0..{count - 1}, 'first' or 'last'")
        return read_frame(path, i)
