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


def load_server(model_path: Path, n_ctx: int, threads: int, n_gpu_layers: int = 0, parallel: int = 1):
    """One loaded model per (path, context, threads, slots) per process: loading costs seconds.
    `n_ctx` is per slot; with `parallel` slots llama.cpp decodes that many requests in one batch."""
    key = (str(model_path), n_ctx, threads, n_gpu_layers, parallel)
    with _SERVERS_LOCK:
        if key not in _SERVERS:
            xl = require("xllamacpp", "llm")
            params = xl.CommonParams()
            params.model.path = str(model_path)
            params.n_ctx = n_ctx * parallel  # llama.cpp splits the context among the slots
            params.n_parallel = parallel  # slot 0 serves single calls, so they always hit the same KV cache
            params.cont_batching = True
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
    parallel: int | None = None  # slots for candidates decoded together (the agent sets it to --candidates)


class LocalLLM:
    """model: a GGUF path, a known model name ("qwen2.5-coder-0.5b-instruct-q4_k_m") or None for the
    default; threads: CPU threads (default: all cores this process may use); n_ctx: context length."""

    name = "local"
    supports_prefix = True  # complete(..., assistant_prefix=...) pre-fills the reply
    Config = LocalConfig

    def __init__(self, model: str | os.PathLike | None = None, threads: int | None = None, n_ctx: int = 4096,
                 n_gpu_layers: int = 0, seed: int = 0, parallel: int = 1):
        from codebot.llm.model_store import resolve_model_path

        require("xllamacpp", "llm")
        self.model_path = resolve_model_path(model)
        self.threads = int(threads or default_threads())
        self.n_ctx = int(n_ctx)
        self.n_gpu_layers = int(n_gpu_layers)
        self.seed = int(seed)
        self.parallel = max(1, int(parallel))
        self.server = load_server(self.model_path, self.n_ctx, self.threads, self.n_gpu_layers, self.parallel)
        self.last_stats: dict[str, Any] = {}
        self.model_id = self.model_path.name
        self._sampled = 0
        self.last_prefix_stats: dict[str, Any] = {}

    # ------------------------------------------------------------------ saved prompt-prefix state
    def prefix_state_name(self, prefix: str) -> str:
        """File name of a prefix's KV state: keyed by the model file, the context length (and slot count),
        the llama.cpp build and the prefix text, so a changed prompt or model never restores a stale one."""
        stat = self.model_path.stat()
        marker = self.model_path.with_suffix(".sha256")
        model_key = marker.read_text().strip() if marker.is_file() else f"{stat.st_size}:{int(stat.st_mtime)}"
        try:
            from xllamacpp import __version__ as build
        except ImportError:
            build = "?"
        # llama.cpp refuses a slot state saved by a server with another slot count ("no available space")
        layout = str(self.n_ctx) if self.parallel == 1 else f"{self.n_ctx}x{self.parallel}"
        digest = hashlib.sha256("\0".join([model_key, layout, str(build), prefix]).encode()).hexdigest()
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
                self._read_into_slot0(prefix)
                tmp = f".{name}.{os.getpid()}.part"  # a crash mid-write never leaves a state to restore
                reply = self._slot_action("save", tmp)
                os.replace(directory / tmp, directory / name)
                stats.update(restored=False, saved=True, tokens=reply.get("n_saved"))
            # Every candidate slot starts from the same prefix: a copy of slot 0's state, not a re-read.
            for slot in range(1, self.parallel):
                self._slot_action("restore", name, slot)
            stats["slots"] = self.parallel
        except Exception as exc:  # a missing endpoint, a full disk: run cold
            stats.update(restored=False, error=f"{type(exc).__name__}: {str(exc)[:200]}")
        stats["seconds"] = round(time.perf_counter() - t0, 3)
        self.last_prefix_stats = stats
        return stats

    def _slot_action(self, action: str, filename: str, slot: int = 0) -> dict:
        reply = self._post(f"/slots/{int(slot)}?action={action}", {"filename": filename})
        if not isinstance(reply, dict) or "error" in reply:
            raise LLMError(f"slot {action} failed: {str(reply)[:200]}")
        return reply

    def _post(self, path: str, body: dict, timeout: float = 600) -> Any:
        """A request to the in-process llama.cpp server's own loopback HTTP port."""
        import json
        import urllib.request

        request = urllib.request.Request(f"{self.server.listening_address}{path}", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
        with opener.open(request, timeout=timeout) as response:
            return json.loads(response.read())

    def complete(self, prompt: Prompt, stop: Sequence[str] | None = None, max_tokens: int = 512,
                 temperature: float = 0.0, grammar: str | None = None, assistant_prefix: str = "") -> str:
        """One completion, in slot 0 (see `_request` for how the prompt is rendered)."""
        request = self._request(prompt, stop, max_tokens, temperature, grammar, assistant_prefix, slot=0)
        t0 = time.perf_counter()
        try:
            reply = self.server.handle_completions(request)
        except Exception as exc:
            raise LLMError(f"llama.cpp completion failed: {exc}") from exc
        self.last_stats = _stats(_checked(reply), time.perf_counter() - t0)
        return reply["choices"][0].get("text", "")

    def complete_many(self, prompt: Prompt, temperatures: Sequence[float], stop: Sequence[str] | None = None,
                      max_tokens: int = 512, grammar: str | None = None, assistant_prefix: str = "") -> list[str]:
        """One completion of the same prompt per temperature, decoded together in the server's slots
        (continuous batching: K candidates cost far less than K calls). Slot k serves candidate k, so each
        reuses its own copy of the prompt prefix. Without parallel slots: one call after another."""
        if self.parallel < 2 or len(temperatures) < 2:
            return [self.complete(prompt, stop, max_tokens, t, grammar, assistant_prefix) for t in temperatures]
        from concurrent.futures import ThreadPoolExecutor

        requests = [self._request(prompt, stop, max_tokens, t, grammar, assistant_prefix, slot=k % self.parallel)
                    for k, t in enumerate(temperatures)]
        t0 = time.perf_counter()
        try:
            self._share_prompt(requests[0]["prompt"])
            with ThreadPoolExecutor(max_workers=min(len(requests), self.parallel)) as threads:
                replies = [_checked(r) for r in threads.map(lambda r: self._post("/v1/completions", r), requests)]
        except LLMError:
            raise
        except Exception as exc:
            raise LLMError(f"llama.cpp completion failed: {exc}") from exc
        wall = time.perf_counter() - t0
        self.last_stats = {**_stats(replies[0], wall), "candidates": [_stats(r, wall) for r in replies]}
        return [r["choices"][0].get("text", "") for r in replies]

    def _read_into_slot0(self, text: str) -> None:
        """Have slot 0's KV cache hold `text` (one greedy token is written and thrown away)."""
        self.server.handle_completions({"prompt": text, "max_tokens": 1, "temperature": 0.0, "top_k": 1,
                                        "cache_prompt": True, "id_slot": 0})

    def _share_prompt(self, text: str) -> None:
        """Read the prompt once, in slot 0, and copy that slot's state into the others. On a CPU, reading
        a prompt costs the same per token in a batch as alone, so K slots each reading the turn's new
        feedback would cost K times one; a state copy costs milliseconds."""
        self._read_into_slot0(text)
        name = f".share-{os.getpid()}-{threading.get_ident()}.bin"
        path = prefix_state_dir() / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._slot_action("save", name, 0)
            for slot in range(1, self.parallel):
                self._slot_action("restore", name, slot)
        except Exception:  # a full disk, say: each slot then reads the prompt itself (slower, same text)
            pass
        finally:
            path.unlink(missing_ok=True)

    def _request(self, prompt: Prompt, stop, max_tokens: int, temperature: float, grammar: str | None,
                 assistant_prefix: str, slot: int) -> dict[str, Any]:
        """A chat is rendered with the model's ChatML template (optionally pre-filling the assistant's
        reply with `assistant_prefix`, which is not repeated in the result); a str is a raw prompt."""
        text = prompt if isinstance(prompt, str) else chatml(prompt, assistant_prefix)
        request: dict[str, Any] = {"prompt": text, "max_tokens": int(max_tokens), "temperature": float(temperature),
                                   "seed": self.seed, "cache_prompt": True, "id_slot": int(slot)}
        if temperature <= 0:
            request.update(top_k=1, temperature=0.0)
        else:  # sampled candidates must differ from each other: a new seed per sampled call
            self._sampled += 1
            request["seed"] = self.seed + self._sampled
        if stop:
            request["stop"] = list(stop)
        if grammar:
            request["grammar"] = grammar
        return request


def _checked(reply: Any) -> dict:
    if not isinstance(reply, dict) or "choices" not in reply:
        raise LLMError(f"llama.cpp returned an error: {str(reply)[:500]}")
    return reply


def _stats(reply: dict, wall: float) -> dict[str, Any]:
    timings = reply.get("timings", {})
    usage = reply.get("usage", {})
    return {
        "wall_s": wall, "prompt_tokens": usage.get("prompt_tokens"),
        "completion_tokens": usage.get("completion_tokens"), "cached_tokens": timings.get("cache_n"),
        "prompt_ms": timings.get("prompt_ms"), "predicted_ms": timings.get("predicted_ms"),
        "predicted_per_second": timings.get("predicted_per_second"),
        "finish_reason": reply["choices"][0].get("finish_reason"),
    }
