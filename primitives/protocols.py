"""The seams primitives are written against. Sim (PyBullet) and ROS 2 backends both implement them,
so one generated program runs unchanged on either."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from codebot.primitives import records
from codebot.primitives.records import rounded


@dataclass(frozen=True)
class Pose:
    """A rigid pose in the world (table) frame: position in metres, orientation as quaternion xyzw."""

    position: tuple[float, float, float]
    orientation: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)


@dataclass(frozen=True)
class JointLimits:
    lower: np.ndarray  # rad
    upper: np.ndarray  # rad
    velocity: np.ndarray  # rad/s


@runtime_checkable
class Robot(Protocol):
    """A tabletop arm with a parallel gripper and a top-down tool.

    Every motion raises a `codebot.primitives.errors.PrimitiveError` subclass (UnreachableError,
    OutsideWorkspaceError, JointLimitError, VelocityLimitError, CollisionError, EmergencyStopError,
    RobotConnectionError) instead of silently doing something else.
    """

    name: str

    def joint_names(self) -> list[str]: ...
    def joint_positions(self) -> np.ndarray: ...
    def joint_limits(self) -> JointLimits: ...
    def ee_pose(self) -> Pose: ...

    def move_ee(self, position: tuple[float, float, float], yaw: float | None = None,
                speed: float | None = None) -> None:
        """Move the tool centre point along a straight line to `position` with the tool pointing
        down; `yaw` (rad) about the world z axis, None keeps the current yaw; `speed` in m/s."""
        ...

    def move_joints(self, positions: np.ndarray, speed_scale: float = 1.0) -> None: ...
    def open_gripper(self) -> None: ...

    def close_gripper(self) -> bool:
        """Close the fingers; True when an object is held between them."""
        ...

    def is_grasping(self) -> bool: ...
    def home(self) -> None: ...

    def stop(self) -> None:
        """Halt motion now (e-stop); later motions raise EmergencyStopError until reset."""
        ...


@dataclass(frozen=True)
class ObjectInfo:
    """One perceived object. Names are '<colour> <kind>', e.g. 'red block', 'blue bowl'."""

    name: str
    kind: str  # "block" | "bowl"
    color: str
    position: tuple[float, float, float]  # centre of the bounding box, world frame
    bbox_min: tuple[float, float, float]
    bbox_max: tuple[float, float, float]
    yaw: float = 0.0
    visible: bool = True
    score: float = 1.0  # detector confidence; 1.0 for ground truth

    def to_plain(self) -> dict[str, Any]:
        """The record as plain data (the sandbox wire, traces, ROS topics, twin state); from_plain reads it."""
        return {"name": self.name, "kind": self.kind, "color": self.color,
                "position": [rounded(v) for v in self.position], "bbox_min": [rounded(v) for v in self.bbox_min],
                "bbox_max": [rounded(v) for v in self.bbox_max], "yaw": rounded(self.yaw),
                "visible": bool(self.visible), "score": rounded(self.score)}

    @classmethod
    def from_plain(cls, data: Any) -> "ObjectInfo":
        """Inverse of to_plain; raises RecordError naming the bad field. Keys it does not know are
        left out, so a record from a newer writer still loads."""
        what = "object record"
        d = records.fields_of(data, what)
        what = f"object record {d.get('name')!r:.60}" if isinstance(d.get("name"), str) else what
        return cls(name=records.text(d, "name", what), kind=records.text(d, "kind", what),
                   color=records.text(d, "color", what), position=records.vector(d, "position", what),
                   bbox_min=records.vector(d, "bbox_min", what), bbox_max=records.vector(d, "bbox_max", what),
                   yaw=records.number(d, "yaw", what, 0.0), visible=records.flag(d, "visible", what, True),
                   score=records.number(d, "score", what, 1.0))


@runtime_checkable
class Perception(Protocol):
    """Where objects are. Sources: sim ground truth, RGB-D + segmentation, HSV colour, model detectors."""

    def objects(self) -> list[ObjectInfo]: ...


@dataclass
class Frame:
    """One RGB-D capture. depth in metres along the optical axis; seg holds object ids (or None)."""

    rgb: np.ndarray  # (H, W, 3) uint8
    depth: np.ndarray  # (H, W) float32, metres
    intrinsics: np.ndarray  # (3, 3) K, OpenCV convention (x right, y down, z forward)
    camera_to_world: np.ndarray  # (4, 4), OpenCV camera frame -> world
    seg: np.ndarray | None = None  # (H, W) int32 object ids, -1 background
    seg_labels: dict[int, str] = field(default_factory=dict)  # object id -> object name
    name: str = "camera"
    stamp: float = 0.0


@runtime_checkable
class Camera(Protocol):
    name: str
    width: int
    height: int

    def capture(self) -> Frame: ...
