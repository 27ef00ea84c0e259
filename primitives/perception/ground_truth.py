"""The backend's own perception (the sim's exact object poses), exposed as a named source."""
from __future__ import annotations

from typing import Any

from codebot.primitives.protocols import ObjectInfo, Perception


class GroundTruthPerception:
    """Passes through the perception a backend was built with (sim ground truth)."""

    def __init__(self, source: Perception):
        self.source = source

    @classmethod
    def from_backend(cls, backend: Any) -> "GroundTruthPerception":
        return cls(backend.perception)

    def objects(self) -> list[ObjectInfo]:
        return list(self.source.objects())
