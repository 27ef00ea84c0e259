"""The PyBullet tabletop as a joint-level controller: what sim_robot_node needs from `sim`.

It owns the environment and is only ever called from the node's physics thread, so PyBullet
(which never releases the GIL and is not thread-safe) is touched from one thread.
"""
from __future__ import annotations

import numpy as np

from codebot.extras import require
from codebot.primitives.protocols import ObjectInfo


class SimDriver:
    def __init__(self, robot: str = "ur5e", seed: int = 0, blocks=(), bowls=(), render_size=(640, 480)):
        require("pybullet", "sim")
        from codebot import sim
        from codebot.checks.scene import SceneSpec

        self._SceneSpec = SceneSpec
        scene = SceneSpec(blocks=tuple(blocks), bowls=tuple(bowls)) if (blocks or bowls) else None
        self.robot_name = robot
        # Render at the published size: rendering is the slowest thing the physics thread does.
        self.env = sim.make("tabletop", robot=robot, seed=int(seed), scene=scene,
                            render_size=tuple(int(v) for v in render_size))
        self.robot = self.env.robot
        self.names = list(self.robot.joint_names())
        lim = self.robot.joint_limits()
        self.lower, self.upper = np.asarray(lim.lower, float), np.asarray(lim.upper, float)
        self.velocity = np.asarray(lim.velocity, float)

    @property
    def time(self) -> float:
        return float(self.env.time)

    def positions(self) -> np.ndarray:
        return np.asarray(self.robot.joint_positions(), dtype=float)

    def velocities(self) -> np.ndarray:
        return np.asarray(self.robot.joint_velocities(), dtype=float)

    def track(self, target: np.ndarray, velocity: np.ndarray | None, dt: float) -> None:
        """Command the arm's position controllers (target + feed-forward velocity) and step `dt`
        seconds of physics; raises CollisionError when an arm link hits the scene."""
        r = self.robot
        n = len(r.arm)
        vel = np.zeros(n) if velocity is None else np.asarray(velocity, float)
        r.p.setJointMotorControlArray(r.body, r.arm, r.p.POSITION_CONTROL,
                                      targetPositions=[float(v) for v in target],
                                      targetVelocities=[float(v) for v in vel],
                                      forces=r._forces, positionGains=[0.3] * n, physicsClientId=r.client)
        self.env.step(max(1, round(dt / self.env.world.timestep)))
        if velocity is not None:
            r._check_collisions()

    def close_gripper(self) -> bool:
        return bool(self.robot.close_gripper())

    def open_gripper(self) -> None:
        self.robot.open_gripper()

    def gripper_range(self) -> tuple[float, float]:
        """(open, closed) driving-joint values of the gripper (GripperCommand positions)."""
        spec = self.robot.gripper_spec
        return float(spec.open_value), float(spec.closed_value)

    def move_gripper(self, position: float) -> dict:
        """Drive the fingers towards `position` until they arrive or stall on an object."""
        self.robot.gripper.move(float(position), max_time=1.0)
        return {"position": float(self.robot.gripper_width_value()), "grasping": self.grasping()}

    def stop_motion(self) -> None:
        """Hold where the arm is now (the e-stop's first action, before the next tick)."""
        self.robot._hold(self.positions())

    def grasping(self) -> bool:
        return bool(self.robot.is_grasping())

    def objects(self) -> list[ObjectInfo]:
        return list(self.env.objects())

    def camera_names(self) -> list[str]:
        return list(getattr(self.env, "cameras", {}).keys())

    def camera_pose(self, name: str) -> np.ndarray:
        """4x4 OpenCV optical frame -> world of a (fixed) camera."""
        return np.asarray(self.env.cameras[name].camera_to_world, dtype=float)

    def capture(self, name: str):
        return self.env.cameras[name].capture()

    def reset(self, seed: int | None = None, blocks=(), bowls=()) -> None:
        scene = self._SceneSpec(blocks=tuple(blocks), bowls=tuple(bowls)) if (blocks or bowls) else None
        self.env.reset(seed=seed, scene=scene)
        self.robot = self.env.robot

    def close(self) -> None:
        self.env.close()
