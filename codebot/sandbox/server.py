"""The sim server: the trusted side of the sandbox, one process per warm worker.

It owns the target (PyBullet world, ROS robot or vision models), the real primitive implementations,
the call budget, the safety report and the verdict. Per run it forks a fresh, locked-down program
process from its zygote, serves that process's primitive calls (validating every argument), and when
the program process has exited or been killed it observes its own world and judges it. Nothing the
program process sends can become a verdict: messages from it are size-capped, parsed strictly and
read with a deadline, and how the run ended is decided here from the exit status the zygote saw.

Protocol with the orchestrator (JSON over a socketpair, trusted both ways): init, run, reset,
observe, ping, close.
"""
from __future__ import annotations

import faulthandler
import json
import os
import resource
import socket
import sys
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from codebot.sandbox.arguments import ArgumentChecker
from codebot.sandbox import safe_env, snapshots
from codebot.sandbox.program import ESCAPE_HATCH
from codebot.sandbox.values import bounded, plain_bounded, program_error, program_report, sanitize_result
from codebot.sandbox.wire import Channel, WireError, decode_value, encode_value
from codebot.sandbox.zygote_client import ZygoteClient

MAX_LOG_ENTRIES = 500
MAX_PRINT_LINES = 200
MAX_SAID = 50
MAX_TEXT = 1000
MAX_PROGRAM_MESSAGE = 4 * 2**20  # a call's arguments or the final report; far above any real one
REPORT_GRACE_S = 1.0  # after its report, the program process has this long to exit by itself
CRASH_ONCE_KEY = "crash_once_at_start_for_test"  # with test_hooks: a native crash on this worker's first start


class SimServer:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.target = None
        self.target_name = ""
        self.limits: dict = {}
        self.functions: dict[str, Any] = {}
        self.checker: ArgumentChecker | None = None
        self.escape_hatch = False
        self.zygote: ZygoteClient | None = None

    # ------------------------------------------------------------------------------------ set-up
    def init(self, msg: dict) -> dict:
        t0 = time.perf_counter()
        # The zygote starts first, from a clean interpreter, while this process builds its target.
        self.zygote = ZygoteClient()
        from codebot import primitives
        from codebot.primitives import registry

        from codebot.registry import apply_registrations
        from codebot.targets import make_target

        apply_registrations(msg.get("registrations") or [])
        primitives.load_all()
        self.target_name = msg["target"]
        config = dict(msg.get("config") or {})
        if (flag := config.pop(CRASH_ONCE_KEY, None)) and config.get("test_hooks") and not os.path.exists(flag):
            open(flag, "w").close()  # the next start finds it and starts normally
            _server_test_hooks()["segfault_for_test"]()
        self.target = make_target(self.target_name, config)  # may import more primitive groups
        groups = tuple(msg.get("groups") or getattr(self.target, "groups", ("core",)))
        self.functions = registry.allowed_names(groups)
        if config.get("test_hooks") and hasattr(self.target, "test_hooks"):
            self.functions.update(self.target.test_hooks())
            self.functions.update(_server_test_hooks())
        self.checker = ArgumentChecker(self.functions)
        self.escape_hatch = bool(config.get("test_hooks"))
        self.limits = msg.get("limits") or {}
        try:
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not dump a 1 GB core
        except (ValueError, OSError):
            pass
        self.zygote.wait_ready()
        return {"op": "ready", "startup_s": time.perf_counter() - t0, "pid": os.getpid(),
                "zygote_pid": self.zygote.pid, "groups": list(groups),
                "primitives": sorted(self.functions) + ([ESCAPE_HATCH] if self.escape_hatch else [])}

    # ------------------------------------------------------------------------------------ one run
    def run(self, msg: dict) -> dict:
        from codebot.sandbox.validator import ValidationError, validate_code
        from codebot.primitives import context

        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        if msg.get("reset") is not None:
            self.target.reset(msg["reset"])
        timings["reset_s"] = time.perf_counter() - t0
        backend = self.target.backend()
        context.bind(backend)
        said: list[str] = []
        original_speak = backend.speak
        backend.speak = lambda text: len(said) < MAX_SAID and said.append(bounded(str(text), MAX_TEXT))
        code = msg.get("code", "")
        result: dict[str, Any] = {"op": "result", "ok": False, "error": None, "call_log": [], "said": said,
                                  "printed": [], "result": None, "has_result": False,
                                  "safety_violations": [], "crashed": False, "exit_reason": "ok",
                                  "blocked": [], "video_path": None, "verdict": None}
        t = time.perf_counter()
        result["objects_before"] = self._observed()
        timings["observe_s"] = time.perf_counter() - t
        snapshots.take(self.target, msg.get("snapshot"), "before", result)
        try:
            try:
                validate_code(code)
            except ValidationError as exc:
                result.update(error=exc.to_dict(), exit_reason="rejected")
                result["objects_after"] = result["objects_before"]
                result["verdict"] = self._verdict(msg.get("check"), result)
                return {**result, "timings": timings}
            video = msg.get("video")
            if video and hasattr(self.target, "start_recording"):
                self.target.start_recording(video)
            t = time.perf_counter()
            self._run_program(code, msg, result, timings)
            timings["exec_s"] = time.perf_counter() - t
            if video and hasattr(self.target, "stop_recording"):
                try:
                    result["video_path"] = self.target.stop_recording()
                except Exception as exc:
                    result["video_error"] = str(exc)
            t = time.perf_counter()
            try:
                result["objects_after"] = self._observed()
            except Exception as exc:  # e.g. a robot gone: keep the program's own error and call log
                result["objects_after"] = []
                result["observe_error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
                if result["error"] is None:
                    result.update(ok=False, exit_reason="target_error",
                                  error=_error(type(exc).__name__, str(exc)[:500]))
            timings["observe_s"] += time.perf_counter() - t
            snapshots.take(self.target, msg.get("snapshot"), "after", result)
            result["safety_violations"] = _safety_violations(result["call_log"], self.target)
            result["verdict"] = self._verdict(msg.get("check"), result)
        finally:
            backend.speak = original_speak
        result["timings"] = timings
        return result

    def _run_program(self, code: str, msg: dict, result: dict, timings: dict) -> None:
        """Fork the program process, serve its calls until it reports, dies or runs out of time."""
        timeout_s = float(msg.get("timeout_s", 60))
        budget = int(msg.get("call_budget", 200))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        t = time.perf_counter()
        try:
            pid = self.zygote.spawn(theirs.fileno(), memory_mb=self.limits.get("memory_mb", 1024),
                                    cpu_s=float(msg.get("cpu_s", timeout_s)))
        finally:
            theirs.close()
        timings["spawn_s"] = time.perf_counter() - t
        channel = Channel(ours.fileno(), MAX_PROGRAM_MESSAGE)
        ended_by: str | None = None  # what this side decided, when it decided (timeout, budget...)
        report = None
        state = {"calls": 0, "t0": time.perf_counter()}
        try:
            channel.send({"op": "run", "code": code, "names": sorted(self.functions), "escape_hatch": self.escape_hatch,
                          "scene_names": safe_env.scene_names(result["objects_before"])})
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    incoming = channel.recv(deadline)
                except TimeoutError:
                    ended_by = "timeout"
                    break
                except (WireError, OSError) as exc:
                    ended_by, result["protocol_error"] = "protocol_violation", str(exc)[:300]
                    break
                if incoming is None:
                    break
                op = incoming.get("op")
                if op == "call":
                    if not self._serve_call(channel, incoming, result["call_log"], state, budget):
                        ended_by = "call_budget"
                        break
                elif op == "print":
                    if len(result["printed"]) < MAX_PRINT_LINES and isinstance(incoming.get("text"), str):
                        result["printed"].append(bounded(incoming["text"], MAX_TEXT))
                elif op == "done":
                    report = program_report(incoming)
                    break
                else:
                    ended_by, result["protocol_error"] = "protocol_violation", f"unknown op {str(op)[:40]!r}"
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass  # it died before reading the program: its exit status says why
        finally:
            status = self.zygote.reap(pid, REPORT_GRACE_S if report is not None and ended_by is None else 0.0)
            channel.close()
        result["calls"] = state["calls"]
        result["program_status"] = status
        self._conclude(result, report, ended_by, status, timeout_s, time.perf_counter() - state["t0"])

    def _serve_call(self, channel: Channel, incoming: dict, call_log: list, state: dict, budget: int) -> bool:
        """One primitive call from the program process. False when the budget stops the run."""
        name = incoming.get("name")
        state["calls"] += 1
        entry: dict[str, Any] = {"name": bounded(str(name), 80), "t": round(time.perf_counter() - state["t0"], 4)}
        try:
            args = decode_value(incoming.get("args"))
            kwargs = decode_value(incoming["kwargs"]) if "kwargs" in incoming else {}
            if (not isinstance(args, list) or not isinstance(kwargs, dict)
                    or not all(isinstance(k, str) for k in kwargs)):
                raise WireError("arguments must be a list and keyword arguments a dict of names")
        except WireError as exc:
            args, kwargs = [], {}
            entry["error"] = {"type": "TypeError", "message": f"malformed call: {exc}"}
        shown = plain_bounded(args)
        entry["args"] = shown if isinstance(shown, list) else [shown]
        if kwargs:
            shown = plain_bounded(kwargs)
            entry["kwargs"] = shown if isinstance(shown, dict) else {"...": shown}
        if state["calls"] > budget:
            entry["error"] = {"type": "BudgetExceededError", "kind": "budget_exceeded",
                              "message": f"primitive-call budget of {budget} calls exceeded"}
            _log(call_log, entry)
            channel.send({"error": entry["error"], "stop": True})
            return False
        if "error" not in entry:
            try:
                fn = self.functions[name] if isinstance(name, str) and name in self.functions else None
                if fn is None:
                    raise NameError(f"name {bounded(str(name), 80)!r} is not a primitive")
                args, kwargs = self.checker.check(name, args, kwargs)
                value = fn(*args, **kwargs)
                reply = {"ok": encode_value(value)}
                entry["result"] = plain_bounded(value)
            except WireError as exc:
                entry["error"] = {"type": "TypeError", "message": f"{name}() returned what cannot be passed: {exc}"}
            except Exception as exc:
                entry["error"] = program_error(exc)
        entry["dt"] = round(time.perf_counter() - state["t0"] - entry["t"], 4)
        _log(call_log, entry)
        channel.send({"error": entry["error"]} if "error" in entry else reply)
        return True

    @staticmethod
    def _conclude(result: dict, report: dict | None, ended_by: str | None, status: dict,
                  timeout_s: float, elapsed: float) -> None:
        """How the run ended, decided here: this side's own stop, else the program's report, else
        the exit status (signal, limit) of the program process."""
        signal_no = status.get("signal")
        if ended_by == "timeout":
            result.update(exit_reason="timeout", error=_error(
                "TimeoutError", f"program did not finish within {timeout_s:.1f} s wall time; it was killed"))
        elif ended_by == "call_budget":
            last = result["call_log"][-1]["error"]["message"] if result["call_log"] else "budget exceeded"
            result.update(exit_reason="call_budget", error=_error("BudgetExceededError", last))
        elif ended_by == "protocol_violation":
            result.update(exit_reason="protocol_violation", error=_error(
                "ProtocolError", "the program process sent an invalid message "
                                 f"({result.get('protocol_error', '')}); it was killed"))
        elif report is not None:
            result.update(ok=report["ok"], exit_reason=report["exit_reason"], error=report["error"],
                          blocked=report["blocked"])
            result["has_result"], result["result"] = sanitize_result(report)
        elif signal_no is not None:
            import signal as signals

            name = signals.Signals(signal_no).name if signal_no in set(signals.Signals) else f"signal {signal_no}"
            if signal_no == signals.SIGXCPU:
                reason, message = "cpu_limit", "program exceeded its CPU-time limit (RLIMIT_CPU); it was killed"
            elif signal_no == signals.SIGKILL:
                reason, message = "crash", f"the program process was killed ({name}; possibly for memory or CPU)"
            else:
                reason, message = "crash", f"the program process died with {name}"
            result.update(exit_reason=reason, crashed=True, error=_error("ProgramCrash", message))
        else:
            result.update(exit_reason="crash", crashed=True, error=_error(
                "ProgramCrash", f"the program process exited with status {status.get('exitcode')} "
                                "without reporting"))
        if result["error"] is not None:
            result["error"]["elapsed_s"] = round(elapsed, 3)

    def _verdict(self, check: Any, result: dict) -> dict | None:
        """The trusted verdict on this server's own world state (None when nothing is to be checked)."""
        if not check:
            return None
        from codebot.checks.check import Check, Judgement
        from codebot.checks.judge import judge_world

        try:
            typed = Check.from_plain(check)
        except ValueError as exc:  # a malformed check is unchecked, with the reason; the server stays up
            return Judgement.unchecked(f"the check could not be read: {exc}").to_plain()
        try:
            return judge_world(typed, result["objects_before"], result["objects_after"]).to_plain()
        except Exception as exc:  # e.g. an unknown template id or a spec that does not parse: not a verdict
            return Judgement.unchecked(f"the check could not be judged: {type(exc).__name__}: "
                                       f"{str(exc)[:300]}").to_plain()

    def _observed(self) -> list[dict]:
        """The target's objects (ObjectInfo records) in their plain form, for the wire."""
        return [o.to_plain() for o in self.target.observe()]

    def observe(self) -> dict:
        return {"op": "observed", "objects": self._observed()}

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
                    if self.zygote is not None:
                        self.zygote.close()
                    self.conn.send_bytes(json.dumps({"op": "closed"}).encode())
                    return
                else:
                    reply = {"op": "error", "error": {"type": "ProtocolError", "message": f"unknown op {op!r}"}}
            except Exception as exc:  # target failures: report and keep the protocol alive
                reply = {"op": "error", "error": {"type": type(exc).__name__, "message": str(exc)[:2000],
                                                  "traceback": traceback.format_exc()[-4000:]}}
            self.conn.send_bytes(json.dumps(reply, default=str).encode())


def _error(kind: str, message: str) -> dict:
    return {"type": kind, "message": message, "line": None, "source_line": None}


def _log(call_log: list, entry: dict) -> None:
    if len(call_log) < MAX_LOG_ENTRIES:
        call_log.append(entry)


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


def _server_test_hooks() -> dict:
    """Faults of the trusted side the sandbox tests provoke (only with config["test_hooks"])."""
    def segfault_for_test() -> None:
        import ctypes

        ctypes.string_at(0)  # reads address 0: SIGSEGV

    def abort_for_test() -> None:
        os.abort()

    return {"segfault_for_test": segfault_for_test, "abort_for_test": abort_for_test}


def main(argv: list[str]) -> int:
    from codebot.sandbox import lockdown

    lockdown.die_with_parent()  # the orchestrator gone (even SIGKILLed): no robot left driven by us
    if os.getppid() != int(argv[2]):
        return 1  # the parent died before the line above
    conn = Connection(int(argv[1]))
    # Keep the orchestrator's terminal clean: pybullet prints from C. stdout goes to stderr's file.
    os.dup2(2, 1)
    faulthandler.enable(all_threads=True)  # a native crash logs every thread's stack; the pool quotes it
    SimServer(conn).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
