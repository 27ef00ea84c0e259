"""Helpers for the MCP tests: start `python -m codebot.mcp` as a real subprocess (stdio, or streamable
HTTP on 127.0.0.1) to talk to with the mcp SDK's own Client; run_instruction uses --llm replay with the
completions below."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import codebot

REPO = Path(codebot.__file__).resolve().parents[1]
GOOD = "put_first_on_second('red block', 'blue bowl')"
WRONG = "put_first_on_second('green block', 'blue bowl')"
PICK_RED = "put the red block in the blue bowl"
SCENE_ARGS = ("red,green,yellow", "blue,red")  # the sim robot's blocks and bowls
SLOW_WRONG_INSTRUCTION = "put the yellow block in the red bowl"
# every attempt moves the green block back and forth (~2 s of sim) and never satisfies the checker
SLOW_WRONG = "\n".join(["for i in range(3):", "    put_first_on_second('green block', 'red bowl')",
                        "    put_first_on_second('green block', 'blue bowl')"])
REPLAY = [
    {"when_contains": ["# " + SLOW_WRONG_INSTRUCTION], "completion": f"```python\n{SLOW_WRONG}\n```"},
    {"when_contains": ["# " + PICK_RED], "completion": f"```python\n{GOOD}\n```"},
]


def server_args(work_dir: Path, *extra: str) -> list[str]:
    replay = work_dir / "replay.jsonl"
    replay.parent.mkdir(parents=True, exist_ok=True)
    replay.write_text("".join(json.dumps(e) + "\n" for e in REPLAY))
    return ["-m", "codebot.mcp", "--llm", "replay", "--replay-file", str(replay), "--work-dir", str(work_dir),
            "--blocks", SCENE_ARGS[0], "--bowls", SCENE_ARGS[1], "--timeout", "30", *extra]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def stdio_params(work_dir: Path, *extra: str):
    from mcp import StdioServerParameters

    return StdioServerParameters(command=sys.executable, args=server_args(work_dir, *extra), env=child_env(),
                                 cwd=str(REPO))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def http_server(work_dir: Path, *extra: str, startup_s: float = 120.0):
    """The server on 127.0.0.1:<free port>; yields its URL once it accepts connections."""
    port = free_port()
    log = open(work_dir.parent / f"mcp-http-{port}.log", "wb")
    proc = subprocess.Popen([sys.executable, *server_args(work_dir, "--transport", "http", "--port", str(port),
                                                          *extra)],
                            cwd=str(REPO), env=child_env(), stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + startup_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mcp server exited with {proc.returncode}: "
                                   f"{Path(log.name).read_text(errors='replace')[-2000:]}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("mcp server did not listen within the startup time")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
