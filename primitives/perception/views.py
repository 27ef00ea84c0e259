"""Several cameras as one view: a block buried under a tidy stack is invisible from straight above
but visible from the front, so camera sources can look through more than one camera and merge."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.perception.pointcloud import COVERED_SCORE
from codebot.primitives.protocols import Camera, ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace


def cameras_from_backend(backend: Any, camera: str | Sequence[str]) -> list[Camera]:
    """The backend's cameras named by `camera` (one name or several), with a clear error for unknown names."""
    names = [camera] if isinstance(camera, str) else list(camera)
    if not names:
        raise InvalidArgumentError("no camera named: pass camera='top' or camera=('top', 'front')")
    for name in names:
        if name not in backend.cameras:
            raise InvalidArgumentError(f"no camera {name!r}; cameras: {', '.join(backend.cameras) or '(none)'}",
                                       camera=name, valid=list(backend.cameras))
    return [backend.cameras[n] for n in names]


def merge_views(views: Sequence[list[ObjectInfo]]) -> list[ObjectInfo]:
    """Union by name over views in priority order; a later view replaces an object only when the
    earlier one saw it covered (a sliver or rebuilt under a stack) and the later one saw it whole."""
    merged: dict[str, ObjectInfo] = {}
    for view in views:
        for o in view:
            old = merged.get(o.name)
            if old is None or (old.score <= COVERED_SCORE < o.score):
                merged[o.name] = o
    return sorted(merged.values(), key=lambda o: (o.kind, o.name))


def look(cameras: Sequence[Camera], detect: Callable[[Any], list[ObjectInfo]]) -> list[ObjectInfo]:
    """Capture from every camera, run `detect` on each frame, and merge."""
    return merge_views([detect(cam.capture()) for cam in cameras])


class CameraPerception:
    """A perception source that finds objects frame by frame from one or more cameras; subclasses
    say how (`objects_in_frame`) and how many pixels make an object (`default_min_pixels`)."""

    default_min_pixels = 15

    def __init__(self, camera: Camera | Sequence[Camera], workspace: Workspace = DEFAULT_WORKSPACE,
                 min_pixels: int | None = None):
        self.cameras = [camera] if isinstance(camera, Camera) else list(camera)
        self.workspace = workspace
        self.min_pixels = int(self.default_min_pixels if min_pixels is None else min_pixels)

    @classmethod
    def from_backend(cls, backend: Any, camera: str | Sequence[str] = "top", **options: Any):
        """`camera` names one camera or several (e.g. ("top", "front")) whose views are merged."""
        return cls(cameras_from_backend(backend, camera), backend.workspace, **options)

    def objects_in_frame(self, frame) -> list[ObjectInfo]:
        raise NotImplementedError

    def objects(self) -> list[ObjectInfo]:
        return look(self.cameras, self.objects_in_frame)
