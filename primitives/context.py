"""Which robot and perception the primitives act on. A worker process binds one backend (sim twin,
ROS 2 robot) before it runs generated code; primitives only ever reach hardware through it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from codebot.primitives.protocols import Camera, Perception, Robot
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace


@dataclass
class Backend:
    robot: Robot
    perception: Perception
    workspace: Workspace = DEFAULT_WORKSPACE
    cameras: dict[str, Camera] = field(default_factory=dict)
    # say() messages go here (the trace collects them); print by default.
    speak: Callable[[str], None] = print
    # Extra backend services by name (e.g. "vision" detector); primitives look them up lazily.
    services: dict[str, object] = field(default_factory=dict)


_current: Backend | None = None


def bind(backend: Backend | None) -> None:
    global _current
    _current = backend


def current() -> Backend:
    if _current is None:
        raise RuntimeError("no robot backend is bound: call primitives.context.bind(Backend(...)) first")
    return _current
