"""Structured errors of the vision stack (PrimitiveError subclasses: a kind and a to_dict())."""
from __future__ import annotations

from codebot.primitives.errors import PrimitiveError


class WeightsNotFoundError(PrimitiveError, OSError):
    """Model weights are neither at a local path nor in the Hugging Face cache, and downloads are off."""

    kind = "weights_not_found"


class UnsupportedModelError(PrimitiveError, ValueError):
    """The weights are there but belong to an architecture this role cannot use."""

    kind = "unsupported_model"


class VisionUnavailableError(PrimitiveError, RuntimeError):
    """A vision primitive ran without a vision service bound, or without the model it needs."""

    kind = "vision_unavailable"


class ImageSourceError(PrimitiveError, OSError):
    """An image file, directory or topic could not give a frame."""

    kind = "image_source"


class NoRobotError(PrimitiveError):
    """The vision target only looks; it has no arm to move."""

    kind = "no_robot"
