"""Shared fixtures for the agent tests: one warm sim worker pool per test session (starting a
PyBullet worker costs about a second; the machine is shared)."""
from __future__ import annotations

import importlib.util

import pytest

HAVE_PYBULLET = importlib.util.find_spec("pybullet") is not None
needs_sim = pytest.mark.skipif(not HAVE_PYBULLET, reason="needs codebot[sim] (pybullet)")

SCENE = {"blocks": ["red", "green"], "bowls": ["blue"]}


@pytest.fixture(scope="session")
def sim_pool():
    if not HAVE_PYBULLET:
        pytest.skip("needs codebot[sim] (pybullet)")
    from codebot.sandbox import WorkerPool

    pool = WorkerPool("sim", {"robot": "ur5e", "seed": 0, "scene": SCENE, "test_hooks": True}, size=1)
    pool.wait_ready()
    yield pool
    pool.close()
