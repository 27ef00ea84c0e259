"""The run directory's record of finished trials: one JSON line per trial, appended (and fsynced) the
moment the driver receives it, so a run that is killed, or a cluster that goes away, loses at most the
trials still in flight. Re-running with `resume` skips every trial recorded here.

    <out>/cap-tabletop-<llm>-a<attempts>.trials.jsonl
    {"ledger": 1, "fingerprint": {...}}          first line: what the results depend on
    {"key": [cell, template, trial], "record": {...}}   one line per finished trial

A trial is keyed by (cell, template, trial) and its instance seed; the fingerprint holds the settings
that change a trial's result (base seed, policy source, robot, limits), so trials of a differently
configured run are never mixed in. Worker count, executor, slice and address do not enter it: results do
not depend on them. Records of infrastructure errors are kept for the report but re-run on resume.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from codebot.bench.plan import CELL_NAMES, BenchConfig, Job

FORMAT = 1
INFRASTRUCTURE_ERROR = "benchmark infrastructure error"
# llm_opts that only say how to reach a server, not what answers: a restarted server on another port resumes.
_TRANSPORT_OPTS = ("base_url", "api_key", "timeout_s", "retries")


class LedgerMismatchError(ValueError):
    """The run directory holds trials of a differently configured run."""


def fingerprint(config: BenchConfig) -> dict:
    return {"suite": config.suite, "seed": config.seed, "llm": config.llm, "attempts": config.attempts,
            "llm_opts": {k: v for k, v in sorted(config.llm_opts.items()) if k not in _TRANSPORT_OPTS},
            "robot": config.robot, "timeout_s": config.timeout_s, "call_budget": config.call_budget,
            "layout_tries": config.layout_tries}


def ledger_path(config: BenchConfig) -> Path:
    return Path(config.out) / f"cap-tabletop-{config.llm}-a{config.attempts}.trials.jsonl"


def _key(record: dict) -> list:
    return [CELL_NAMES.index(record["cell"]), int(record["template_id"]), int(record["trial"])]


class RunLedger:
    """Append-only record of finished trials for one run directory."""

    def __init__(self, config: BenchConfig):
        self.path = ledger_path(config)
        self.fingerprint = json.loads(json.dumps(fingerprint(config), default=str))
        self._fd: int | None = None

    # -- reading -------------------------------------------------------------------------------------------
    def _lines(self) -> list[dict]:
        """Parsed lines; a torn last line (the run died mid-write) is cut off the file."""
        if not self.path.is_file():
            return []
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            with open(self.path, "r+b") as fh:
                fh.truncate(end)
        out = []
        for line in data[:end].splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a damaged line is a trial to run again, not a reason to stop
        return out

    def finished(self, jobs: list[Job]) -> dict[tuple, dict]:
        """Records already in the run directory for these jobs (key -> record), last one per key winning.
        Raises LedgerMismatchError when the directory belongs to a run with other result-changing settings."""
        lines = self._lines()
        if not lines:
            return {}
        head = lines[0]
        if head.get("ledger") != FORMAT or head.get("fingerprint") != self.fingerprint:
            theirs = head.get("fingerprint") or {}
            diff = sorted(k for k in set(theirs) | set(self.fingerprint) if theirs.get(k) != self.fingerprint.get(k))
            raise LedgerMismatchError(
                f"{self.path} records trials of a run with other settings ({', '.join(diff) or 'format'} "
                f"differ): choose another --out, or pass --no-resume to start this directory afresh")
        wanted = {tuple(j.key): j for j in jobs}
        done: dict[tuple, dict] = {}
        for line in lines[1:]:
            key, record = tuple(line.get("key") or ()), line.get("record")
            job = wanted.get(key)
            if job is None or not isinstance(record, dict) or record.get("seed") != job.seed:
                continue
            if record.get("verdict") == INFRASTRUCTURE_ERROR:
                done.pop(job.key, None)  # not a result: run it again
                continue
            done[job.key] = record
        return done

    # -- writing -------------------------------------------------------------------------------------------
    def start(self, fresh: bool) -> None:
        """Open for appending; `fresh` discards what the directory recorded before."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fresh or not self._lines():
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"ledger": FORMAT, "fingerprint": self.fingerprint}) + "\n")
            tmp.replace(self.path)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)

    def append(self, record: dict) -> None:
        """One line, one write(2) on an O_APPEND descriptor, then fsync: a line is whole or absent."""
        line = json.dumps({"key": _key(record), "record": record}, default=str) + "\n"
        data = line.encode()
        written = os.write(self._fd, data)
        while written < len(data):  # a short write (rare, huge records): finish the line
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
