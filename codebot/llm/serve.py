"""`codebot serve-llm`: one OpenAI-compatible llama.cpp server (xllamacpp, in this process) on a GGUF, with
parallel slots, that every benchmark worker shares instead of each loading its own copy of the model:

    codebot serve-llm --port 8000 --parallel 4            # the default model; --model PATH for any GGUF
    codebot bench --llm openai --llm-opt base_url=http://HOST:8000/v1 --executor ray --workers 8

Each slot has its own KV cache (n_ctx per slot) with prompt caching, so a worker's repair turns reuse its
shared prompt prefix as with the in-process `local` backend, which stays the default for one-off runs.
On GPU hosts any OpenAI-compatible server (vLLM, ...) serves the same way: give its URL as base_url.
"""
from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass
from typing import Any, Optional

import typer

from codebot.extras import require

DEFAULT_ALIAS = "codebot-local"


@dataclass
class LLMServer:
    """A running server; `base_url` is what the `openai` backend takes. close() stops it."""

    server: Any
    base_url: str
    model: str
    model_path: str
    parallel: int

    def close(self) -> None:
        self.server = None  # xllamacpp stops the HTTP server and frees the model with the object


def start_server(model: str | None = None, host: str = "127.0.0.1", port: int = 8000, parallel: int = 2,
                 ctx_per_slot: int = 4096, threads: int | None = None, n_gpu_layers: int = 0,
                 alias: str = DEFAULT_ALIAS, api_key: str | None = None) -> LLMServer:
    """Load `model` (a GGUF path, a known model name, None: the default) and serve it on host:port
    (port 0: any free port) with `parallel` slots of `ctx_per_slot` tokens each."""
    from codebot.llm import LLMError
    from codebot.llm.local import default_threads
    from codebot.llm.model_store import resolve_model_path

    xl = require("xllamacpp", "llm")
    if parallel < 1 or ctx_per_slot < 256:
        raise ValueError("parallel must be >= 1 and ctx_per_slot >= 256")
    path = resolve_model_path(model)
    threads = int(threads or default_threads())
    params = xl.CommonParams()
    params.model.path = str(path)
    params.n_parallel = int(parallel)
    params.n_ctx = int(ctx_per_slot) * int(parallel)  # llama.cpp splits the context among the slots
    params.cont_batching = True  # slots decode together in one batch
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.n_gpu_layers = int(n_gpu_layers)
    params.cache_prompt = True
    params.warmup = False
    params.verbosity = -1
    params.hostnames = [host]
    params.port = int(port)
    params.model_alias = {alias}
    if api_key:
        params.api_keys = [api_key]
    try:
        server = xl.Server(params)
    except Exception as exc:
        raise LLMError(f"llama.cpp could not serve {path} on {host}:{port}: {exc}") from exc
    address = str(server.listening_address).rstrip("/")
    if not address.startswith("http"):
        address = f"http://{address}"
    return LLMServer(server, f"{address}/v1", alias, str(path), int(parallel))


def serve_llm(
    model: Optional[str] = typer.Option(None, help="GGUF path or known model name; default: "
                                        "Qwen2.5-Coder-1.5B-Instruct Q4_K_M (the 'model' extra)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0: reachable from a cluster)."),
    port: int = typer.Option(8000, min=0, max=65535, help="TCP port (0: any free port)."),
    parallel: int = typer.Option(2, min=1, help="Parallel slots: requests decoded together (about one per "
                                 "benchmark worker)."),
    ctx_per_slot: int = typer.Option(4096, min=256, help="Context tokens of each slot."),
    threads: Optional[int] = typer.Option(None, min=1, help="CPU threads (default: all cores this process may use)."),
    n_gpu_layers: int = typer.Option(0, min=0, help="Layers offloaded to a GPU (llama.cpp GPU builds)."),
    api_key: Optional[str] = typer.Option(None, envvar="CODEBOT_SERVE_API_KEY",
                                          help="Require this bearer key (clients: --llm-opt api_key=...)."),
) -> None:
    """Serve a local GGUF as an OpenAI-compatible server shared by benchmark workers (llama.cpp, parallel slots)."""
    from codebot.extras import MissingExtraError
    from codebot.llm import LLMError
    from codebot.llm.model_store import ModelStoreError

    try:
        served = start_server(model, host, port, parallel, ctx_per_slot, threads, n_gpu_layers, api_key=api_key)
    except (MissingExtraError, ModelStoreError, LLMError, ValueError) as exc:
        typer.echo(f"serve-llm: {exc}", err=True)
        raise typer.Exit(2) from None
    client_url = served.base_url.replace("://0.0.0.0:", f"://{_hostname()}:")
    typer.echo(f"serving {os.path.basename(served.model_path)} at {served.base_url} "
               f"({served.parallel} parallel slot(s)); Ctrl-C stops it.")
    typer.echo(f"  codebot bench --llm openai --llm-opt base_url={client_url} --llm-opt model={served.model} ...")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(1.0):
        pass
    served.close()
    typer.echo("serve-llm: stopped")


def _hostname() -> str:
    import socket

    return socket.gethostname()
