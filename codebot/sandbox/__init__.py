"""Sandboxed execution of generated programs: an `ast` allowlist, then a warm worker process that
owns the target (sim, ROS, vision) with restricted builtins, resource limits, a wall-clock timeout
and a primitive-call budget."""
from codebot.sandbox.pool import WorkerPool, WorkerStartError, run_program, shared_pool
from codebot.sandbox.result import ProgramResult
from codebot.sandbox.validator import ValidationError, validate_code

__all__ = ["ProgramResult", "ValidationError", "WorkerPool", "WorkerStartError", "run_program",
           "shared_pool", "validate_code"]
