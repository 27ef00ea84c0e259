"""Helpers for the viewer tests: a `codebot view` server on a free loopback port, a real headless Chromium
(installed with Debian's apt when missing), the replayed run's programs."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from waits import wait_until

INSTRUCTION = "put the red block in the blue bowl"
# attempt 1 fails on its line 2 (no purple bowl in the scene); the repair, asked with that feedback, succeeds
FIRST_PROGRAM = "say('trying the purple bowl')\nput_first_on_second('red block', 'purple bowl')"
REPAIR = "put_first_on_second('red block', 'blue bowl')"
APT_TIMEOUT_S = 600  # each apt-get command; the browser tests allow 1,800 s for the first one


def codebot(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "codebot.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


@contextmanager
def view_server(root: Path):
    """`codebot view ROOT --port 0` in a subprocess; yields its URL once it says it is serving."""
    proc = subprocess.Popen([sys.executable, "-m", "codebot.cli", "view", str(root), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        url = wait_until(lambda: next((m.group(0) for line in list(lines)
                                       if (m := re.search(r"http://127\.0\.0\.1:\d+/", line))), None)
                         or (proc.poll() is not None and pytest.fail("codebot view exited: " + "".join(lines))),
                         60, "codebot view never printed 'serving on http://127.0.0.1:PORT/'",
                         details=lambda: "".join(lines))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ensure_chromium() -> str:
    """The path of Debian's chromium, installing it (apt-get update once, then install) when missing; one
    test process installs at a time (a lock file), the others then find it."""
    found = shutil.which("chromium")
    if found:
        return found
    if shutil.which("apt-get") is None:
        pytest.skip("chromium is missing and there is no apt-get to install it")
    import fcntl
    import tempfile

    with open(Path(tempfile.gettempdir()) / "codebot-chromium-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for cmd in ([] if shutil.which("chromium") else
                    [["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]]):
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=APT_TIMEOUT_S,
                                  env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
            assert done.returncode == 0, f"{' '.join(cmd)} failed: {done.stderr[-2000:]}"
    found = shutil.which("chromium")
    assert found, "apt-get installed chromium but it is not on PATH"
    return found


def browser(chromium_path: str, *args: str, timeout: float = 120) -> str:
    """Run headless Chromium with `args` (e.g. --dump-dom URL); its stdout."""
    out = subprocess.run([chromium_path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--hide-scrollbars", "--user-data-dir=" + str(Path(_profile()) / "profile"), *args],
                         capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"chromium {' '.join(args)} failed ({out.returncode}): {out.stderr[-2000:]}"
    return out.stdout


_PROFILE: list[str] = []


def _profile() -> str:
    if not _PROFILE:
        import atexit
        import shutil
        import tempfile

        _PROFILE.append(tempfile.mkdtemp(prefix="codebot-chromium-"))
        # one profile per test process, removed when it exits: a run must not leave a folder per worker in /tmp
        atexit.register(shutil.rmtree, _PROFILE[0], ignore_errors=True)
    return _PROFILE[0]
