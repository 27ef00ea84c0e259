"""Optional heavy dependencies: import them lazily and name the extra when one is missing."""
from __future__ import annotations

import importlib
from types import ModuleType


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the extra that provides it."""

    def __init__(self, module: str, extra: str):
        self.module = module
        self.extra = extra
        super().__init__(
            f"'{module}' is not installed; it comes with the '{extra}' extra: "
            f"pip install 'codebot[{extra}]'"
        )


def require(module: str, extra: str) -> ModuleType:
    """Import `module` or raise MissingExtraError naming `extra`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # also catches broken native builds, which look the same to a user
        raise MissingExtraError(module, extra) from exc


def load_object(spec: str):
    """Resolve a 'package.module:Name' string (registry entries are lazy, Gymnasium style)."""
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise ValueError(f"entry point {spec!r} must look like 'package.module:Name'")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ValueError(f"entry point {spec!r}: module {module_name!r} has no {attr!r}") from None
