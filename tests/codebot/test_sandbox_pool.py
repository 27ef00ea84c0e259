"""WorkerPool never holds more than `size` sim servers: a caller that finds the only worker busy waits
for it. (It used to start another one, so the MCP sim robot, a size-1 pool whose world persists across
dispatches, could answer describe_scene from a second, freshly reset world.)"""
from __future__ import annotations

import threading

import pytest
from waits import wait_until

from codebot.sandbox.pool import WorkerPool

pytestmark = pytest.mark.slow

BUSY = "for i in range(6000):\n    get_obj_pos('red block')\n"  # about a second of primitive calls
MOVE = "put_first_on_second('red block', 'blue bowl')\n"
SCENE = {"blocks": ["red", "green"], "bowls": ["blue"]}


def _taken(pool: WorkerPool) -> bool:
    with pool._lock:
        return pool._busy == 1 and not pool._idle


def _workers(pool: WorkerPool) -> int:
    with pool._lock:
        return len(pool._idle) + len(pool._starting) + pool._busy


def test_a_busy_size_one_pool_is_waited_for_and_keeps_its_one_world():
    with WorkerPool("sim", {"robot": "ur5e", "seed": 0, "scene": SCENE}, size=1) as pool:
        pool.wait_ready()
        moved = pool.run(MOVE, reset=None, timeout_s=120, call_budget=50)
        assert moved.ok, moved.error
        red_after_move = next(o for o in pool.observe() if o["name"] == "red block")["position"]
        runs = []
        busy = threading.Thread(target=lambda: runs.append(pool.run(BUSY, reset=None, timeout_s=60,
                                                                    call_budget=7000)))
        busy.start()
        wait_until(lambda: _taken(pool) or runs, 60, "the busy run never took the pool's only worker")
        assert not runs, "the busy run ended before the test saw it hold the worker"
        seen = [next(o for o in pool.observe() if o["name"] == "red block")["position"] for _ in range(3)]
        busy.join(timeout=90)
        assert runs and runs[0].ok, runs and runs[0].error
        assert _workers(pool) == 1
        assert all(p == red_after_move for p in seen), (seen, red_after_move)  # the same world every time
