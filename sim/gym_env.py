"""Gymnasium view of the tabletop scene, registered as "codebot/Tabletop-v0".

    import gymnasium as gym, codebot.sim.gym_env
    env = gym.make("codebot/Tabletop-v0", robot="panda")

Action: [x, y, z, yaw, grip] -- move the tool in a straight line to (x, y, z) with the given yaw
(tool pointing down), then close the gripper when grip > 0.5, else open it.
Observation: joints, tool position and yaw, grasp flag, and up to 8 object positions
(blocks then bowls, zero-padded, with a presence mask).
Reward: 1.0 on the step where the optional `instance` (a codebot.checks.tasks TaskInstance) first checks as
successful, else 0.0; such a success terminates the episode. A motion that raises a primitive
error is not executed; the error is reported in info["error"].
"""
from __future__ import annotations

import math

import numpy as np

from codebot.extras import require
from codebot.primitives.errors import PrimitiveError

gym = require("gymnasium", "sim")
spaces = gym.spaces

ENV_ID = "codebot/Tabletop-v0"
MAX_OBJECTS = 8


class TabletopGymEnv(gym.Env):
    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(self, robot: str = "ur5e", scene=None, render_size=(320, 240), render_mode: str | None = None,
                 instance=None):
        from codebot.sim import make

        if render_mode not in (None, "rgb_array"):
            raise ValueError(f"render_mode must be None or 'rgb_array', got {render_mode!r}")
        self.render_mode = render_mode
        self.instance = instance
        self._scene = scene if scene is not None else (instance.scene if instance is not None else None)
        self.sim = make("tabletop", robot=robot, seed=0, scene=self._scene, render_size=render_size)
        ws = self.sim.workspace
        self.action_space = spaces.Box(low=np.array([ws.x[0], ws.y[0], ws.z[0], -math.pi, 0.0], np.float32),
                                       high=np.array([ws.x[1], ws.y[1], ws.z[1], math.pi, 1.0], np.float32),
                                       dtype=np.float32)
        n = len(self.sim.robot.joint_names())
        self.observation_space = spaces.Dict({
            "joints": spaces.Box(-2 * math.pi, 2 * math.pi, (n,), np.float32),
            "ee_position": spaces.Box(-2.0, 2.0, (3,), np.float32),
            "ee_yaw": spaces.Box(-math.pi, math.pi, (1,), np.float32),
            "grasping": spaces.Discrete(2),
            "objects": spaces.Box(-2.0, 2.0, (MAX_OBJECTS, 3), np.float32),
            "objects_present": spaces.MultiBinary(MAX_OBJECTS),
        })
        self._initial = None
        self._solved = False

    def _obs(self) -> dict:
        r = self.sim.robot
        objs = np.zeros((MAX_OBJECTS, 3), np.float32)
        present = np.zeros(MAX_OBJECTS, np.int8)
        for i, info in enumerate(self.sim.objects()[:MAX_OBJECTS]):
            objs[i], present[i] = info.position, 1
        yaw = (r.ee_yaw() + math.pi) % (2 * math.pi) - math.pi
        return {"joints": r.joint_positions().astype(np.float32),
                "ee_position": np.asarray(r.ee_pose().position, np.float32),
                "ee_yaw": np.array([yaw], np.float32), "grasping": int(r.is_grasping()),
                "objects": objs, "objects_present": present}

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        scene = (options or {}).get("scene", self._scene)
        if seed is None:
            seed = int(self.np_random.integers(0, 2**31 - 1))
        self.sim.reset(seed=seed, scene=scene)
        self._initial = self.sim.objects()
        self._solved = False
        return self._obs(), {"objects": [o.name for o in self._initial], "seed": seed}

    def step(self, action):
        a = np.asarray(action, dtype=float).reshape(-1)
        if a.shape != (5,):
            raise ValueError(f"action must have 5 values [x, y, z, yaw, grip], got shape {a.shape}")
        info: dict = {}
        r = self.sim.robot
        try:
            r.move_ee(a[:3], yaw=float(a[3]))
            if a[4] > 0.5 and not r.is_grasping():
                r.close_gripper()
            elif a[4] <= 0.5:
                r.open_gripper()
        except PrimitiveError as err:
            info["error"] = err.to_dict()
        reward, terminated = 0.0, False
        if self.instance is not None and not self._solved:
            verdict = self.instance.check(self._initial, self.sim.objects(), self.sim.workspace)
            info["verdict"] = {"success": verdict.success, "reason": verdict.reason}
            if verdict.success:
                self._solved, reward, terminated = True, 1.0, True
        info["relations"] = self.sim.relations()
        return self._obs(), reward, terminated, False, info

    def render(self):
        if self.render_mode == "rgb_array":
            return self.sim.cameras["front"].rgb()
        return None

    def close(self):
        self.sim.close()


def register() -> None:
    if ENV_ID not in gym.registry:
        gym.register(id=ENV_ID, entry_point="codebot.sim.gym_env:TabletopGymEnv", max_episode_steps=50)


register()
