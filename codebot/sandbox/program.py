"""Runs inside the locked-down program process: the LLM's program with nothing but stubs.

Each primitive in the program's namespace is a stub that sends (name, plain args) over the channel
and returns the plain value the sim server answers (or raises the error it reports). No robot, world,
pybullet handle or module of the orchestrator is reachable from here, and whatever this process
sends is only a request or a report: the server validates it and decides the outcome itself.
"""
from __future__ import annotations

import os
from typing import Any

from codebot.sandbox import safe_env
from codebot.sandbox.validator import ValidationError, validate_code
from codebot.sandbox.values import POLICY_FILENAME, error_info
from codebot.sandbox.wire import Channel, WireError, decode_value, encode_value

MAX_PRINT_LINES = 200
MAX_TEXT = 1000
MAX_RESULT_BYTES = 1_000_000
SERVER_REPLY_LIMIT = 64 * 2**20


class CallBudgetExceeded(BaseException):
    """The server refused a call past the budget. A BaseException so `except Exception:` cannot
    swallow it (bare `except:` is rejected by the validator); the server has stopped serving anyway."""


class ServerGone(BaseException):
    """The sim server closed the channel (or answered nonsense): the run is over."""


_TARGET_ERRORS: dict[tuple[str, str], type] = {}


def _error_class(name: Any, kind: Any = None) -> type[BaseException]:
    classes = safe_env.error_classes()
    if isinstance(name, str):
        if name in classes:
            return classes[name]
        builtin = safe_env.safe_builtins(print).get(name)
        if isinstance(builtin, type) and issubclass(builtin, Exception):
            return builtin
        if isinstance(kind, str) and name.isidentifier() and not name.startswith("_"):
            # A target's own structured error (e.g. the vision target's NoRobotError): same name and
            # kind, catchable as PrimitiveError.
            key = (name[:80], kind[:60])
            if key not in _TARGET_ERRORS:
                _TARGET_ERRORS[key] = type(key[0], (safe_env.PrimitiveError,), {"kind": key[1]})
            return _TARGET_ERRORS[key]
    return RuntimeError


class Stubs:
    """The primitive proxies of one run, and the program's print()."""

    def __init__(self, channel: Channel):
        self.channel = channel
        self.printed = 0

    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        try:
            payload = {"op": "call", "name": name, "args": encode_value(list(args))}
            if kwargs:
                payload["kwargs"] = encode_value(kwargs)
        except WireError as exc:
            raise TypeError(f"{name}(): {exc}") from None
        self.channel.send(payload)
        reply = self.channel.recv()
        if reply is None:
            raise ServerGone("the sim server closed the channel")
        if "ok" in reply:
            try:
                return decode_value(reply["ok"])
            except WireError as exc:
                raise ServerGone(f"bad reply: {exc}") from None
        err = reply.get("error") or {}
        if reply.get("stop"):
            raise CallBudgetExceeded(str(err.get("message", "primitive-call budget exceeded")))
        cls = _error_class(err.get("type"), err.get("kind"))
        message = str(err.get("message", ""))
        if issubclass(cls, safe_env.PrimitiveError):
            details = err.get("details") if isinstance(err.get("details"), dict) else {}
            raise cls(message, **{str(k): v for k, v in details.items()})
        raise cls(message)

    def stub(self, name: str):
        def primitive_stub(*args, **kwargs):
            return self.call(name, args, kwargs)

        primitive_stub.__name__ = name
        primitive_stub.__qualname__ = name
        return primitive_stub

    def print(self, *args, **kwargs) -> None:
        if self.printed >= MAX_PRINT_LINES:
            return
        self.printed += 1
        text = " ".join(str(a) for a in args)[:MAX_TEXT]
        self.channel.send({"op": "print", "text": text})


# Only with the sandbox tests' hooks on (a setting of the trusted orchestrator, never of a program):
# hands the program the real os/sys/socket/ctypes modules and its channel, as if it had found a
# complete Python escape, so the attack tests can show what the OS-level lock-down still holds.
ESCAPE_HATCH = "python_escape_for_test"


def _escape_hatch(channel: Channel, guard: safe_env.AuditGuard):
    import ctypes
    import socket
    import sys

    libc = ctypes.CDLL(None)  # the process's own libc, already mapped: no file is opened

    def python_escape_for_test() -> dict:
        guard.program_active = False  # a complete escape gets past the audit hook too
        return {"os": os, "sys": sys, "socket": socket, "ctypes": ctypes, "syscall": libc.syscall,
                "system": os.system, "fork": os.fork, "kill": os.kill, "open": os.open, "write": os.write,
                "read": os.read, "exit": os._exit, "environ": os.environ, "getppid": os.getppid,
                "execv": os.execv, "setsid": os.setsid, "mkfifo": os.mkfifo, "listdir": os.listdir,
                "unlink": os.unlink, "getuid": os.getuid, "modules": sys.modules, "setattr": setattr, "bytes": bytes,
                "channel_fd": channel.fd}

    return python_escape_for_test


def namespace_for(names: list[str], stubs: Stubs, scene_names: dict | None = None) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__builtins__": safe_env.safe_builtins(stubs.print),
                                 "np": safe_env.numpy_facade(), "math": safe_env.math_facade(),
                                 "__name__": "policy"}
    for var, values in (scene_names or {}).items():  # objects, blocks, bowls: lists of the scene's names
        if var in ("objects", "blocks", "bowls") and isinstance(values, list):
            namespace[var] = [v for v in values if isinstance(v, str)]
    namespace.update(safe_env.error_classes())
    namespace.update({name: stubs.stub(name) for name in names if isinstance(name, str) and name.isidentifier()})
    return namespace


def _result_of(namespace: dict) -> tuple[bool, Any]:
    if "result" not in namespace:
        return False, None
    try:
        encoded = encode_value(namespace["result"])
    except (WireError, RecursionError):
        return False, None
    import json

    if len(json.dumps(encoded)) > MAX_RESULT_BYTES:
        return False, None
    return True, encoded


def run(channel: Channel) -> int:
    """Receive the program, run it against stubs, report how it ended. Returns the exit status."""
    msg = channel.recv()
    if not msg or msg.get("op") != "run" or not isinstance(msg.get("code"), str):
        return 2
    code = msg["code"]
    report: dict[str, Any] = {"op": "done", "ok": False, "error": None, "exit_reason": "exception",
                              "has_result": False, "result": None, "blocked": []}
    try:
        validate_code(code)
        compiled = compile(code, POLICY_FILENAME, "exec")
    except ValidationError as exc:
        report.update(error=exc.to_dict(), exit_reason="rejected")
        channel.send(report)
        return 0
    stubs = Stubs(channel)
    scene = msg.get("scene_names")
    namespace = namespace_for(list(msg.get("names") or ()), stubs, scene if isinstance(scene, dict) else None)
    guard = safe_env.AuditGuard()
    if msg.get("escape_hatch") is True:
        namespace[ESCAPE_HATCH] = _escape_hatch(channel, guard)
    guard.install()
    try:
        try:
            guard.allow_exec_once = True
            guard.program_active = True
            exec(compiled, namespace)
        finally:  # before any handler below runs: formatting a traceback reads source files
            guard.program_active = False
        report.update(ok=True, exit_reason="ok")
    except ServerGone:
        return 3
    except CallBudgetExceeded as exc:
        report.update(error=error_info(exc, code), exit_reason="call_budget")
        report["error"]["type"] = "BudgetExceededError"
    except MemoryError as exc:
        report.update(error=error_info(exc, code), exit_reason="memory_limit")
        report["error"]["message"] = report["error"]["message"] or "out of memory (sandbox memory limit)"
    except RecursionError as exc:
        report.update(error=error_info(exc, code), exit_reason="recursion_limit")
    except BaseException as exc:  # SystemExit, KeyboardInterrupt included: report how it ended
        report.update(error=error_info(exc, code), exit_reason="exception")
    report["blocked"] = [str(b)[:200] for b in guard.blocked[:20]]
    report["has_result"], report["result"] = _result_of(namespace)
    try:
        channel.send(report)
    except (OSError, ValueError, TypeError):
        return 4
    return 0


def main(fd: int) -> None:
    """Entry point in the forked, locked-down child; never returns."""
    status = 1
    try:
        status = run(Channel(fd, SERVER_REPLY_LIMIT))
    except BaseException:
        status = 5
    finally:
        os._exit(status)
