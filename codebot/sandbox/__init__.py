"""Sandboxed execution of generated programs: an `ast` allowlist, then a per-episode program process
(forked from a clean zygote, locked down by seccomp, rlimits and an unprivileged uid) that holds only
stubs of the primitives, under a trusted sim server that owns the target, validates every call and
judges the world state itself.

Names are imported lazily so that the zygote (which imports codebot.sandbox.program) stays small.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "ProgramResult": "codebot.sandbox.result", "ValidationError": "codebot.sandbox.validator",
    "validate_code": "codebot.sandbox.validator", "WorkerPool": "codebot.sandbox.pool",
    "WorkerStartError": "codebot.sandbox.worker", "run_program": "codebot.sandbox.pool",
    "shared_pool": "codebot.sandbox.pool",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'codebot.sandbox' has no attribute {name!r}")
