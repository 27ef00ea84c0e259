"""Shared fixtures: hand-made scenes bound as the primitives' backend (no simulator needed)."""
from __future__ import annotations

import pytest

from codebot import primitives
from codebot.primitives import context
from codebot.primitives.context import Backend
from codebot.primitives.perception.static import StaticPerception, box_object

primitives.load_all()


def make_scene():
    """Red/green/blue blocks and blue/green bowls at known places (block centres 2 cm up)."""
    return [
        box_object("red block", (-0.2, -0.3, 0.02)),
        box_object("green block", (0.1, -0.4, 0.02)),
        box_object("blue block", (0.2, -0.7, 0.02)),
        box_object("yellow block", (0.1, -0.4, 0.06)),  # stacked on the green block
        box_object("blue bowl", (-0.1, -0.6, 0.0225), size=(0.12, 0.12, 0.045)),
        box_object("green bowl", (0.0, -0.35, 0.0225), size=(0.12, 0.12, 0.045)),
        box_object("orange block", (-0.1, -0.6, 0.026)),  # inside the blue bowl
    ]


@pytest.fixture
def scene_backend():
    said: list[str] = []
    backend = Backend(robot=None, perception=StaticPerception(make_scene()), speak=said.append)
    backend.services["said"] = said
    context.bind(backend)
    yield backend
    context.bind(None)
