"""The test fixtures' node processes die with the pytest process that started them, even when it is killed
(SIGKILL gives it no chance to clean up): a killed run must leave no node publishing on a domain a later run
claims."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from waits import alive, wait_until

HERE = Path(__file__).resolve().parent


def test_a_node_started_by_the_fixtures_dies_when_pytest_is_killed(tmp_path):
    if not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is not installed: nodes cannot be tied to the test process")
    pid_file = tmp_path / "child.pid"
    # a stand-in for pytest: starts a long-running child with the fixtures' Procs, reports its pid, then waits
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(HERE)!r})
        from conftest import Procs
        procs = Procs(Path({str(tmp_path)!r}))
        child = procs.start([sys.executable, "-c", "import time; time.sleep(600)"], "child")
        Path({str(pid_file)!r}).write_text(str(child.pid))
        time.sleep(600)
    """)])
    try:
        pid = int(wait_until(lambda: pid_file.exists() and pid_file.read_text(), 60,
                             "the stand-in pytest never started its child"))
        assert alive({pid}) == {pid}
        # setpriv sets the death signal and then execs the command: a parent killed before that (a busy machine)
        # leaves the child without it, so kill only once the child runs the command itself
        wait_until(lambda: _cmdline(pid).split(b"\0")[0] == sys.executable.encode(), 60,
                   f"the child {pid} never exec'd its command")
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(30)
        wait_until(lambda: not alive({pid}), 30, f"the child {pid} outlived its killed parent")
    finally:
        if parent.poll() is None:
            parent.kill()
        if pid_file.exists():
            try:
                os.killpg(int(pid_file.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
