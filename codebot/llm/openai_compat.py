"""Any OpenAI-compatible chat server (OpenAI, vLLM, Ollama, llama.cpp server) over plain HTTP."""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Sequence

from codebot.llm import LLMError, Prompt, as_messages
from codebot.llm.config import BackendConfig, cli_field


@dataclass(frozen=True)
class OpenAIConfig(BackendConfig):
    """OpenAICompatLLM's options; None leaves the constructor's default (or its environment variable)."""

    base_url: str | None = None  # --base-url
    api_key: str | None = None  # --api-key
    model: str | None = cli_field("openai_model")  # --openai-model (--model is the local GGUF)
    timeout_s: float | None = None
    retries: int | None = None
    seed: int | None = None


class OpenAICompatLLM:
    """base_url: e.g. http://localhost:8000/v1 (env CODEBOT_OPENAI_BASE_URL or OPENAI_BASE_URL);
    api_key: env CODEBOT_OPENAI_API_KEY or OPENAI_API_KEY (may be empty for local servers);
    model: env CODEBOT_OPENAI_MODEL (default "gpt-4o-mini")."""

    name = "openai"
    Config = OpenAIConfig

    def __init__(self, base_url: str | None = None, api_key: str | None = None, model: str | None = None,
                 timeout_s: float = 120.0, retries: int = 2, seed: int | None = 0):
        self.base_url = (base_url or os.environ.get("CODEBOT_OPENAI_BASE_URL") or os.environ.get("OPENAI_BASE_URL")
                         or "https://api.openai.com/v1").rstrip("/")
        self.api_key = api_key if api_key is not None else (
            os.environ.get("CODEBOT_OPENAI_API_KEY") or os.environ.get("OPENAI_API_KEY") or "")
        self.model = model or os.environ.get("CODEBOT_OPENAI_MODEL") or "gpt-4o-mini"
        self.timeout_s = float(timeout_s)
        self.retries = int(retries)
        self.seed = seed
        self.last_stats: dict[str, Any] = {}
        self.model_id = self.model

    def complete(self, prompt: Prompt, stop: Sequence[str] | None = None, max_tokens: int = 512,
                 temperature: float = 0.0, grammar: str | None = None) -> str:
        body: dict[str, Any] = {"model": self.model, "messages": as_messages(prompt),
                                "max_tokens": int(max_tokens), "temperature": float(temperature)}
        if stop:
            body["stop"] = list(stop)[:4]  # the OpenAI API accepts at most 4 stop strings
        if self.seed is not None:
            body["seed"] = self.seed
        if grammar:
            body["grammar"] = grammar  # llama.cpp server honours it; others ignore unknown fields
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = f"{self.base_url}/chat/completions"
        data = json.dumps(body).encode()
        last_error = ""
        t0 = time.perf_counter()
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    reply = json.loads(response.read().decode())
                break
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode(errors="replace")[:500]
                last_error = f"HTTP {exc.code} from {url}: {detail}"
                if exc.code < 500 and exc.code != 429:
                    raise LLMError(last_error) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError, json.JSONDecodeError) as exc:
                last_error = f"cannot reach {url}: {getattr(exc, 'reason', exc)}"
            if attempt < self.retries:
                time.sleep(0.5 * (attempt + 1))
        else:
            raise LLMError(last_error)
        try:
            text = reply["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise LLMError(f"unexpected reply from {url}: {json.dumps(reply)[:500]}") from None
        usage = reply.get("usage") or {}
        self.last_stats = {"wall_s": time.perf_counter() - t0, "prompt_tokens": usage.get("prompt_tokens"),
                           "completion_tokens": usage.get("completion_tokens")}
        return text or ""
