"""The robot an MCP client's verified program is dispatched to.

`sim`: a persistent PyBullet tabletop in its own sandbox worker; its world is never reset between
dispatches, so it behaves like hardware (what one dispatch moved stays moved).
`ros`: a ROS 2 robot (e.g. `codebot ros sim_robot_node`) reached through codebot's ros target, the
same path codebot_node dispatches on; the e-stop is the robot's `estop` topic.

Both run the program through codebot.sandbox (a WorkerPool), never in this process.
"""
from __future__ import annotations

import threading
from typing import Any

from codebot.sandbox import ProgramResult, WorkerPool


class _TrackedPool(WorkerPool):
    """A WorkerPool that knows which worker is running a program, so an e-stop can kill it. While
    `halted` is set (the e-stop is engaged) a worker is killed the moment it is taken: an e-stop that
    came between a dispatch's start and its program reaching the worker still stops that program."""

    def __init__(self, *args, **kwargs):
        self.busy = None
        self.halted = threading.Event()
        self._running = threading.local()  # set while this thread takes a worker to run a program
        super().__init__(*args, **kwargs)

    def run(self, *args, **kwargs):
        self._running.program = True
        try:
            return super().run(*args, **kwargs)
        finally:
            self._running.program = False

    def _take(self, *args, **kwargs):
        worker = super()._take(*args, **kwargs)
        self.busy = worker
        if self.halted.is_set() and getattr(self._running, "program", False):
            worker.kill()  # observing the scene stays possible; moving it does not
        return worker

    def _give_back(self, worker) -> None:
        if self.busy is worker:
            self.busy = None
        super()._give_back(worker)

    def _replace(self, worker) -> None:
        if self.busy is worker:
            self.busy = None
        super()._replace(worker)

    def kill_busy(self) -> bool:
        worker = self.busy
        if worker is None or not worker.alive():
            return False
        worker.kill()
        return True


class RobotWorld:
    """observe() -> objects as plain dicts; run(code) -> ProgramResult; stop()/release() the e-stop."""

    def __init__(self, target: str = "sim", robot: str = "ur5e", seed: int = 0,
                 scene: dict | None = None, namespace: str = "", controller: str = "arm_controller",
                 connect_timeout: float = 10.0, limits: dict | None = None):
        from codebot.targets import TARGETS, target_traits

        self.traits = target_traits(target)
        if not self.traits.mcp_robot:
            held = sorted(name for name in TARGETS if target_traits(name).mcp_robot)
            raise ValueError(f"unknown dispatch target {target!r}: {' | '.join(held)}")
        self.target = target
        self.robot = robot
        self.namespace = namespace.rstrip("/")
        self._ros = None  # a ROS robot: the server's own node (joint_states in, e-stop out)
        self._lock = threading.Lock()  # one program on the robot at a time
        if not self.traits.ros_robot:  # a simulated robot whose world persists across dispatches
            config: dict[str, Any] = {"robot": robot, "seed": int(seed), "scene": scene}
            self._run_reset: dict | None = None  # never reset: the world persists across dispatches
        else:
            config = {"namespace": self.namespace, "controller": controller, "robot": robot,
                      "connect_timeout": float(connect_timeout), "min_trajectory_subscribers": 1,
                      "node_name": "codebot_mcp_dispatch"}
            self._run_reset = {}  # RosTarget.reset waits for the controller's subscription
            from codebot.mcp.ros_link import RosLink

            self._ros = RosLink(self.namespace)
        self.config = config
        self.pool = _TrackedPool(target, config, size=1, limits=limits)

    def wait_ready(self, timeout: float = 180.0) -> None:
        self.pool.wait_ready(timeout)

    def observe(self, timeout_s: float = 30.0) -> list[dict]:
        return self.pool.observe(reset=None, timeout_s=timeout_s)

    def run(self, code: str, timeout_s: float = 120.0, call_budget: int = 400,
            video: str | None = None) -> ProgramResult:
        with self._lock:
            return self.pool.run(code, reset=self._run_reset, timeout_s=timeout_s, call_budget=call_budget,
                                 video=video if self.traits.records_video else None)

    @property
    def running(self) -> bool:
        return self._lock.locked()

    def stop(self) -> str:
        """E-stop: halt whatever program is moving the robot now."""
        self.pool.halted.set()  # until release(): a program about to start is killed as it starts
        if self._ros is None:
            killed = self.pool.kill_busy()
            return ("the sim robot's running program was killed; its world restarts from the initial scene"
                    if killed else "no program was running on the sim robot; none will start until release")
        self._ros.publish_estop(True)
        return f"e-stop published on {self._ros.estop_topic}: the robot halts and the running dispatch is abandoned"

    def release(self) -> str:
        self.pool.halted.clear()
        if self._ros is not None:
            self._ros.publish_estop(False)
            return f"e-stop released on {self._ros.estop_topic}"
        return "e-stop released"

    def joints(self) -> tuple[list[str], list[float]] | None:
        """The robot's joint names and positions when the link reports them (ros), else None (the
        sim robot's twin starts from home)."""
        return self._ros.joints() if self._ros is not None else None

    def close(self) -> None:
        self.pool.close()
        if self._ros is not None:
            self._ros.close()
            self._ros = None
