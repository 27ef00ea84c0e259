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
        return {str(k): plain(v, depth + 1) for k, v in list(value.items())[:32]}
    return repr(value)[:200]


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
