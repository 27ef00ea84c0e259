"""Typed tool inputs and outputs: the JSON schemas an MCP client sees, with their limits (sizes,
ranges, patterns), and the checks a schema cannot say (one of instruction|goal, no control bytes)."""
from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import BaseModel, Field

from codebot.mcp.errors import InvalidInput

MAX_PROGRAM_CHARS = 20_000
MAX_PROGRAM_LINES = 400
MAX_INSTRUCTION_CHARS = 500
MAX_GOAL_CHARS = 2_000
MAX_ATTEMPTS = 10
TRACE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"

Program = Annotated[str, Field(min_length=1, max_length=MAX_PROGRAM_CHARS, strict=True,
                               description="Python over codebot's primitives (see list_primitives); "
                                           "no imports. Runs only in codebot's sandbox.")]
Instruction = Annotated[str, Field(min_length=1, max_length=MAX_INSTRUCTION_CHARS, strict=True,
                                   description='What to do, e.g. "put the red block in the blue bowl".')]
Goal = Annotated[str, Field(min_length=1, max_length=MAX_GOAL_CHARS, strict=True,
                            description="A goal spec to check instead of an instruction's task template.")]
Attempts = Annotated[int, Field(ge=1, le=MAX_ATTEMPTS, strict=True,
                                description="Write/simulate/repair turns, the first included.")]
TraceId = Annotated[str, Field(pattern=TRACE_ID_PATTERN, strict=True,
                               description="The trace_id a check_program or run_instruction returned.")]
Flag = Annotated[bool, Field(strict=True)]


class SceneObject(BaseModel):
    name: str
    kind: str
    color: Optional[str]
    position: list[float] = Field(description="x, y, z of the object's centre, metres, table frame")
    yaw: float


class Scene(BaseModel):
    target: str = Field(description="where dispatch goes: sim | ros")
    robot: str
    objects: list[SceneObject]
    places: list[str] = Field(description="named table locations a program may use")
    workspace: dict[str, Any]


class CheckResult(BaseModel):
    trace_id: str = Field(description="pass this to dispatch; valid in this server session only")
    kind: str = Field(description="check (your program) | run (codebot's LLM wrote it)")
    instruction: Optional[str]
    goal: Optional[str]
    program: str
    success: bool
    source: str = Field(description="where the verdict came from: checker / goal spec / none ...")
    reason: str
    verified: bool = Field(description="success vouched for by a real checker in simulation")
    dispatchable: bool = Field(description="passed the simulation gate: dispatch(trace_id) is allowed")
    gate_reasons: list[str]
    scene_changes: list[str] = Field(description="what moved where in the sim twin")
    attempts: int
    feedback: str = Field(description="codebot's feedback report on the final attempt")
    seconds: float
    video: bool = Field(description="a video of the run is readable as a resource")


class DispatchResult(BaseModel):
    trace_id: str
    target: str
    ok: bool = Field(description="the program finished on the robot without error")
    exit_reason: str
    error: Optional[str]
    scene_changes: list[str] = Field(description="what moved where on the robot")
    calls: int
    seconds: float


class EstopResult(BaseModel):
    engaged: bool
    message: str


class Status(BaseModel):
    target: str
    robot: str
    estop_engaged: bool
    robot_busy: bool
    in_progress: list[str]
    counts: dict[str, int]
    checked_traces: int
    dispatchable_traces: list[str]
    last_trace_id: Optional[str]
    last_cancelled: Optional[dict[str, Any]]
    uptime_s: float


def clean_text(name: str, value: str | None) -> str | None:
    """Reject control bytes (newlines and tabs are fine in programs, not in one-line fields)."""
    if value is None:
        return None
    allowed = "\n\t" if name == "program" else ""
    bad = [c for c in value if (ord(c) < 32 and c not in allowed) or ord(c) == 127]
    if bad:
        raise InvalidInput(f"{name} contains control characters ({len(bad)}); send plain text")
    if not value.strip():
        raise InvalidInput(f"{name} is blank")
    return value


def check_inputs(program: str | None = None, instruction: str | None = None, goal: str | None = None,
                 need_target: bool = False) -> None:
    if program is not None:
        clean_text("program", program)
        if program.count("\n") + 1 > MAX_PROGRAM_LINES:
            raise InvalidInput(f"program has more than {MAX_PROGRAM_LINES} lines")
    clean_text("instruction", instruction)
    clean_text("goal", goal)
    if need_target and (instruction is None) == (goal is None):
        raise InvalidInput("give exactly one of instruction or goal: what the program should achieve, "
                           "so codebot's checker can judge it")
