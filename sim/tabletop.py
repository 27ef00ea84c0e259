"""The tabletop environment: a robot at the origin of the table frame, blocks and bowls in a seeded
layout inside the workspace, a top-down and a front RGB-D camera, snapshots and exact replay."""
from __future__ import annotations

import numpy as np

from codebot.primitives.context import Backend
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.sim import robot_class
from codebot.sim.cameras import tabletop_cameras
from codebot.sim.layout import object_specs, random_scene, sample_layout
from codebot.sim.objects import ObjectSpec, create_object, create_table, resting_height
from codebot.sim.state import Snapshot, check_snapshot, object_info, relations
from codebot.checks.scene import SceneSpec
from codebot.sim.world import World

SETTLE_STEPS = 24  # after placing objects, let contacts form before anything moves
MAX_STEPS_PER_CALL = 240 * 3600  # one simulated hour; more is almost surely a unit mistake


class GroundTruthPerception:
    """`codebot.primitives.protocols.Perception` straight from the simulator's object poses."""

    def __init__(self, env: "TabletopEnv"):
        self._env = env

    def objects(self) -> list[ObjectInfo]:
        return self._env.objects()


class TabletopEnv:
    def __init__(self, robot: str = "ur5e", seed: int | None = 0, scene: SceneSpec | None = None,
                 render_size=(640, 480), workspace: Workspace = DEFAULT_WORKSPACE):
        if not isinstance(robot, str):
            raise InvalidArgumentError(f"robot must be a robot name, got {robot!r}")
        robot_cls = robot_class(robot)  # raises InvalidArgumentError listing the valid robots
        _check_seed(seed)
        self.workspace = workspace
        self.world = World()
        self.p, self.client = self.world.p, self.world.client
        self.table = create_table(self.p, self.client)
        self.robot = robot_cls(self.world, workspace)
        self.robot.ignored_bodies = {self.table}
        # the fixed robot base rests on the static table: skip that always-touching pair
        for link in (-1, 0):
            self.p.setCollisionFilterPair(self.robot.body, self.table, link, -1, 0, physicsClientId=self.client)
        self.robot.collision_bodies = {self.table}
        self.object_ids: dict[str, int] = {}
        self.specs: dict[str, ObjectSpec] = {}
        self.ground_truth = GroundTruthPerception(self)
        self.cameras = tabletop_cameras(self.world, render_size, self._seg_labels, workspace)
        self._snapshots: list[Snapshot] = []
        self._scene_key: tuple = ()
        self._recorder = None
        self._seeds = np.random.default_rng(seed)
        self.seed: int | None = None
        self.scene: SceneSpec | None = None
        self.reset(seed=seed, scene=scene)

    # ---- scene ------------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, scene: SceneSpec | None = None) -> dict:
        """A new seeded layout (same seed and scene -> identical scene). The robot is reused."""
        self._check_open()
        _check_seed(seed)
        if seed is None:
            seed = int(self._seeds.integers(0, 2**31 - 1))
        rng = np.random.default_rng(seed)
        if scene is None:
            scene = random_scene(rng)
        specs = object_specs(scene)
        layout = sample_layout(rng, specs, self.robot.layout_region(self.workspace))
        self._release_all_snapshots()
        for body in self.object_ids.values():
            self.p.removeBody(body, physicsClientId=self.client)
        self.object_ids, self.specs = {}, {}
        self.robot.reset_stop()
        self.robot.reset_joints(self.robot.home_joints)
        for spec, (x, y, yaw) in zip(specs, layout):
            body = create_object(self.p, self.client, spec, (x, y, resting_height(spec.kind)), yaw)
            self.object_ids[spec.name] = body
            self.specs[spec.name] = spec
        self.robot.collision_bodies = {self.table} | set(self.object_ids.values())
        self.world.step(SETTLE_STEPS)
        self.world.steps = 0
        self.seed, self.scene = seed, SceneSpec(blocks=tuple(scene.blocks), bowls=tuple(scene.bowls))
        self._scene_key = (seed, self.scene, tuple(self.object_ids.values()), id(self))
        return self.state()

    def _check_open(self) -> None:
        if self.world.client is None:
            raise InvalidArgumentError("this environment is closed; make a new one with sim.make(...)")

    def objects(self) -> list[ObjectInfo]:
        self._check_open()
        return [object_info(self.p, self.client, body, self.specs[name]) for name, body in self.object_ids.items()]

    def relations(self) -> list[tuple[str, str, str]]:
        return relations(self.objects(), self.workspace.table_z)

    def state(self) -> dict:
        self._check_open()
        objects = {}
        for name, body in self.object_ids.items():
            pos, quat = self.p.getBasePositionAndOrientation(body, physicsClientId=self.client)
            spec = self.specs[name]
            objects[name] = {"position": [float(v) for v in pos], "orientation": [float(v) for v in quat],
                             "kind": spec.kind, "color": spec.color}
        return {
            "objects": objects,
            "robot": {"name": self.robot.name, "joint_names": self.robot.joint_names(),
                      "joints": [float(v) for v in self.robot.joint_positions()],
                      "gripper": float(self.robot.gripper.driving_position()),
                      "grasping": self.robot.is_grasping()},
            "relations": [list(r) for r in self.relations()],
            "time": self.time,
            "seed": self.seed,
        }

    def backend(self, **kwargs) -> Backend:
        return Backend(robot=self.robot, perception=self.ground_truth, workspace=self.workspace,
                       cameras=dict(self.cameras), **kwargs)

    def _seg_labels(self) -> dict[int, str]:
        return {body: name for name, body in self.object_ids.items()}

    # ---- time -------------------------------------------------------------------------------------
    @property
    def time(self) -> float:
        return self.world.time

    def step(self, n: int = 1) -> None:
        self._check_open()
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= MAX_STEPS_PER_CALL:
            raise InvalidArgumentError(
                f"step count must be an integer in [0, {MAX_STEPS_PER_CALL}] (one simulated hour), got {n!r}")
        self.world.step(int(n))

    def execute_joint_trajectory(self, times, positions) -> None:
        self._check_open()
        self.robot.execute_joint_trajectory(times, positions)

    def set_joint_positions(self, q) -> None:
        """Teleport the arm (no physics in between); for tests and twin sync."""
        self._check_open()
        self.robot.reset_joints(q)

    # ---- snapshots --------------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        self._check_open()
        state_id = self.p.saveState(physicsClientId=self.client)
        snap = Snapshot(state_id=state_id, steps=self.world.steps, gripper_target=self.robot.gripper.target,
                        arm_target=[float(v) for v in self.robot.arm_target], stopped=self.robot.stopped,
                        scene_key=self._scene_key)
        self._snapshots.append(snap)
        return snap

    def restore(self, snap: Snapshot) -> None:
        self._check_open()
        check_snapshot(snap, self._scene_key)
        self.p.restoreState(stateId=snap.state_id, physicsClientId=self.client)
        self.world.steps = snap.steps
        self.robot.gripper.command(snap.gripper_target)
        self.robot._hold(snap.arm_target)
        self.robot.stopped = snap.stopped

    def release(self, snap: Snapshot) -> None:
        if isinstance(snap, Snapshot) and not snap.released:
            self.p.removeState(snap.state_id, physicsClientId=self.client)
            snap.released = True
            if snap in self._snapshots:
                self._snapshots.remove(snap)

    def _release_all_snapshots(self) -> None:
        for snap in list(self._snapshots):
            self.release(snap)

    # ---- video ------------------------------------------------------------------------------------
    def start_recording(self, camera: str = "front", fps: int = 24, every_n_steps: int = 10, size=None):
        from codebot.sim.video import Recorder

        if camera not in self.cameras:
            raise InvalidArgumentError(f"unknown camera {camera!r}; valid cameras: {', '.join(self.cameras)}")
        if self._recorder is not None:
            self.stop_recording(None)
        self._recorder = Recorder(self.world, self.cameras[camera], fps=fps, every_n_steps=every_n_steps, size=size)
        return self._recorder

    def stop_recording(self, path):
        rec, self._recorder = self._recorder, None
        if rec is None:
            raise InvalidArgumentError("not recording: call start_recording() first")
        return rec.finish(path)

    # ---- lifetime ---------------------------------------------------------------------------------
    def close(self) -> None:
        if self.world.client is None:
            return
        if self._recorder is not None:
            self._recorder.finish(None)
            self._recorder = None
        self._release_all_snapshots()
        self.robot.close()
        self.world.close()

    def __enter__(self) -> "TabletopEnv":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _check_seed(seed) -> None:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InvalidArgumentError(f"seed must be a non-negative integer or None, got {seed!r}")
