"""A fixed list of objects as a Perception: hand-made scenes (tests, checkers) and recorded snapshots."""
from __future__ import annotations

from typing import Any, Iterable

from codebot.primitives.protocols import ObjectInfo


class StaticPerception:
    def __init__(self, objects: Iterable[ObjectInfo] = ()):
        self._objects = list(objects)

    @classmethod
    def from_backend(cls, backend: Any, objects: Iterable[ObjectInfo] | None = None) -> "StaticPerception":
        """A frozen copy of what the backend's perception sees now (or the given objects)."""
        return cls(backend.perception.objects() if objects is None else objects)

    def objects(self) -> list[ObjectInfo]:
        return list(self._objects)


def box_object(name: str, center, size=(0.04, 0.04, 0.04), yaw: float = 0.0, visible: bool = True) -> ObjectInfo:
    """An ObjectInfo for a named box-shaped object ('<colour> <kind>') centred at `center`."""
    words = name.split()
    kind = words[-1] if words and words[-1] in ("block", "bowl") else "block"
    color = " ".join(words[:-1]) if len(words) > 1 else ""
    c = [float(v) for v in center]
    half = [float(s) / 2 for s in size]
    return ObjectInfo(name=name, kind=kind, color=color, position=tuple(c),
                      bbox_min=tuple(ci - hi for ci, hi in zip(c, half)),
                      bbox_max=tuple(ci + hi for ci, hi in zip(c, half)), yaw=yaw, visible=visible)
