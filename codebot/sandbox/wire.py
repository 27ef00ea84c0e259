"""The program channel: length-prefixed JSON frames carrying only plain data.

Values on the wire: None, bool, int, float (non-finite allowed, the receiver decides), str, lists,
and tagged objects for what JSON lacks: {"t": [...]} tuple, {"d": [[k, v], ...]} dict,
{"nd": [dtype, shape, base64 | numbers]} numpy array of a numeric/bool dtype, {"nt": [type, fields, values]}
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
MAX_ITEMS = 100_000  # list/dict elements in one value
MAX_ARRAY_ELEMENTS = 16_000_000  # an image or a mask fits; the frame size caps of each side apply too
SMALL_ARRAY = 64
_NUMBER_TYPES = (int, float, bool)
SAFE_DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                         "float16", "float32", "float64"})


class WireError(ValueError):
    """A frame that is not valid plain data (or too big, too deep, too slow)."""


# ------------------------------------------------------------------------------------- values
_SCALARS = (str, int, bool, type(None))  # exact types that are their own wire form (float: if finite)
_DTYPE_NAMES = {np.dtype(name): name for name in SAFE_DTYPES}  # dtype.name is a slow Python property


def _plain_scalars(items: list | tuple) -> bool:
    """A short flat sequence of str/int/bool/None/finite float: already its own wire form. The common
    shape of a call's arguments, checked without the general walk."""
    if len(items) > SMALL_ARRAY:
        return False
    for v in items:
        t = type(v)
        if t is float:
            if v - v != 0.0:  # nan or inf (x - x is 0.0 for every finite x)
                return False
        elif t not in _SCALARS:
            return False
    return True


def encode_value(value: Any, depth: int = 0) -> Any:
    t = type(value)
    if t in _SCALARS:
        return value
    if t is list and _plain_scalars(value):
        return value
    if t is np.ndarray:
        return _encode_array(value)
    return _encode_general(value, depth)


def _encode_array(value: np.ndarray) -> dict:
    dtype = _DTYPE_NAMES.get(value.dtype)
    if dtype is None:
        raise WireError(f"arrays of dtype {value.dtype} cannot be passed")
    if value.size > MAX_ARRAY_ELEMENTS:
        raise WireError(f"array of {value.size} elements is too large")
    if value.size <= SMALL_ARRAY and dtype != "float16":  # a position: numbers are cheaper than base64
        return {"nd": [dtype, list(value.shape), value.ravel().tolist()]}
    data = np.ascontiguousarray(value).tobytes()
    return {"nd": [dtype, list(value.shape), base64.b64encode(data).decode("ascii")]}


def _encode_general(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else {"f": repr(value)}
    if isinstance(value, np.ndarray):
        return _encode_array(value)
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
    """A tuple subclass with named fields. Built with type(), not collections.namedtuple, which
    compiles source (refused by the program process's audit hook)."""
    import operator

    key = (name, fields)
    if key not in _NAMED_TUPLES:
        body = {"__slots__": (), "_fields": fields,
                "__new__": lambda cls, *values: tuple.__new__(cls, values),
                "__repr__": lambda self: f"{name}(" + ", ".join(f"{f}={v!r}" for f, v in zip(fields, self)) + ")",
                "_asdict": lambda self: dict(zip(fields, self))}
        body.update({f: property(operator.itemgetter(i)) for i, f in enumerate(fields)})
        _NAMED_TUPLES[key] = type(name, (tuple,), body)
    return _NAMED_TUPLES[key]


_DECODED_SCALARS = (str, int, float, bool, type(None))  # json.loads makes exactly these types


def decode_value(obj: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    t = type(obj)
    if t in _DECODED_SCALARS:
        return obj
    if t is list:
        if all(type(v) in _DECODED_SCALARS for v in obj):
            return obj
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
        if dtype not in SAFE_DTYPES or not isinstance(shape, list) or not isinstance(data, (str, list)):
            raise WireError("malformed array")
        if len(shape) > 8 or not all(isinstance(n, int) and 0 <= n <= MAX_ARRAY_ELEMENTS for n in shape):
            raise WireError("malformed array shape")
        count = math.prod(shape)
        if isinstance(data, list):
            if count > SMALL_ARRAY or len(data) != count or not all(type(x) in _NUMBER_TYPES for x in data):
                raise WireError("array data does not match its shape")
            try:
                return np.array(data, dtype=dtype).reshape(shape)
            except (OverflowError, ValueError, TypeError):
                raise WireError("array data does not fit its dtype") from None
        raw = base64.b64decode(data.encode("ascii"), validate=True)
        if count > MAX_ARRAY_ELEMENTS or len(raw) != count * np.dtype(dtype).itemsize:
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
_from_json = json.JSONDecoder().decode  # from text: json.loads on bytes first sniffs the encoding in Python
def _refuse(obj: Any) -> Any:
    raise TypeError(f"{type(obj).__name__} is not plain data")


try:  # the C encoder, made once: json.dumps builds a new one on every call (a third of a small frame's cost)
    from json.encoder import c_make_encoder, encode_basestring_ascii

    _c_encode = c_make_encoder(None, _refuse, encode_basestring_ascii, None, ":", ",", False, False, False)

    def _to_json(msg: dict) -> str:
        return "".join(_c_encode(msg, 0))
except (ImportError, TypeError):  # an interpreter without the C accelerator
    _to_json = json.JSONEncoder(separators=(",", ":"), allow_nan=False, default=_refuse).encode
class Channel:
    """Framed messages over one stream descriptor. `recv` enforces a size cap and a deadline, so a
    peer that sends garbage, a partial frame or nothing at all cannot block or crash the reader."""

    def __init__(self, fd: int, max_recv: int):
        self.fd = fd
        self.max_recv = max_recv
        self._buf = bytearray()  # bytes read past the last frame (one read often holds a whole frame)
        self._nonblocking = False  # switched on by the first read with a deadline (the trusted side's)

    def send(self, msg: dict) -> None:
        data = _to_json(msg).encode()
        frame = HEADER.pack(len(data)) + data
        try:  # the usual case: one write takes the whole frame
            n = os.write(self.fd, frame)
        except BlockingIOError:
            n = 0
        view = memoryview(frame)[n:]
        while view:
            try:
                n = os.write(self.fd, view)
            except BlockingIOError:  # a large reply on a non-blocking descriptor: wait until it drains
                select.select([], [self.fd], [], 5.0)
                continue
            view = view[n:]

    def recv(self, deadline: float | None = None) -> dict | None:
        """The next message; None when the peer closed the channel. Raises WireError on a bad frame
        and TimeoutError past `deadline` (time.monotonic())."""
        if not self._fill(HEADER.size, deadline, allow_eof=True):
            return None
        (size,) = HEADER.unpack_from(self._buf)
        if size > self.max_recv:
            raise WireError(f"message of {size} bytes is over the {self.max_recv}-byte limit")
        self._fill(HEADER.size + size, deadline, allow_eof=False)
        end = HEADER.size + size
        if len(self._buf) == end:  # the usual case: the buffer holds exactly this frame
            body, self._buf = self._buf[HEADER.size:], bytearray()
        else:
            body = self._buf[HEADER.size:end]
            del self._buf[:end]
        try:
            msg = _from_json(body.decode("utf-8"))
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            raise WireError(f"message is not JSON: {str(exc)[:80]}") from None
        if not isinstance(msg, dict):
            raise WireError("message is not an object")
        return msg

    def _fill(self, n: int, deadline: float | None, allow_eof: bool) -> bool:
        """Read until the buffer holds `n` bytes; False on a clean end of stream before any byte."""
        while len(self._buf) < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no complete message before the deadline")
                self._set_nonblocking()
                try:  # most messages are already there: read at once, wait only when nothing is
                    chunk = os.read(self.fd, max(n - len(self._buf), 1 << 16))
                except BlockingIOError:
                    select.select([self.fd], [], [], left)
                    continue
            else:
                chunk = os.read(self.fd, max(n - len(self._buf), 1 << 16))
            if not chunk:
                if allow_eof and not self._buf:
                    return False
                raise WireError("channel closed in the middle of a message")
            self._buf += chunk
        return True

    def _set_nonblocking(self) -> None:
        if not self._nonblocking:
            os.set_blocking(self.fd, False)
            self._nonblocking = True

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass
