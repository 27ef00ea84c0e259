"""The sandbox worker process: builds a target once, then runs programs sent over a socket.

Started by `codebot.sandbox.pool` as `python -m codebot.sandbox.worker FD`. Messages are JSON (never
pickle, so a subverted worker cannot make the orchestrator run code). Everything that can crash,
hang or blow up memory happens here; the orchestrator only sees a reply, a timeout or a dead process.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from codebot.sandbox.values import POLICY_FILENAME, error_info, json_result, plain

MAX_LOG_ENTRIES = 500
MAX_PRINT_LINES = 200


class CallBudgetExceeded(BaseException):
    """Raised past the primitive-call budget. A BaseException so `except Exception:` in a program
    cannot swallow it (bare `except:` is rejected by the validator)."""


class Worker:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.target = None
        self.target_name = ""
        self.guard = None
        self.limits: dict = {}
        self.functions: dict[str, Any] = {}
        self.observer_names: set[str] = set()

    # ------------------------------------------------------------------------------------ set-up
    def init(self, msg: dict) -> dict:
        t0 = time.perf_counter()
        import primitives
        from primitives import registry

        from codebot.sandbox.safe_env import AuditGuard
        from codebot.targets import make_target

        primitives.load_all()
        self.target_name = msg["target"]
        config = msg.get("config") or {}
        self.target = make_target(self.target_name, config)  # may import more primitive groups
        groups = tuple(msg.get("groups") or getattr(self.target, "groups", ("core",)))
        self.functions = registry.allowed_names(groups)
        self.observer_names = {s.name for s in registry.specs(groups) if s.section not in ("motion",)}
        if config.get("test_hooks") and hasattr(self.target, "test_hooks"):
            self.functions.update(self.target.test_hooks())
            self.functions.update(_worker_test_hooks())
        self.limits = msg.get("limits") or {}
        self.guard = AuditGuard()
        self.guard.install()
        self._apply_rlimits()
        return {"op": "ready", "startup_s": time.perf_counter() - t0, "pid": os.getpid(),
                "groups": list(groups), "primitives": sorted(self.functions)}

    def _apply_rlimits(self) -> None:
        memory_mb = self.limits.get("memory_mb", 1024)
        if memory_mb:
            # Headroom on top of what the target already mapped (pybullet, numpy, models).
            vm = _vm_size_bytes()
            limit = vm + int(memory_mb) * 2**20
            try:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            except (ValueError, OSError):
                pass
        try:
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not dump a 1 GB core
        except (ValueError, OSError):
            pass

    def _forbid_new_processes(self):
        """RLIMIT_NPROC soft limit 0 while the program runs (the kernel then refuses fork/clone for a
        non-root user; root is exempt, which is why the audit guard refuses fork/exec/spawn too).
        Lifted afterwards so the target may start helpers such as a video encoder."""
        if not self.limits.get("no_new_processes", True):
            return None
        try:
            old = resource.getrlimit(resource.RLIMIT_NPROC)
            resource.setrlimit(resource.RLIMIT_NPROC, (0, old[1]))
            return old
        except (ValueError, OSError):
            return None

    @staticmethod
    def _restore_nproc(old) -> None:
        if old is not None:
            try:
                resource.setrlimit(resource.RLIMIT_NPROC, old)
            except (ValueError, OSError):
                pass

    # ------------------------------------------------------------------------------------ one run
    def run(self, msg: dict) -> dict:
        from codebot.sandbox.safe_env import error_classes, math_facade, numpy_facade, safe_builtins
        from codebot.sandbox.validator import ValidationError, validate_code
        from primitives import context

        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        if msg.get("reset") is not None:
            self.target.reset(msg["reset"])
        timings["reset_s"] = time.perf_counter() - t0
        backend = self.target.backend()
        context.bind(backend)
        said: list[str] = []
        printed: list[str] = []
        original_speak = backend.speak
        backend.speak = lambda text: said.append(str(text)[:1000])
        code = msg.get("code", "")
        result: dict[str, Any] = {"op": "result", "ok": False, "error": None, "call_log": [], "said": said,
                                  "printed": printed, "result": None, "has_result": False,
                                  "safety_violations": [], "crashed": False, "exit_reason": "ok",
                                  "blocked": [], "video_path": None}
        t = time.perf_counter()
        result["objects_before"] = [plain(o) for o in self.target.observe()]
        timings["observe_s"] = time.perf_counter() - t
        try:
            validate_code(code)
        except ValidationError as exc:
            result.update(error=exc.to_dict(), exit_reason="rejected")
            result["objects_after"] = result["objects_before"]
            result["timings"] = timings
            backend.speak = original_speak
            return result

        call_log = result["call_log"]
        budget = int(msg.get("call_budget", 200))
        state = {"calls": 0, "t0": time.perf_counter()}
        guard = self.guard

        def wrap(name, fn):
            def call(*args, **kwargs):
                state["calls"] += 1
                entry = {"name": name, "args": plain(list(args)), "t": round(time.perf_counter() - state["t0"], 4)}
                if kwargs:
                    entry["kwargs"] = plain(kwargs)
                if state["calls"] > budget:
                    entry["error"] = {"type": "BudgetExceededError", "kind": "budget_exceeded",
                                      "message": f"primitive-call budget of {budget} calls exceeded"}
                    if len(call_log) < MAX_LOG_ENTRIES:
                        call_log.append(entry)
                    raise CallBudgetExceeded(entry["error"]["message"])
                guard.in_primitive += 1
                try:
                    value = fn(*args, **kwargs)
                except Exception as exc:
                    to_dict = getattr(exc, "to_dict", None)
                    entry["error"] = to_dict() if callable(to_dict) else {"type": type(exc).__name__,
                                                                          "message": str(exc)[:500]}
                    entry["error"] = plain(entry["error"])
                    raise
                finally:
                    guard.in_primitive -= 1
                    entry["dt"] = round(time.perf_counter() - state["t0"] - entry["t"], 4)
                    if len(call_log) < MAX_LOG_ENTRIES:
                        call_log.append(entry)
                entry["result"] = plain(value)
                return value
            call.__name__ = name
            return call

        def captured_print(*args, **kwargs):
            if len(printed) < MAX_PRINT_LINES:
                printed.append(" ".join(str(a) for a in args)[:1000])

        namespace: dict[str, Any] = {"__builtins__": safe_builtins(captured_print), "np": numpy_facade(),
                                     "math": math_facade(), "__name__": "policy"}
        namespace.update(error_classes())
        namespace.update({name: wrap(name, fn) for name, fn in self.functions.items()})
        video = msg.get("video")
        if video and hasattr(self.target, "start_recording"):
            self.target.start_recording(video)
        cpu_s = float(msg.get("cpu_s", 60))
        used = resource.getrusage(resource.RUSAGE_SELF)
        used_s = used.ru_utime + used.ru_stime
        try:
            soft = int(used_s + cpu_s) + 1
            _, hard = resource.getrlimit(resource.RLIMIT_CPU)
            resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        except (ValueError, OSError):
            pass
        compiled = compile(code, POLICY_FILENAME, "exec")
        guard.blocked = []
        nproc = self._forbid_new_processes()
        t = time.perf_counter()
        try:
            try:
                guard.allow_exec_once = True
                guard.program_active = True
                exec(compiled, namespace)
            finally:  # before any handler below runs: formatting a traceback reads source files
                guard.program_active = False
                guard.allow_exec_once = False
            result["ok"] = True
        except CallBudgetExceeded as exc:
            result.update(error=error_info(exc, code), exit_reason="call_budget")
            result["error"]["type"] = "BudgetExceededError"
        except MemoryError as exc:
            result.update(error=error_info(exc, code), exit_reason="memory_limit")
            result["error"]["message"] = result["error"]["message"] or "out of memory (sandbox memory limit)"
        except RecursionError as exc:
            result.update(error=error_info(exc, code), exit_reason="recursion_limit")
        except BaseException as exc:  # SystemExit, KeyboardInterrupt included: report, keep serving
            result.update(error=error_info(exc, code), exit_reason="exception")
        finally:
            guard.program_active = False
            guard.allow_exec_once = False
            self._restore_nproc(nproc)
        timings["exec_s"] = time.perf_counter() - t
        result["blocked"] = list(guard.blocked)
        if video and hasattr(self.target, "stop_recording"):
            try:
                result["video_path"] = self.target.stop_recording()
            except Exception as exc:
                result["video_error"] = str(exc)
        t = time.perf_counter()
        result["objects_after"] = [plain(o) for o in self.target.observe()]
        timings["observe_s"] += time.perf_counter() - t
        if "result" in namespace:
            ok, value = json_result(namespace["result"])
            result["has_result"] = ok
            result["result"] = value
        result["safety_violations"] = _safety_violations(call_log, self.target)
        if msg.get("postcondition"):
            result["postcondition"] = self.eval_postcondition(msg["postcondition"], wrap)
        result["calls"] = state["calls"]
        result["timings"] = timings
        backend.speak = original_speak
        return result

    def eval_postcondition(self, expr: str, wrap) -> dict:
        """Evaluate a boolean expression over perception primitives, in the same sandbox rules."""
        from codebot.sandbox.safe_env import math_facade, numpy_facade, safe_builtins
        from codebot.sandbox.validator import ValidationError, validate_code

        try:
            tree = validate_code(expr)
            if len(tree.body) != 1 or not hasattr(tree.body[0], "value") or tree.body[0].__class__.__name__ != "Expr":
                raise ValidationError("postcondition must be a single expression")
        except ValidationError as exc:
            return {"value": None, "error": str(exc)}
        namespace = {"__builtins__": safe_builtins(lambda *a, **k: None), "np": numpy_facade(),
                     "math": math_facade()}
        namespace.update({n: wrap(n, f) for n, f in self.functions.items() if n in self.observer_names})
        try:
            code = compile(expr.strip(), "<postcondition>", "eval")
            self.guard.allow_exec_once = True
            self.guard.program_active = True
            value = eval(code, namespace)
            return {"value": bool(value), "error": None}
        except BaseException as exc:
            return {"value": None, "error": f"{type(exc).__name__}: {exc}"[:500]}
        finally:
            self.guard.program_active = False
            self.guard.allow_exec_once = False

    def observe(self) -> dict:
        return {"op": "observed", "objects": [plain(o) for o in self.target.observe()]}

    def serve(self) -> None:
        while True:
            try:
                raw = self.conn.recv_bytes()
            except (EOFError, OSError):
                return
            msg = json.loads(raw)
            op = msg.get("op")
            try:
                if op == "init":
                    reply = self.init(msg)
                elif op == "run":
                    reply = self.run(msg)
                elif op == "reset":
                    self.target.reset(msg.get("config") or {})
                    reply = {"op": "reset_done"}
                elif op == "observe":
                    reply = self.observe()
                elif op == "ping":
                    reply = {"op": "pong"}
                elif op == "close":
                    if self.target is not None:
                        self.target.close()
                    self.conn.send_bytes(json.dumps({"op": "closed"}).encode())
                    return
                else:
                    reply = {"op": "error", "error": {"type": "ProtocolError", "message": f"unknown op {op!r}"}}
            except Exception as exc:  # target failures: report and keep the protocol alive
                reply = {"op": "error", "error": {"type": type(exc).__name__, "message": str(exc)[:2000],
                                                  "traceback": traceback.format_exc()[-4000:]}}
            self.conn.send_bytes(json.dumps(reply, default=str).encode())


_SAFETY_KINDS = {"safety_violation", "outside_workspace", "joint_limit", "velocity_limit", "collision"}


def _safety_violations(call_log: list[dict], target) -> list[str]:
    out = []
    for entry in call_log:
        err = entry.get("error")
        if isinstance(err, dict) and err.get("kind") in _SAFETY_KINDS:
            out.append(f"{entry['name']}: {err.get('kind')}: {err.get('message')}")
    report = getattr(target, "safety_report", None)
    if callable(report):
        try:
            out.extend(str(v) for v in report())
        except Exception as exc:
            out.append(f"safety report failed: {exc}")
    return out


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 2 * 2**30


def _worker_test_hooks() -> dict:
    """Faults the sandbox tests provoke from inside a program (only with config["test_hooks"])."""
    def segfault_for_test() -> None:
        import ctypes

        ctypes.string_at(0)  # reads address 0: SIGSEGV

    def abort_for_test() -> None:
        os.abort()

    return {"segfault_for_test": segfault_for_test, "abort_for_test": abort_for_test}


def main(argv: list[str]) -> int:
    fd = int(argv[1])
    conn = Connection(fd)
    # Keep the orchestrator's terminal clean: pybullet prints from C. stdout goes to stderr's file.
    os.dup2(2, 1)
    Worker(conn).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
