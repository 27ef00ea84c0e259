"""The program channel: length-prefixed JSON frames carrying only plain data.

Values on the wire: None, bool, int, float (non-finite allowed, the receiver decides), str, lists,
and tagged objects for what JSON lacks: {"t": [...]} tuple, {"d": [[k, v], ...]} dict,
{"nd": [dtype, shape, base64]} numpy array of a numeric/bool dtype, {"nt": [type, fields, values]}
named tuple. Nothing else can be encoded, so no callable, generator or object crosses; the decoder
refuses unknown tags, object dtypes, over-deep nesting and over-long frames.
"""
from __future__ import annotations

import base64
import json
import math
import os
import select
import struct
import time
from typing import Any

import numpy as np

HEADER = struct.Struct(">I")
MAX_DEPTH = 24
MAX_ITEMS = 100_000  # list/dict/array elements in one frame
SAFE_DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                         "float16", "float32", "float64"})


class WireError(ValueError):
    """A frame that is not valid plain data (or too big, too deep, too slow)."""


# ------------------------------------------------------------------------------------- values
def encode_value(value: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else {"f": repr(value)}
    if isinstance(value, np.ndarray):
        dtype = value.dtype.name
        if dtype not in SAFE_DTYPES:
            raise WireError(f"arrays of dtype {dtype} cannot be passed")
        if value.size > MAX_ITEMS:
            raise WireError(f"array of {value.size} elements is too large")
        data = np.ascontiguousarray(value).tobytes()
        return {"nd": [dtype, list(value.shape), base64.b64encode(data).decode("ascii")]}
    if isinstance(value, np.generic):
        return encode_value(value.item(), depth + 1)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {"nt": [type(value).__name__, list(value._fields), [encode_value(v, depth + 1) for v in value]]}
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            raise WireError(f"sequence of {len(value)} items is too large")
        items = [encode_value(v, depth + 1) for v in value]
        return items if isinstance(value, list) else {"t": items}
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise WireError(f"dict of {len(value)} items is too large")
        return {"d": [[encode_value(k, depth + 1), encode_value(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return encode_value(sorted(value, key=repr), depth)
    raise WireError(f"a {type(value).__name__} cannot be passed to or from a primitive (plain data only)")


_NAMED_TUPLES: dict[tuple, type] = {}


def _named_tuple(name: str, fields: tuple[str, ...]) -> type:
    import collections

    key = (name, fields)
    if key not in _NAMED_TUPLES:
        _NAMED_TUPLES[key] = collections.namedtuple(name, fields)
    return _NAMED_TUPLES[key]


def decode_value(obj: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, list):
        return [decode_value(v, depth + 1) for v in obj]
    if not isinstance(obj, dict) or len(obj) != 1:
        raise WireError("malformed value")
    (tag, body), = obj.items()
    if tag == "t" and isinstance(body, list):
        return tuple(decode_value(v, depth + 1) for v in body)
    if tag == "d" and isinstance(body, list):
        out = {}
        for pair in body:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise WireError("malformed dict item")
            key = decode_value(pair[0], depth + 1)
            if not isinstance(key, (str, int, float, bool, type(None), tuple)):
                raise WireError("unhashable dict key")
            out[key] = decode_value(pair[1], depth + 1)
        return out
    if tag == "f" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "nd" and isinstance(body, list) and len(body) == 3:
        dtype, shape, data = body
        if dtype not in SAFE_DTYPES or not isinstance(shape, list) or not isinstance(data, str):
            raise WireError("malformed array")
        if len(shape) > 8 or not all(isinstance(n, int) and 0 <= n <= MAX_ITEMS for n in shape):
            raise WireError("malformed array shape")
        raw = base64.b64decode(data.encode("ascii"), validate=True)
        count = int(np.prod(shape)) if shape else 1
        if count > MAX_ITEMS or len(raw) != count * np.dtype(dtype).itemsize:
            raise WireError("array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if tag == "nt" and isinstance(body, list) and len(body) == 3:
        name, fields, values = body
        if not (isinstance(name, str) and name.isidentifier() and not name.startswith("_")
                and isinstance(fields, list) and isinstance(values, list) and len(fields) == len(values)
                and len(fields) <= 32
                and all(isinstance(f, str) and f.isidentifier() and not f.startswith("_") for f in fields)):
            raise WireError("malformed named tuple")
        return _named_tuple(name, tuple(fields))(*(decode_value(v, depth + 1) for v in values))
    raise WireError(f"unknown value tag {str(tag)[:20]!r}")


# ------------------------------------------------------------------------------------- frames
class Channel:
    """Framed messages over one stream descriptor. `recv` enforces a size cap and a deadline, so a
    peer that sends garbage, a partial frame or nothing at all cannot block or crash the reader."""

    def __init__(self, fd: int, max_recv: int):
        self.fd = fd
        self.max_recv = max_recv

    def send(self, msg: dict) -> None:
        data = json.dumps(msg, separators=(",", ":"), allow_nan=False).encode()
        frame = HEADER.pack(len(data)) + data
        view = memoryview(frame)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]

    def recv(self, deadline: float | None = None) -> dict | None:
        """The next message; None when the peer closed the channel. Raises WireError on a bad frame
        and TimeoutError past `deadline` (time.monotonic())."""
        header = self._read_exact(HEADER.size, deadline, allow_eof=True)
        if header is None:
            return None
        (size,) = HEADER.unpack(header)
        if size > self.max_recv:
            raise WireError(f"message of {size} bytes is over the {self.max_recv}-byte limit")
        body = self._read_exact(size, deadline, allow_eof=False)
        try:
            msg = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise WireError(f"message is not JSON: {str(exc)[:80]}") from None
        if not isinstance(msg, dict):
            raise WireError("message is not an object")
        return msg

    def _read_exact(self, n: int, deadline: float | None, allow_eof: bool) -> bytes | None:
        chunks: list[bytes] = []
        got = 0
        while got < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no complete message before the deadline")
                ready, _, _ = select.select([self.fd], [], [], left)
                if not ready:
                    continue
            chunk = os.read(self.fd, min(n - got, 1 << 20))
            if not chunk:
                if allow_eof and got == 0:
                    return None
                raise WireError("channel closed in the middle of a message")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass
