"""Structured errors: a kind a program can branch on and a message a person or an LLM can act on."""
from __future__ import annotations

from typing import Any


class PrimitiveError(Exception):
    """Base of every error a primitive or a robot backend raises on purpose."""

    kind = "primitive_error"

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"type": type(self).__name__, "kind": self.kind, "message": self.message,
                "details": {k: _plain(v) for k, v in self.details.items()}}


def _plain(value: Any) -> Any:
    """JSON-friendly copy of a detail value (numpy arrays and tuples become lists)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class InvalidArgumentError(PrimitiveError, ValueError):
    kind = "invalid_argument"


class ObjectNotFoundError(PrimitiveError, LookupError):
    kind = "object_not_found"


class SafetyViolation(PrimitiveError):
    """A motion that would leave the safety envelope; the simulation gate blocks programs that raise it."""

    kind = "safety_violation"


class OutsideWorkspaceError(SafetyViolation):
    kind = "outside_workspace"


class JointLimitError(SafetyViolation):
    kind = "joint_limit"


class VelocityLimitError(SafetyViolation):
    kind = "velocity_limit"


class CollisionError(SafetyViolation):
    kind = "collision"


class UnreachableError(PrimitiveError):
    kind = "unreachable"


class GraspFailedError(PrimitiveError):
    kind = "grasp_failed"


class MotionFailedError(PrimitiveError):
    kind = "motion_failed"


class EmergencyStopError(PrimitiveError):
    kind = "emergency_stop"


class RobotConnectionError(PrimitiveError):
    """The robot (or its ROS 2 peer) stopped answering."""

    kind = "robot_connection"


class BudgetExceededError(PrimitiveError):
    kind = "budget_exceeded"
