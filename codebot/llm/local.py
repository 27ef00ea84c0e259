"""The default backend: llama.cpp in-process via xllamacpp on a GGUF (Qwen2.5-Coder-1.5B-Instruct
Q4_K_M unless `model=PATH`). Greedy by default; llama.cpp's prompt cache reuses the KV cache of the
shared prefix (API text + examples) across calls, which is what makes repair turns cheap on a CPU."""
from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from codebot.extras import require
from codebot.llm.config import BackendConfig
from codebot.llm import LLMError, Prompt, chatml

_SERVERS: dict[tuple, Any] = {}
_SERVERS_LOCK = threading.Lock()


def default_threads() -> int:
    """All cores this process may use (env CODEBOT_LLM_THREADS overrides)."""
    if os.environ.get("CODEBOT_LLM_THREADS", "").isdigit():
        return max(1, int(os.environ["CODEBOT_LLM_THREADS"]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def prefix_state_dir() -> Path:
    """Where saved KV states of prompt prefixes live: beside the models (CODEBOT_CACHE moves both;
    CODEBOT_PREFIX_STATE_DIR moves only these)."""
    from codebot.llm.model_store import cache_dir

    override = os.environ.get("CODEBOT_PREFIX_STATE_DIR")
    return Path(override) if override else cache_dir() / "kv"


def load_server(model_path: Path, n_ctx: int, threads: int, n_gpu_layers: int = 0):
    """One loaded model per (path, context, threads) per process: loading costs seconds."""
    key = (str(model_path), n_ctx, threads, n_gpu_layers)
    with _SERVERS_LOCK:
        if key not in _SERVERS:
            xl = require("xllamacpp", "llm")
            params = xl.CommonParams()
            params.model.path = str(model_path)
            params.n_ctx = n_ctx
            params.n_parallel = 1  # one slot: every call hits the same KV cache
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            params.n_gpu_layers = n_gpu_layers
            params.warmup = False
            params.verbosity = -1  # llama.cpp logs nothing unless asked
            params.cache_prompt = True
            # llama.cpp joins this and a file name without a separator: keep the trailing slash
            params.slot_save_path = str(prefix_state_dir()) + os.sep
            try:
                _SERVERS[key] = xl.Server(params)
            except Exception as exc:
                raise LLMError(f"llama.cpp could not load {model_path}: {exc}") from exc
        return _SERVERS[key]


@dataclass(frozen=True)
class LocalConfig(BackendConfig):
    """LocalLLM's options; None leaves the constructor's default."""

    model: str | None = None  # --model
    threads: int | None = None
    n_ctx: int | None = None
    n_gpu_layers: int | None = None
    seed: int | None = None


class LocalLLM:
    """model: a GGUF path, a known model name ("qwen2.5-coder-0.5b-instruct-q4_k_m") or None for the
    default; threads: CPU threads (default: all cores this process may use); n_ctx: context length."""

    name = "local"
    supports_prefix = True  # complete(..., assistant_prefix=...) pre-fills the reply
    Config = LocalConfig

    def __init__(self, model: str | os.PathLike | None = None, threads: int | None = None, n_ctx: int = 4096,
                 n_gpu_layers: int = 0, seed: int = 0):
        from codebot.llm.model_store import resolve_model_path

        require("xllamacpp", "llm")
        self.model_path = resolve_model_path(model)
        self.threads = int(threads or default_threads())
        self.n_ctx = int(n_ctx)
        self.n_gpu_layers = int(n_gpu_layers)
        self.seed = int(seed)
        self.server = load_server(self.model_path, self.n_ctx, self.threads, self.n_gpu_layers)
        self.last_stats: dict[str, Any] = {}
        self.model_id = self.model_path.name
        self._sampled = 0
        self.last_prefix_stats: dict[str, Any] = {}

    # ------------------------------------------------------------------ saved prompt-prefix state
    def prefix_state_name(self, prefix: str) -> str:
        """File name of a prefix's KV state: keyed by the model file, the context length, the
        llama.cpp build and the prefix text, so a changed prompt or model never restores a stale one."""
        stat = self.model_path.stat()
        marker = self.model_path.with_suffix(".sha256")
        model_key = marker.read_text().strip() if marker.is_file() else f"{stat.st_size}:{int(stat.st_mtime)}"
        try:
            from xllamacpp import __version__ as build
        except ImportError:
            build = "?"
        digest = hashlib.sha256("\0".join([model_key, str(self.n_ctx), str(build), prefix]).encode()).hexdigest()
        return f"prefix-{digest[:32]}.bin"

    def warm_prefix(self, prefix: str) -> dict[str, Any]:
        """Have the KV cache hold `prefix` (the static part of every prompt: API text and examples):
        restore its saved state when there is one, else compute it once and save it for the next
        process. A fresh process then skips reading ~1.7 k tokens (tens of seconds on a CPU). Any
        failure only means a cold start: the stats say why."""
        name = self.prefix_state_name(prefix)
        directory = prefix_state_dir()
        t0 = time.perf_counter()
        stats: dict[str, Any] = {"file": name}
        try:
            directory.mkdir(parents=True, exist_ok=True)
            if (directory / name).is_file():
                reply = self._slot_action("restore", name)
                stats.update(restored=True, tokens=reply.get("n_restored"))
            else:
                self.server.handle_completions({"prompt": prefix, "max_tokens": 1, "temperature": 0.0, "top_k": 1,
                                                "cache_prompt": True})
                tmp = f".{name}.{os.getpid()}.part"  # a crash mid-write never leaves a state to restore
                reply = self._slot_action("save", tmp)
                os.replace(directory / tmp, directory / name)
                stats.update(restored=False, saved=True, tokens=reply.get("n_saved"))
        except Exception as exc:  # a missing endpoint, a full disk: run cold
            stats.update(restored=False, error=f"{type(exc).__name__}: {str(exc)[:200]}")
        stats["seconds"] = round(time.perf_counter() - t0, 3)
        self.last_prefix_stats = stats
        return stats

    def _slot_action(self, action: str, filename: str) -> dict:
        import json
        import urllib.request

        address = self.server.listening_address  # the in-process llama.cpp server's own loopback port
        request = urllib.request.Request(f"{address}/slots/0?action={action}",
                                         data=json.dumps({"filename": filename}).encode(),
                                         headers={"Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
        with opener.open(request, timeout=120) as response:
            reply = json.loads(response.read())
        if not isinstance(reply, dict) or "error" in reply:
            raise LLMError(f"slot {action} failed: {str(reply)[:200]}")
        return reply

    def complete(self, prompt: Prompt, stop: Sequence[str] | None = None, max_tokens: int = 512,
                 temperature: float = 0.0, grammar: str | None = None, assistant_prefix: str = "") -> str:
        """A chat is rendered with the model's ChatML template (optionally pre-filling the assistant's
        reply with `assistant_prefix`, which is not repeated in the result); a str is a raw prompt."""
        text = prompt if isinstance(prompt, str) else chatml(prompt, assistant_prefix)
        request: dict[str, Any] = {"prompt": text, "max_tokens": int(max_tokens), "temperature": float(temperature),
                                   "seed": self.seed, "cache_prompt": True}
        if temperature <= 0:
            request.update(top_k=1, temperature=0.0)
        else:  # sampled candidates must differ from each other: a new seed per sampled call
            self._sampled += 1
            request["seed"] = self.seed + self._sampled
        if stop:
            request["stop"] = list(stop)
        if grammar:
            request["grammar"] = grammar
        t0 = time.perf_counter()
        try:
            reply = self.server.handle_completions(request)
        except Exception as exc:
            raise LLMError(f"llama.cpp completion failed: {exc}") from exc
        wall = time.perf_counter() - t0
        if not isinstance(reply, dict) or "choices" not in reply:
            raise LLMError(f"llama.cpp returned an error: {str(reply)[:500]}")
        timings = reply.get("timings", {})
        usage = reply.get("usage", {})
        self.last_stats = {
            "wall_s": wall, "prompt_tokens": usage.get("prompt_tokens"),
            "completion_tokens": usage.get("completion_tokens"), "cached_tokens": timings.get("cache_n"),
            "prompt_ms": timings.get("prompt_ms"), "predicted_ms": timings.get("predicted_ms"),
            "predicted_per_second": timings.get("predicted_per_second"),
            "finish_reason": reply["choices"][0].get("finish_reason"),
        }
        return reply["choices"][0].get("text", "")
