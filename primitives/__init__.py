"""The API an LLM writes robot programs against: perception, motion and spatial primitives.

Primitives reach a robot only through the `Robot`, `Perception` and `Camera` protocols bound in
`codebot.primitives.context`, so a program runs unchanged on the PyBullet twin or a ROS 2 robot.

`load_all()` imports the modules that register the core primitives; the registry itself is
`codebot.primitives.registry`.
"""
from __future__ import annotations

# Imported by its folder name from a checkout's root, it would be a second copy with second registries.
if __name__ != "codebot.primitives":
    raise ImportError(f"import codebot.primitives, not {__name__} "
                      "(the primitives/ folder installs as codebot.primitives)")

import importlib

# Modules whose import registers the core primitives (numpy only; no simulator or ROS imports).
CORE_MODULES = ("codebot.primitives.perceive", "codebot.primitives.spatial", "codebot.primitives.motion",
                "codebot.primitives.speech")


def load_all() -> dict:
    """Import every core primitive module and return the registry (name -> PrimitiveSpec)."""
    for module in CORE_MODULES:
        importlib.import_module(module)
    from codebot.primitives.registry import REGISTRY

    return REGISTRY
