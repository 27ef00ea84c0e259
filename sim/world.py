"""One headless PyBullet physics client: stepping, sim time and per-step hooks (video recording)."""
from __future__ import annotations

from typing import Callable

from codebot.extras import require

TIMESTEP = 1.0 / 240.0


def connect_direct():
    """A new DIRECT (headless) client; never GUI: a GUI connect without a display kills the process."""
    p = require("pybullet", "sim")
    client = p.connect(p.DIRECT)
    if client < 0:
        raise RuntimeError("could not start a PyBullet DIRECT client")
    return client


class World:
    """The physics client the scene, robot and cameras share. Everything that advances physics goes
    through `step`, so sim time, recording and replay stay consistent."""

    def __init__(self, timestep: float | None = None, solver_iterations: int = 50):
        timestep = TIMESTEP if timestep is None else timestep
        self.p = require("pybullet", "sim")
        self.client = connect_direct()
        self.timestep = timestep
        self.steps = 0
        self._hooks: list[Callable[[int], None]] = []
        p, c = self.p, self.client
        p.resetSimulation(physicsClientId=c)
        # deterministicOverlappingPairs makes contact order independent of history, so a restored
        # snapshot replays bit-identically.
        p.setPhysicsEngineParameter(fixedTimeStep=timestep, numSolverIterations=solver_iterations,
                                    deterministicOverlappingPairs=1, physicsClientId=c)
        p.setGravity(0, 0, -9.81, physicsClientId=c)

    @property
    def time(self) -> float:
        return self.steps * self.timestep

    def step(self, n: int = 1) -> None:
        step = self.p.stepSimulation
        for _ in range(int(n)):
            step(physicsClientId=self.client)
            self.steps += 1
            for hook in self._hooks:
                hook(self.steps)

    def add_hook(self, hook: Callable[[int], None]) -> None:
        self._hooks.append(hook)

    def remove_hook(self, hook: Callable[[int], None]) -> None:
        if hook in self._hooks:
            self._hooks.remove(hook)

    def close(self) -> None:
        if self.client is not None and self.p.isConnected(self.client):
            self.p.disconnect(self.client)
        self.client = None
