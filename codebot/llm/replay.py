"""Recorded completions keyed by a hash of the prompt: deterministic tests and demos without a model.

File format (JSONL, one entry a line):
    {"key": "<sha256 of the prompt>", "completion": "...", "prompt_excerpt": "..."}
Hand-written entries may use "when_contains": ["text", ...] instead of (or besides) a key: they answer
any prompt that contains every listed text, first matching entry wins. That keeps a demo file valid
when the API text changes, and lets a test state what a prompt must contain (e.g. the error of the
previous turn) to get a given reply. "when_absent": [...] excludes prompts containing any of those texts.

With record=True a miss is answered by an inner backend (default "local") and appended to the file.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from codebot.llm import LLMError, Prompt, prompt_text
from codebot.llm.config import BackendConfig, cli_field


def prompt_key(prompt: Prompt, stop: Sequence[str] | None = None) -> str:
    payload = json.dumps({"prompt": prompt_text(prompt), "stop": list(stop or [])}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


class ReplayMissError(LLMError):
    pass


@dataclass(frozen=True)
class ReplayConfig(BackendConfig):
    """ReplayLLM's options; None leaves the constructor's default."""

    path: str | None = cli_field("replay_file")  # --replay-file
    record: bool | None = None  # --record: misses go to the inner backend and are appended
    inner: str | None = None  # the backend that answers misses when recording
    inner_model: str | None = cli_field("model")  # --model: the inner local backend's GGUF

    def options(self) -> dict[str, Any]:
        options = {"path": self.path, "record": self.record, "inner": self.inner,
                   "inner_opts": {"model": self.inner_model} if self.inner_model else None}
        return {k: v for k, v in options.items() if v is not None}


class ReplayLLM:
    name = "replay"
    Config = ReplayConfig
    supports_prefix = True  # forwarded to the inner backend when recording (not part of the key)

    def __init__(self, path: str | os.PathLike | None = None, record: bool = False, inner: str = "local",
                 inner_opts: dict | None = None, entries: list[dict] | None = None, **_ignored: Any):
        env_path = os.environ.get("CODEBOT_REPLAY")
        self.path = Path(path or env_path) if (path or env_path) else None
        self.record = bool(record)
        self.inner_name = inner
        self.inner_opts = dict(inner_opts or {})
        self._inner = None
        self._lock = threading.Lock()
        self.entries: list[dict] = list(entries or [])
        if self.path is not None and self.path.exists():
            self.entries.extend(load_entries(self.path))
        elif self.path is not None and not record:
            raise LLMError(f"replay file {self.path} does not exist (record one with --record)")
        elif self.path is None and entries is None and not record:
            raise LLMError("the replay backend needs a file: --replay-file PATH (or env CODEBOT_REPLAY)")
        self.by_key = {e["key"]: e for e in self.entries if e.get("key")}
        self.last_stats: dict[str, Any] = {}
        self.model_id = f"replay:{self.path}" if self.path else "replay"
        self.hits = 0

    def complete(self, prompt: Prompt, stop: Sequence[str] | None = None, max_tokens: int = 512,
                 temperature: float = 0.0, grammar: str | None = None, assistant_prefix: str = "") -> str:
        key = prompt_key(prompt, stop)
        entry = self.by_key.get(key)
        if entry is None:
            text = prompt_text(prompt)
            for candidate in self.entries:
                needles = candidate.get("when_contains")
                absent = candidate.get("when_absent") or ()
                if needles and all(n in text for n in needles) and not any(n in text for n in absent):
                    entry = candidate
                    break
        if entry is not None:
            self.hits += 1
            self.last_stats = {"replay_key": key, "hit": True}
            return entry["completion"]
        if not self.record:
            excerpt = prompt_text(prompt)[-300:]
            raise ReplayMissError(f"no recorded completion for prompt {key[:12]}... (record it with --record); "
                                  f"prompt ends with: {excerpt!r}")
        inner = self.inner()
        prefixable = assistant_prefix and getattr(inner, "supports_prefix", False)
        extra = {"assistant_prefix": assistant_prefix} if prefixable else {}
        completion = inner.complete(prompt, stop=stop, max_tokens=max_tokens, temperature=temperature,
                                    grammar=grammar, **extra)
        entry = {"key": key, "completion": completion, "prompt_excerpt": prompt_text(prompt)[-500:]}
        with self._lock:
            self.entries.append(entry)
            self.by_key[key] = entry
            if self.path is not None:
                append_entry(self.path, entry)
        self.last_stats = {"replay_key": key, "hit": False, **getattr(self._inner, "last_stats", {})}
        return completion

    def inner(self):
        if self._inner is None:
            from codebot.llm import make_llm

            self._inner = make_llm(self.inner_name, **self.inner_opts)
        return self._inner


def load_entries(path: Path) -> list[dict]:
    entries = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LLMError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
            if (not isinstance(entry, dict) or "completion" not in entry
                    or not (entry.get("key") or entry.get("when_contains"))):
                raise LLMError(f"{path}:{n}: an entry needs 'completion' and 'key' or 'when_contains'")
            entries.append(entry)
    return entries


def append_entry(path: Path, entry: dict) -> None:
    """One write of a whole line with O_APPEND, then fsync: concurrent writers never interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(entry) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
