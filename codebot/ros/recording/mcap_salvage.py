"""Salvage a rosbag2 directory whose writer died before closing it (no metadata.yaml, no mcap footer):
read the complete records the mcap file holds; bag_journal.recover_bags writes them as a new, complete bag in
its place. Bags recorded through the journal (bag_journal) never need this; older recordings may."""
from __future__ import annotations

import struct
from io import BytesIO
from pathlib import Path

MAGIC = b"\x89MCAP0\r\n"


def _str(buf: BytesIO) -> str:
    (n,) = struct.unpack("<I", buf.read(4))
    return buf.read(n).decode()


def _records(data: bytes):
    pos = 0
    while pos + 9 <= len(data):
        op, size = data[pos], struct.unpack_from("<Q", data, pos + 1)[0]
        if pos + 9 + size > len(data):
            return  # cut short by the crash
        yield op, data[pos + 9:pos + 9 + size]
        pos += 9 + size


def read_partial_mcap(path: Path) -> tuple[dict[int, tuple[str, str]], list[tuple[int, int, bytes]]]:
    """({channel id: (topic, msgtype)}, [(channel id, log_time, data)]) from whatever is complete."""
    raw = path.read_bytes()
    if not raw.startswith(MAGIC):
        raise ValueError(f"{path} is not an mcap file")
    schemas: dict[int, str] = {}
    channels: dict[int, tuple[str, str]] = {}
    messages: list[tuple[int, int, bytes]] = []

    def visit(data: bytes) -> None:
        for op, body in _records(data):
            buf = BytesIO(body)
            if op == 0x03:  # schema
                (sid,) = struct.unpack("<H", buf.read(2))
                schemas[sid] = _str(buf)
            elif op == 0x04:  # channel
                cid, sid = struct.unpack("<HH", buf.read(4))
                topic = _str(buf)
                channels[cid] = (topic, schemas.get(sid, ""))
            elif op == 0x05:  # message
                cid, _seq, log_time, _pub = struct.unpack_from("<HIQQ", body)
                messages.append((cid, log_time, body[22:]))
            elif op == 0x06:  # chunk: uncompressed ones only (rosbags writes those by default)
                buf.read(28)
                compression = _str(buf)
                (size,) = struct.unpack("<Q", buf.read(8))
                if compression == "":
                    visit(buf.read(size))

    visit(raw[len(MAGIC):])
    return channels, messages


def read_salvageable(bag: Path) -> tuple[list[tuple[str, str]], list[tuple[int, int, bytes]]] | None:
    """(topics, [(topic index, log_time, data)]) of what the mcap file of `bag` (a directory without
    metadata.yaml) holds complete, ready for `bag_journal.write_bag`; None if nothing can be read.
    Reads only: the caller writes the bag (so this module needs nothing of bag_journal)."""
    files = sorted(bag.glob("*.mcap"))
    if not files:
        return None
    try:
        channels, messages = read_partial_mcap(files[0])
    except (ValueError, OSError, struct.error):
        return None
    ids = [cid for cid, (_, msgtype) in sorted(channels.items()) if msgtype]
    index = {cid: i for i, cid in enumerate(ids)}
    return ([channels[cid] for cid in ids],
            [(index[cid], ts, data) for cid, ts, data in messages if cid in index])
