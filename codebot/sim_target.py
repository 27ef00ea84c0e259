"""The PyBullet tabletop as a sandbox target: the worker builds it once and resets it per run."""
from __future__ import annotations

from typing import Any

from codebot.extras import require
from codebot.primitives.context import Backend
from codebot.primitives.protocols import ObjectInfo


def scene_from_config(scene: Any):
    """SceneSpec from a JSON-able {"blocks": [...], "bowls": [...]} (or None)."""
    if scene is None:
        return None
    from codebot.sim.tasks.base import SceneSpec

    if isinstance(scene, SceneSpec):
        return scene
    return SceneSpec(blocks=tuple(scene.get("blocks", ())), bowls=tuple(scene.get("bowls", ())))


class SimTarget:
    """config: robot ("ur5e"|"panda"), seed (int), scene ({"blocks": [...], "bowls": [...]} | None),
    test_hooks (bool: expose crash helpers for the sandbox tests)."""

    groups = ("core",)

    def __init__(self, config: dict):
        require("pybullet", "sim")
        from codebot import sim

        self.config = dict(config)
        self.env = sim.make("tabletop", robot=self.config.get("robot", "ur5e"),
                            seed=int(self.config.get("seed", 0)),
                            scene=scene_from_config(self.config.get("scene")))
        self._backend = self.env.backend()

    def backend(self) -> Backend:
        return self._backend

    def observe(self) -> list[ObjectInfo]:
        return list(self.env.objects())

    def reset(self, config: dict) -> None:
        merged = {**self.config, **config}
        if merged.get("robot", "ur5e") != self.config.get("robot", "ur5e"):
            raise ValueError("a warm sim worker cannot switch robots; start a pool for that robot")
        self.config = merged
        self.env.reset(seed=int(merged.get("seed", 0)), scene=scene_from_config(merged.get("scene")))
        self._backend = self.env.backend()

    def start_recording(self, path: str) -> None:
        self._video_path = path
        self.env.start_recording()

    def stop_recording(self) -> str | None:
        path = getattr(self, "_video_path", None)
        return str(self.env.stop_recording(path)) if path else None

    def test_hooks(self) -> dict:
        """Crash helpers for the sandbox tests (only exposed when config["test_hooks"] is true)."""
        env = self.env

        def pybullet_crash_for_test() -> None:
            # More than 16 coloured shapes in one createVisualShapeArray segfaults pybullet 3.2.7.
            import pybullet as p

            n, cid = 40, env.client
            shape = p.createVisualShapeArray(shapeTypes=[p.GEOM_BOX] * n, halfExtents=[[0.01] * 3] * n,
                                             rgbaColors=[[1, 0, 0, 1]] * n, visualFramePositions=[[0, 0, 0]] * n,
                                             physicsClientId=cid)
            # The heap is corrupted by now; using the shape makes the crash happen here, not later.
            p.createMultiBody(baseVisualShapeIndex=shape, physicsClientId=cid)
            p.stepSimulation(physicsClientId=cid)
            p.getCameraImage(64, 64, physicsClientId=cid)

        return {"pybullet_crash_for_test": pybullet_crash_for_test}

    def close(self) -> None:
        self.env.close()
