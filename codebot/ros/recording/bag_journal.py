"""A crash-proof journal under each rosbag2 recording, and recovery of the bags a crash left behind.

While a dispatch is recorded, every message is appended to `<bag>.recording` (one write(2) per
message, so a SIGKILL of the recorder loses at most the message being written, never the file).
A clean stop converts the journal into the rosbag2 (mcap + metadata.yaml) and deletes it; whatever
is left behind by a crash is converted by `recover_bags(bag_dir)`, which codebot_node runs when it
starts (or: `python -m codebot.ros.recording.bag_journal recover DIR`). The bag is written to a temporary
directory and renamed into place, so a bag directory with metadata.yaml is always complete.

Journal format: one JSON header line {"version": 1, "topics": [[topic, "pkg/msg/Type"], ...]},
then records <uint16 topic index, uint64 timestamp ns, uint32 length, CDR bytes> (little endian).
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import sys
import threading
from pathlib import Path

from codebot.ros.recording.mcap_salvage import read_salvageable

JOURNAL_SUFFIX = ".recording"
_RECORD = struct.Struct("<HQI")


def journal_path(bag_path: str | Path) -> Path:
    bag_path = Path(bag_path)
    return bag_path.with_name(bag_path.name + JOURNAL_SUFFIX)


class JournalWriter:
    def __init__(self, path: str | Path, topics: list[tuple[str, str]]):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.index = {topic: i for i, (topic, _) in enumerate(topics)}
        self._lock = threading.Lock()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        header = json.dumps({"version": 1, "topics": [list(t) for t in topics]}).encode() + b"\n"
        os.write(self._fd, header)
        os.fsync(self._fd)  # the header, at least, survives a power cut too
        self.count = 0

    def write(self, topic: str, timestamp_ns: int, data: bytes) -> None:
        rec = _RECORD.pack(self.index[topic], timestamp_ns, len(data)) + bytes(data)
        with self._lock:
            if self._fd < 0:
                return
            os.write(self._fd, rec)
            self.count += 1

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.fsync(self._fd)
                os.close(self._fd)
                self._fd = -1


def read_journal(path: str | Path) -> tuple[list[tuple[str, str]], list[tuple[int, int, bytes]]]:
    """(topics, [(topic index, timestamp_ns, data)]); a record cut short by a crash is dropped."""
    raw = Path(path).read_bytes()
    end = raw.find(b"\n")
    if end < 0:
        raise ValueError(f"{path}: no journal header")
    topics = [tuple(t) for t in json.loads(raw[:end])["topics"]]
    records, pos = [], end + 1
    while pos + _RECORD.size <= len(raw):
        idx, ts, size = _RECORD.unpack_from(raw, pos)
        start = pos + _RECORD.size
        if start + size > len(raw) or idx >= len(topics):
            break
        records.append((idx, ts, raw[start:start + size]))
        pos = start + size
    return topics, records


def write_bag(bag_path: str | Path, topics: list[tuple[str, str]], records: list[tuple[int, int, bytes]]) -> int:
    """Write [(topic index, timestamp_ns, CDR)] as a rosbag2 (mcap) at bag_path, replacing whatever
    incomplete bag is there: written beside it, then renamed into place. Returns the message count."""
    from rosbags.rosbag2 import StoragePlugin, Writer
    from rosbags.typesys import Stores, get_typestore

    bag_path = Path(bag_path)
    tmp = bag_path.with_name(bag_path.name + ".converting")
    if tmp.exists():
        shutil.rmtree(tmp)
    typestore = get_typestore(Stores.ROS2_KILTED)
    writer = Writer(tmp, version=9, storage_plugin=StoragePlugin.MCAP)
    writer.open()
    conns = [writer.add_connection(topic, type_name, typestore=typestore) for topic, type_name in topics]
    for idx, ts, data in sorted(records, key=lambda r: r[1]):
        writer.write(conns[idx], ts, data)
    writer.close()
    # the bag's file is named after its directory; keep that true after the rename
    (tmp / f"{tmp.name}.mcap").rename(tmp / f"{bag_path.name}.mcap")
    meta = tmp / "metadata.yaml"
    meta.write_text(meta.read_text().replace(f"{tmp.name}.mcap", f"{bag_path.name}.mcap"))
    if bag_path.exists():
        shutil.rmtree(bag_path)
    tmp.rename(bag_path)
    return len(records)


def journal_to_bag(journal: str | Path, bag_path: str | Path) -> int:
    topics, records = read_journal(journal)
    return write_bag(bag_path, topics, records)


def bag_is_complete(bag_path: str | Path) -> bool:
    return (Path(bag_path) / "metadata.yaml").exists()


def recover_bags(bag_dir: str | Path) -> list[Path]:
    """Turn every journal left in bag_dir into a readable bag; returns the bags recovered. A bag
    directory without metadata (a crash of older code) is rebuilt from what its mcap holds."""
    bag_dir = Path(bag_dir)
    if not bag_dir.is_dir():
        return []
    recovered = []
    for journal in sorted(bag_dir.glob(f"*{JOURNAL_SUFFIX}")):
        bag = journal.with_name(journal.name[:-len(JOURNAL_SUFFIX)])
        try:
            journal_to_bag(journal, bag)
        except (ValueError, OSError) as exc:
            print(f"warning: cannot recover {journal}: {exc}", file=sys.stderr)
            continue
        journal.unlink()
        recovered.append(bag)
    for tmp in bag_dir.glob("*.converting"):
        shutil.rmtree(tmp, ignore_errors=True)
    for bag in sorted(p for p in bag_dir.iterdir() if p.is_dir() and not bag_is_complete(p)):
        salvaged = read_salvageable(bag)
        if salvaged is not None:
            write_bag(bag, *salvaged)
            recovered.append(bag)
    return recovered


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 2 or argv[0] != "recover":
        print("usage: python -m codebot.ros.recording.bag_journal recover BAG_DIR", file=sys.stderr)
        return 2
    for bag in recover_bags(argv[1]):
        print(f"recovered {bag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
