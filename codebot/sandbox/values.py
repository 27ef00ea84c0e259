"""Turning what a program touched into plain JSON: primitive arguments/results for the call log,
the program's `result` variable, and exceptions with the program line they happened on."""
from __future__ import annotations

import dataclasses
import json
import traceback
from typing import Any

POLICY_FILENAME = "<policy>"


def plain(value: Any, depth: int = 0) -> Any:
    """A JSON-able rendering of a primitive's argument or result (short, lossy for big things)."""
    if depth > 4:
        return repr(value)[:80]
    if value is None or isinstance(value, (bool, int, str)):
        return value if not isinstance(value, str) or len(value) < 500 else value[:500] + "..."
    if isinstance(value, float):
        return round(value, 4) if value == value and abs(value) != float("inf") else str(value)
    if hasattr(value, "tolist") and hasattr(value, "shape"):
        if getattr(value, "size", 0) > 64:
            return f"<array shape={tuple(value.shape)}>"
        if getattr(value, "ndim", 0) == 1 and getattr(getattr(value, "dtype", None), "kind", "") == "f":
            return [round(v, 4) if v == v and abs(v) != float("inf") else str(v) for v in value.tolist()]
        return plain(value.tolist(), depth + 1)
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        try:
            return plain(value.item(), depth + 1)
        except Exception:
            pass
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        out = [plain(v, depth + 1) for v in items[:32]]
        return out + ["..."] if len(items) > 32 else out
    if isinstance(value, dict):
        return {str(k)[:100]: plain(v, depth + 1) for k, v in list(value.items())[:32]}
    return repr(value)[:200]


MAX_PLAIN_CHARS = 2000


_LOG_SCALARS = (int, bool, type(None))


def _fast_plain(value: Any) -> Any:
    """The usual call-log shapes, rendered without the general walk: a few short names/numbers, or a
    small 1-D float array (a position). None when the value is of another shape."""
    t = type(value)
    if t is list or t is tuple:
        if len(value) > 8:
            return None
        for v in value:
            vt = type(v)
            if not (vt in _LOG_SCALARS or vt is str and len(v) < 200):
                return None
        return list(value)
    if t.__name__ == "ndarray" and value.ndim == 1 and value.size <= 8 and value.dtype.kind == "f":
        items = value.tolist()
        if all(v - v == 0.0 for v in items):  # all finite
            return [round(v, 4) for v in items]
    return None


def plain_bounded(value: Any) -> Any:
    """`plain`, and a short text instead when the rendering is still long (one log entry stays small)."""
    out = _fast_plain(value)
    if out is not None:
        return out
    out = plain(value)
    if _small(out):
        return out
    try:
        size = len(json.dumps(out))
    except (TypeError, ValueError):
        return repr(out)[:200]
    return out if size <= MAX_PLAIN_CHARS else json.dumps(out)[: MAX_PLAIN_CHARS - 3] + "..."


def _small(out: Any) -> bool:
    """Cheaply certain to render short: a scalar, or a flat list of a few scalars."""
    if out is None or isinstance(out, (bool, int, float)) or (isinstance(out, str) and len(out) < 600):
        return True
    return (isinstance(out, list) and len(out) <= 8
            and all(v is None or isinstance(v, (bool, int, float)) or isinstance(v, str) and len(v) < 200 for v in out))


def json_result(value: Any) -> tuple[bool, Any]:
    """(ok, value) where value survives json.dumps exactly (numpy converted); ok False if not."""
    def convert(v, depth=0):
        if depth > 20:
            raise ValueError("too deep")
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if hasattr(v, "tolist") and hasattr(v, "dtype"):
            return v.tolist()
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {f.name: convert(getattr(v, f.name), depth + 1) for f in dataclasses.fields(v)}
        if isinstance(v, (list, tuple)):
            return [convert(x, depth + 1) for x in v]
        if isinstance(v, dict):
            return {str(k): convert(x, depth + 1) for k, x in v.items()}
        raise TypeError(type(v).__name__)
    try:
        converted = convert(value)
        if len(json.dumps(converted)) > 1_000_000:
            return False, None
        return True, converted
    except (TypeError, ValueError, RecursionError):
        return False, None


def error_info(exc: BaseException, code: str) -> dict:
    """Exception type, message, the program line it happened on, and a traceback of program frames."""
    frames = traceback.extract_tb(exc.__traceback__)
    policy_frames = [f for f in frames if f.filename == POLICY_FILENAME]
    lines = code.splitlines()
    line = policy_frames[-1].lineno if policy_frames else getattr(exc, "lineno", None)
    source = lines[line - 1].strip() if line and 1 <= line <= len(lines) else None
    tb_lines = ["Traceback (program frames):"]
    for f in policy_frames[-8:]:
        src = lines[f.lineno - 1].strip() if f.lineno and 1 <= f.lineno <= len(lines) else ""
        tb_lines.append(f"  line {f.lineno}, in {f.name}: {src}")
    message = str(exc) if not isinstance(exc, RecursionError) else "maximum recursion depth exceeded"
    tb_lines.append(f"{type(exc).__name__}: {message}")
    info = {"type": type(exc).__name__, "message": message[:2000], "line": line, "source_line": source,
            "traceback": "\n".join(tb_lines)}
    to_dict = getattr(exc, "to_dict", None)
    if callable(to_dict):
        try:
            d = to_dict()
            info["kind"] = d.get("kind")
            info["details"] = plain(d.get("details", {}))
        except Exception:
            pass
    return info


# ------------------------------------------------------------------ what the program process sends
# Everything below reads text and values that the untrusted program process chose: types are
# checked, lengths capped, and anything unexpected dropped, so a report can only describe a run.
EXIT_REASONS_REPORTED = frozenset({"ok", "exception", "rejected", "call_budget", "memory_limit", "recursion_limit"})


def bounded(text: Any, limit: int) -> str:
    text = text if isinstance(text, str) else str(text)
    return text if len(text) <= limit else text[: max(0, limit - 3)] + "..."


def _optional_str(value: Any, limit: int) -> str | None:
    return bounded(value, limit) if isinstance(value, str) else None


def program_error(exc: BaseException) -> dict:
    """A primitive's exception (raised by trusted code on the program's arguments) as a call-log error."""
    to_dict = getattr(exc, "to_dict", None)
    if callable(to_dict):
        try:
            d = to_dict()
            return {"type": bounded(d.get("type", type(exc).__name__), 80), "kind": bounded(d.get("kind", ""), 60),
                    "message": bounded(d.get("message", ""), 500), "details": plain(d.get("details", {}))}
        except Exception:
            pass
    return {"type": type(exc).__name__, "message": bounded(str(exc), 500)}


def program_report(msg: dict) -> dict:
    """The program process's final report, reduced to its schema."""
    error = msg.get("error")
    clean_error = None
    if isinstance(error, dict):
        line = error.get("line")
        clean_error = {"type": bounded(error.get("type") if isinstance(error.get("type"), str) else "Error", 80),
                       "message": bounded(error.get("message") if isinstance(error.get("message"), str) else "", 2000),
                       "line": (line if isinstance(line, int) and not isinstance(line, bool) and 0 < line < 10**6
                                else None),
                       "source_line": _optional_str(error.get("source_line"), 300),
                       "traceback": _optional_str(error.get("traceback"), 4000)}
        for key in ("kind",):
            if isinstance(error.get(key), str):
                clean_error[key] = bounded(error[key], 60)
        if isinstance(error.get("details"), dict):
            clean_error["details"] = plain(error["details"])
    reason = msg.get("exit_reason")
    ok = msg.get("ok") is True
    blocked = msg.get("blocked") if isinstance(msg.get("blocked"), list) else []
    return {"ok": ok, "error": None if ok else clean_error,
            "exit_reason": reason if reason in EXIT_REASONS_REPORTED and (reason == "ok") == ok else
            ("ok" if ok else "exception"),
            "blocked": [bounded(b, 200) for b in blocked[:20] if isinstance(b, str)],
            "has_result": msg.get("has_result") is True, "result": msg.get("result")}


def sanitize_result(report: dict) -> tuple[bool, Any]:
    """The program's `result` variable: decoded from the wire, then JSON-exact or dropped."""
    from codebot.sandbox.wire import WireError, decode_value

    if not report.get("has_result"):
        return False, None
    try:
        return json_result(decode_value(report.get("result")))
    except (WireError, RecursionError, ValueError):
        return False, None
