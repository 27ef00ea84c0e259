"""Fixtures for cross-process ROS 2 tests: a private ROS_DOMAIN_ID per test (and per xdist
worker), node processes started with subprocess and always killed, and a test-side rclpy node."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# A node runs in a session of its own (so a test can signal its whole group); it gets SIGKILL when this pytest
# process dies, however it died, instead of outliving a killed run (an orphan sim_robot_node once ran for an
# hour, publishing on a domain a later run claimed). setpriv sets PR_SET_PDEATHSIG, which survives the exec.
DIE_WITH_PYTEST = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []


@pytest.fixture
def domain_id(monkeypatch):
    """A domain of this test's own, even beside other xdist workers and concurrent pytest runs
    (tests/codebot/ros_domains.py)."""
    pytest.importorskip("rclpy")
    from ros_domains import private_domain

    with private_domain(monkeypatch) as dom:
        yield dom


class Procs:
    def __init__(self, tmp_path: Path):
        self.procs: list[tuple[subprocess.Popen, Path]] = []
        self.tmp = tmp_path

    def start(self, cmd: list[str], name: str, env: dict | None = None) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        p = subprocess.Popen(DIE_WITH_PYTEST + cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT, cwd=REPO,
                             env={**os.environ, **(env or {})}, start_new_session=True)
        self.procs.append((p, log))
        return p

    def sim_robot(self, *params: str, namespace: str = "/robot", name: str = "sim_robot") -> subprocess.Popen:
        args = [sys.executable, "-m", "codebot.ros.nodes.sim_robot_node", "--ros-args", "-r", f"__ns:={namespace}",
                "-p", "camera_rate:=0.0"]
        for prm in params:
            args += ["-p", prm]
        return self.start(args, name)

    def log(self, p: subprocess.Popen) -> str:
        for proc, path in self.procs:
            if proc is p:
                return path.read_text()
        return ""

    def kill_all(self) -> None:
        for p, _ in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGINT)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 5
        for p, _ in self.procs:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)


@pytest.fixture
def procs(tmp_path, domain_id):  # the domain env must be set before children start
    ps = Procs(tmp_path)
    try:
        yield ps
    finally:
        ps.kill_all()


@pytest.fixture
def client(domain_id):
    """A plain rclpy node spinning in a thread, for publishing/subscribing from the test."""
    from rclpy.node import Node

    from codebot.ros.plumbing.env import NodeRunner

    runner = NodeRunner(lambda ctx: Node("test_client", context=ctx))
    try:
        yield runner.node
    finally:
        runner.close()
