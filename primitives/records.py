"""Field checks for reading typed records back from plain data (the sandbox wire, traces, ROS topics).

Every record's `from_plain` uses these, so a bad record says which field of which record is wrong
instead of failing later with a KeyError or a tuple of strings where numbers were meant.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

PLAIN_DIGITS = 4  # metres to 0.1 mm: the precision the wire and the traces have always carried
_MISSING = object()


class RecordError(ValueError):
    """Plain data that is not a valid record: a missing field, or a field of the wrong type."""


def fields_of(data: Any, record: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise RecordError(f"{record}: expected a dict, got {type(data).__name__}")
    return data


def _get(data: Mapping, key: str, record: str, default: Any) -> Any:
    if key in data:
        return data[key]
    if default is _MISSING:
        raise RecordError(f"{record}: missing field {key!r}")
    return default


def text(data: Mapping, key: str, record: str, default: Any = _MISSING) -> Any:
    """A string field; None passes only where the default is None (an optional field)."""
    value = _get(data, key, record, default)
    if isinstance(value, str) or (value is None and default is None):
        return value
    raise RecordError(f"{record}: {key!r} must be a string, got {type(value).__name__}")


def number(data: Mapping, key: str, record: str, default: Any = _MISSING) -> float:
    value = _get(data, key, record, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"{record}: {key!r} must be a number, got {type(value).__name__}")
    return float(value)


def integer(data: Mapping, key: str, record: str, default: Any = _MISSING) -> int:
    value = _get(data, key, record, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{record}: {key!r} must be an integer, got {value!r:.40}")
    return value


def flag(data: Mapping, key: str, record: str, default: Any = _MISSING) -> bool:
    value = _get(data, key, record, default)
    if not isinstance(value, bool):
        raise RecordError(f"{record}: {key!r} must be true or false, got {value!r:.40}")
    return value


def vector(data: Mapping, key: str, record: str, size: int = 3) -> tuple[float, ...]:
    value = _get(data, key, record, _MISSING)
    if (not isinstance(value, (list, tuple)) or len(value) != size
            or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value)):
        raise RecordError(f"{record}: {key!r} must be {size} numbers, got {value!r:.60}")
    return tuple(float(v) for v in value)


def names(data: Mapping, key: str, record: str) -> tuple[str, ...]:
    value = _get(data, key, record, ())
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"{record}: {key!r} must be a list of strings, got {value!r:.60}")
    return tuple(value)


def rounded(value: float) -> float:
    """A float for the plain form: finite ones to PLAIN_DIGITS (numpy scalars become floats)."""
    value = float(value)
    return round(value, PLAIN_DIGITS) if math.isfinite(value) else value
