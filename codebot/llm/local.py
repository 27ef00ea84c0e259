"""The default backend: llama.cpp in-process via xllamacpp on a GGUF (Qwen2.5-Coder-1.5B-Instruct
Q4_K_M unless `model=PATH`). Greedy by default; llama.cpp's prompt cache reuses the KV cache of the
shared prefix (API text + examples) across calls, which is what makes repair turns cheap on a CPU."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from codebot.extras import require
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
            try:
                _SERVERS[key] = xl.Server(params)
            except Exception as exc:
                raise LLMError(f"llama.cpp could not load {model_path}: {exc}") from exc
        return _SERVERS[key]


class LocalLLM:
    """model: a GGUF path, a known model name ("qwen2.5-coder-0.5b-instruct-q4_k_m") or None for the
    default; threads: CPU threads (default: all cores this process may use); n_ctx: context length."""

    name = "local"
    supports_prefix = True  # complete(..., assistant_prefix=...) pre-fills the reply

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
