"""What a target is reset to before a run: one typed record carried from the CLI, the agent and the
bench through the sandbox pool and sim server to `codebot.sim.make` / `env.reset`.

Its plain form is the flat dict the wire and the traces ("target_reset", a bench trace's "reset")
have always held: {"seed": 3, "scene": {"blocks": [...], "bowls": [...]} | None, "robot": "ur5e", ...}.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any

from codebot.primitives import records
from codebot.primitives.records import RecordError
from codebot.checks.scene import SceneSpec

RESET_FIELDS = ("seed", "scene", "robot")


@dataclass(frozen=True)
class ResetConfig:
    """seed: the layout seed. scene: which objects the scene holds (None: the environment's default).
    robot: None leaves the worker's own robot (a warm worker cannot switch robots). settings: what only
    some targets read (the twin's state file, an image path, test hooks), passed through by name."""

    seed: int = 0
    scene: SceneSpec | None = None
    robot: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # numpy integers come from seeded samplers; the wire needs a plain int
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
            raise RecordError(f"reset config: 'seed' must be an integer, got {self.seed!r:.40}")
        object.__setattr__(self, "seed", int(self.seed))
        if isinstance(self.scene, dict):
            object.__setattr__(self, "scene", SceneSpec.from_plain(self.scene))
        elif self.scene is not None and not isinstance(self.scene, SceneSpec):
            raise RecordError(f"reset config: 'scene' must be a SceneSpec or None, got {type(self.scene).__name__}")
        if self.robot is not None and not isinstance(self.robot, str):
            raise RecordError(f"reset config: 'robot' must be a string, got {type(self.robot).__name__}")
        clash = [k for k in self.settings if k in RESET_FIELDS or not isinstance(k, str)]
        if clash:
            raise RecordError(f"reset config: settings may not hold {clash!r:.80}; they are fields of their own")

    def to_plain(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seed": self.seed, "scene": self.scene.to_plain() if self.scene else None}
        if self.robot is not None:
            out["robot"] = self.robot
        return {**out, **self.settings}

    @classmethod
    def from_plain(cls, data: Any) -> "ResetConfig":
        """Inverse of to_plain; raises RecordError naming the bad field. Keys other than seed, scene
        and robot are the target's settings."""
        d = records.fields_of(data, "reset config")
        scene = d.get("scene")
        return cls(seed=records.integer(d, "seed", "reset config", 0),
                   scene=None if scene is None else SceneSpec.from_plain(scene),
                   robot=records.text(d, "robot", "reset config", None),
                   settings={k: v for k, v in d.items() if k not in RESET_FIELDS})

    def updated(self, changes: Any) -> "ResetConfig":
        """This config with the fields a (partial, plain) reset names replaced; the rest kept."""
        return ResetConfig.from_plain({**self.to_plain(), **records.fields_of(changes, "reset config")})
