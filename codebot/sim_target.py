"""The PyBullet tabletop as a sandbox target: the worker builds it once and resets it per run."""
from __future__ import annotations


from codebot.extras import require
from codebot.primitives.context import Backend
from codebot.primitives.protocols import ObjectInfo
from codebot.reset_config import ResetConfig

DEFAULT_ROBOT = "ur5e"


class SimTarget:
    """config: a ResetConfig in plain form: robot ("ur5e"|"panda"|a plugin's), seed, scene, and the
    setting test_hooks (bool: expose crash helpers for the sandbox tests)."""

    groups = ("core",)

    def __init__(self, config: dict):
        require("pybullet", "sim")
        from codebot import sim

        self.config = ResetConfig.from_plain(config)
        self.env = sim.make("tabletop", robot=self.config.robot or DEFAULT_ROBOT, seed=self.config.seed,
                            scene=self.config.scene)
        self._backend = self.env.backend()

    def backend(self) -> Backend:
        return self._backend

    def observe(self) -> list[ObjectInfo]:
        return list(self.env.objects())

    def reset(self, config: dict) -> None:
        """`config`: a ResetConfig in plain form; fields it leaves out keep their current value."""
        merged = self.config.updated(config)
        if (merged.robot or DEFAULT_ROBOT) != (self.config.robot or DEFAULT_ROBOT):
            raise ValueError("a warm sim worker cannot switch robots; start a pool for that robot")
        self.config = merged
        self.env.reset(seed=merged.seed, scene=merged.scene)
        self._backend = self.env.backend()

    def start_recording(self, path: str) -> None:
        self._video_path = path
        self.env.start_recording()

    def stop_recording(self) -> str | None:
        path = getattr(self, "_video_path", None)
        return str(self.env.stop_recording(path)) if path else None

    def snapshot_rgb(self, size: tuple[int, int]):
        """The top camera's view at `size` (width, height), RGB only: the viewer's before/after images."""
        from codebot.sim.cameras import SimCamera

        top = self.env.cameras["top"]
        return SimCamera(self.env.world, "snapshot", top.eye, top.target, top.up, top.fov_deg, size=size).rgb()

    def test_hooks(self) -> dict:
        """Crash helpers for the sandbox tests (only exposed when the setting test_hooks is true)."""
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
