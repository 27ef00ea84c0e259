"""Episode traces: one JSON record per episode in a JSONL file, appended atomically.

A record holds the instruction, configuration, every prompt and completion, the code and feedback of
each turn, the verdict, timings and the video path. `codebot replay TRACE` re-runs one."""
from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

TRACE_FILE = "episodes.jsonl"


def new_episode_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:8]


def append_record(path: str | os.PathLike, record: dict[str, Any]) -> Path:
    """Append one record as a single write under an exclusive lock, then fsync: concurrent episodes
    never interleave and a crash never leaves half a line."""
    return append_records(path, [record])


def append_records(path: str | os.PathLike, records: list[dict[str, Any]]) -> Path:
    """Several records, one JSON line each (ASCII-escaped: one line for every reader), in one write
    under an exclusive lock, then one fsync."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join((json.dumps(r, default=_jsonable, ensure_ascii=True) + "\n").encode() for r in records)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    return path


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "to_plain"):  # the typed records (ObjectInfo, ResetConfig, ProgramResult...)
        return value.to_plain()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    return repr(value)


def read_records(path: str | os.PathLike) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not a trace record ({exc.msg})") from None


def find_record(path: str | os.PathLike, episode_id: str | None = None, index: int = -1) -> dict[str, Any]:
    """A record by id, or by position (default: the last one). `path` may be 'file.jsonl#id'."""
    path = str(path)
    if "#" in path and episode_id is None:
        path, episode_id = path.split("#", 1)
    records = list(read_records(path))
    if not records:
        raise ValueError(f"{path} holds no trace records")
    if episode_id:
        for record in records:
            if record.get("id") == episode_id:
                return record
        raise ValueError(f"{path} has no episode {episode_id!r}")
    try:
        return records[index]
    except IndexError:
        raise ValueError(f"{path} has {len(records)} records; index {index} is out of range") from None
