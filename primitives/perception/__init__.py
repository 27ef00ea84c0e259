"""Perception sources, chosen per run by name (Gymnasium-style lazy registry):

- "ground_truth": the backend's own perception (sim ground truth, or whatever a robot backend gives);
- "rgbd_seg": a camera's RGB-D frame + segmentation ids -> world boxes via depth and intrinsics;
- "hsv": colour segmentation of RGB + depth for cameras without segmentation (real cameras);
- "model": a `Detector` (the vision extra fills it) + depth -> world boxes;
- "static": a fixed list of objects (hand-made scenes, frozen snapshots).

Each source implements `codebot.primitives.protocols.Perception` (`objects() -> list[ObjectInfo]`).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from codebot.primitives.errors import InvalidArgumentError
from codebot.registry import Registry

PERCEPTION_SOURCES = Registry("perception source", "codebot.perception", error=InvalidArgumentError)
PERCEPTION_SOURCES.builtin("ground_truth", "codebot.primitives.perception.ground_truth:GroundTruthPerception")
PERCEPTION_SOURCES.builtin("rgbd_seg", "codebot.primitives.perception.rgbd_seg:SegmentationPerception")
PERCEPTION_SOURCES.builtin("hsv", "codebot.primitives.perception.hsv:HsvPerception")
PERCEPTION_SOURCES.builtin("model", "codebot.primitives.perception.model:DetectorPerception")
PERCEPTION_SOURCES.builtin("static", "codebot.primitives.perception.static:StaticPerception")


def register_perception(name: str, entry_point: str, replace: bool = False) -> None:
    """Add a source: `entry_point` is 'package.module:Class' with a `from_backend` classmethod."""
    PERCEPTION_SOURCES.register(name, entry_point, replace=replace)


def make_perception(name: str, backend: Any, **options: Any):
    """Build the source `name` for a `codebot.primitives.context.Backend` (its cameras, workspace, own perception)."""
    cls = PERCEPTION_SOURCES.get(name)
    return cls.from_backend(backend, **options)


def with_perception(backend: Any, name: str, **options: Any):
    """A copy of `backend` whose primitives see the world through the source `name`."""
    if name == "ground_truth":
        return backend
    return replace(backend, perception=make_perception(name, backend, **options))
