"""The program channel carries plain data only, and the trusted reader survives any bytes: wrong tags,
object arrays, deep nesting, oversized, partial or non-JSON frames, a silent peer."""
import json
import os
import socket
import struct
import time

import numpy as np
import pytest

from codebot.sandbox.arguments import ArgumentChecker
from codebot.sandbox.wire import Channel, WireError, decode_value, encode_value
from codebot.primitives.errors import InvalidArgumentError


def roundtrip(value):
    return decode_value(json.loads(json.dumps(encode_value(value))))


def test_plain_values_round_trip_exactly():
    from collections import namedtuple

    Detection = namedtuple("Detection", "name box score")
    value = {"a": [1, 2.5, None, True, "x"], "t": (1, 2), 3: float("inf"),
             "d": Detection("red cup", (1, 2, 3, 4), 0.9)}
    out = roundtrip(value)
    assert out["a"] == [1, 2.5, None, True, "x"] and out["t"] == (1, 2) and out[3] == float("inf")
    assert out["d"].name == "red cup" and out["d"].box == (1, 2, 3, 4)
    for array in (np.array([0.1, -0.5, 0.02]), np.zeros((480, 640), dtype=bool), np.arange(12).reshape(3, 4)):
        back = roundtrip(array)
        assert back.dtype == array.dtype and back.shape == array.shape and np.array_equal(back, array)


def test_the_fast_paths_keep_the_general_rules():
    """Flat lists and small arrays skip the general walk; what they let through must be the same."""
    assert encode_value(["red block", 2, None, True, 0.5]) == ["red block", 2, None, True, 0.5]
    for bad in (float("nan"), float("inf"), -float("inf")):  # non-finite floats stay tagged, not bare JSON
        assert encode_value([1.0, bad])[1] == {"f": repr(bad)}
        back = roundtrip([bad])[0]
        assert repr(back) == repr(bad)
    assert encode_value([np.float64(0.5)]) == [0.5]  # a numpy scalar in a list takes the general path
    with pytest.raises(WireError):
        encode_value([print])
    with pytest.raises(WireError):  # a byte-swapped array would decode to other numbers: refused
        encode_value(np.array([1.0, 2.0], dtype=">f8"))
    nested = decode_value([1, [2, {"t": [3]}]])
    assert nested == [1, [2, (3,)]]
    with pytest.raises(WireError):
        decode_value([1, {"zz": 1}])


@pytest.mark.parametrize("value", [lambda: 0, (x for x in [1]), object(), np.array([1], dtype=object), print])
def test_nothing_but_plain_data_can_be_encoded(value):
    with pytest.raises(WireError):
        encode_value(value)


@pytest.mark.parametrize("obj", [
    {"nd": ["object", [1], "AAAA"]}, {"nd": ["float64", [2], "AAAA"]}, {"nd": ["float64", [2], [1.0, "x"]]},
    {"zz": 1}, {"t": 1}, {"nt": ["_Evil", ["a"], [1]]}, {"nt": ["X", ["__class__"], [1]]}, {"a": 1, "b": 2},
])
def test_the_decoder_refuses_malformed_values(obj):
    with pytest.raises(WireError):
        decode_value(obj)


def test_deep_nesting_is_refused_both_ways():
    deep = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(WireError):
        encode_value(deep)
    with pytest.raises(WireError):
        decode_value(json.loads("[" * 100 + "]" * 100))


def pair(max_recv=1024):
    a, b = socket.socketpair()
    return Channel(a.fileno(), max_recv), b, a


def test_frames_over_the_cap_partial_or_not_json_are_errors_not_hangs():
    reader, writer, keep = pair()
    writer.sendall(struct.pack(">I", 10**9))
    with pytest.raises(WireError, match="over the"):
        reader.recv(time.monotonic() + 1)
    reader, writer, keep = pair()
    writer.sendall(struct.pack(">I", 5) + b"{nope")
    with pytest.raises(WireError, match="not JSON"):
        reader.recv(time.monotonic() + 1)
    reader, writer, keep = pair()
    writer.sendall(struct.pack(">I", 100) + b"{")
    t0 = time.monotonic()
    with pytest.raises(TimeoutError):
        reader.recv(time.monotonic() + 0.3)
    assert time.monotonic() - t0 < 2
    writer.close()
    with pytest.raises(WireError, match="middle of a message"):
        reader.recv(time.monotonic() + 1)


def test_a_closed_channel_reads_as_none_and_messages_arrive_in_order():
    reader, writer, keep = pair()
    sender = Channel(os.dup(writer.fileno()), 1024)
    for i in range(3):
        sender.send({"op": "print", "text": str(i)})
    sender.close()
    writer.close()
    assert [reader.recv(time.monotonic() + 1)["text"] for _ in range(3)] == ["0", "1", "2"]
    assert reader.recv(time.monotonic() + 1) is None


def test_the_argument_checker_enforces_signatures_hints_and_finite_numbers():
    def move_to(xyz: np.ndarray) -> None: ...
    def say(msg: str) -> None: ...
    def nth_from(names: list[str], n: int, direction: str) -> str: ...

    check = ArgumentChecker({"move_to": move_to, "say": say, "nth_from": nth_from}).check
    assert check("move_to", [[0.1, -0.5, 0.2]], {})[0] == [[0.1, -0.5, 0.2]]
    assert check("nth_from", [["a", "b"], 2, "left"], {})
    for name, args, kwargs, error in [
        ("move_to", [[float("nan"), 0, 0]], {}, InvalidArgumentError),
        ("move_to", ["up"], {}, InvalidArgumentError),
        ("say", ["x" * 5000], {}, InvalidArgumentError),
        ("say", [], {}, TypeError),
        ("say", ["hi"], {"loud": True}, TypeError),
        ("nth_from", [["a"], 1.5, "left"], {}, InvalidArgumentError),
        ("nth_from", [["a"], 10**20, "left"], {}, InvalidArgumentError),
        ("nth_from", [["a", 3], 1, "left"], {}, InvalidArgumentError),  # list[str] items are checked
        ("nth_from", ["a", 1, "left"], {}, InvalidArgumentError),
    ]:
        with pytest.raises(error):
            check(name, args, kwargs)
    with pytest.raises(TypeError, match=r"^say\(\): too many positional arguments; it is called as "
                                        r"say\(msg: str\) -> None$"):
        check("say", ["hi", "there"], {})
