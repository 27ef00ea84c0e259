"""One registry type for every named, pluggable thing: robots, environments, tasks, targets, LLM backends,
perception sources and detectors.

A registry maps a name to a lazy "package.module:attr" entry point (nothing is imported until it is used,
Gymnasium style) plus a little metadata (where the entry came from). Three sources fill it, in every
process that looks a name up (the orchestrator, each sim server, each bench worker):

- the built-ins, registered when their package is imported;
- installed distributions' entry points in the registry's group, e.g. a user's pyproject.toml:
      [project.entry-points."codebot.robots"]
      myarm = "mypkg.myarm:MyArm"
  read once per process on the first lookup, so `--robot myarm` works in the sim server too;
- `register(...)` calls at run time. The sim server is a fresh interpreter, so the pool forwards them to it
  (`runtime_registrations()` / `apply_registrations()`); their modules must be importable there.

One rule for duplicates everywhere: registering a name again with the same entry point is a no-op; with a
different one it raises DuplicateNameError unless `replace=True`. An unknown name raises UnknownNameError
with the registered names and a "did you mean" suggestion.
"""
from __future__ import annotations

import difflib
import importlib.metadata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from codebot.extras import load_object

BUILTIN, ENTRY_POINT, RUNTIME = "builtin", "entry point", "registered at run time"


class UnknownNameError(KeyError, ValueError):
    """A name no registry entry answers to (a KeyError for mapping use, a ValueError for argument checks)."""

    def __init__(self, message: str, name: str = "", valid: list[str] | None = None):
        super().__init__(message)
        self.name, self.valid = name, list(valid or [])

    def __str__(self) -> str:
        return str(self.args[0])


class DuplicateNameError(ValueError):
    """A name registered again with a different entry point (pass replace=True to mean it)."""


@dataclass(frozen=True)
class Spec:
    """One entry: the name, where it lives ("package.module:attr"), and metadata (its source, the
    distribution that declared it, anything the registering code adds)."""

    name: str
    entry_point: str
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return str(self.metadata.get("source", BUILTIN))


_ALL: dict[str, "Registry"] = {}


class Registry(Mapping[str, Spec]):
    """name -> Spec for one kind of thing. A Mapping, so `name in registry`, `sorted(registry)` work."""

    def __init__(self, kind: str, group: str, make: Any = None, error: Any = UnknownNameError):
        """`kind` names the thing in messages ("robot"); `group` is its entry-point group ("codebot.robots");
        `make`, if given, turns the loaded attribute into what `get` returns (e.g. a task class into its one
        instance), otherwise `get` returns the attribute itself; `error(message, name=, valid=)` builds the
        exception for an unknown name (a layer's own error type, e.g. the primitives' InvalidArgumentError,
        which a program sees as a clear argument error)."""
        if group in _ALL:
            raise DuplicateNameError(f"a registry for entry-point group {group!r} already exists")
        self.kind, self.group, self._make, self._error = kind, group, make, error
        self._specs: dict[str, Spec] = {}
        self._loaded: dict[str, Any] = {}
        self._entry_points_read = False
        _ALL[group] = self

    # -- filling -------------------------------------------------------------------------------------------
    def register(self, name: str, entry_point: str, *, replace: bool = False, loaded: Any = None,
                 **metadata: Any) -> Spec:
        """Add `name`; `loaded`, when the caller already holds the object (a class decorator does), is what
        `get` returns without importing anything."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a {self.kind} name must be a non-empty string, got {name!r}")
        module, _, attr = str(entry_point).partition(":")
        if not module or not attr:
            raise ValueError(f"entry point {entry_point!r} must look like 'package.module:Name'")
        metadata.setdefault("source", RUNTIME)
        old = self._specs.get(name)
        if old is not None and old.entry_point != entry_point and not replace:
            raise DuplicateNameError(f"{self.kind} {name!r} is already registered as {old.entry_point!r} "
                                     f"({old.source}); pass replace=True to replace it")
        if old is not None and old.entry_point == entry_point:
            return old
        spec = Spec(name, entry_point, dict(metadata))
        self._specs[name] = spec
        self._loaded.pop(name, None)
        if loaded is not None:
            self._loaded[name] = loaded
        return spec

    def builtin(self, name: str, entry_point: str, **metadata: Any) -> Spec:
        """Register one of codebot's own entries (at import time of its package)."""
        return self.register(name, entry_point, source=BUILTIN, **metadata)

    def remove(self, name: str) -> Spec:
        """Take an entry out again (a test's clean-up, a plugin's own replacement); unknown names raise."""
        spec = self.spec(name)
        del self._specs[name]
        self._loaded.pop(name, None)
        return spec

    def _read_entry_points(self) -> None:
        if self._entry_points_read:
            return
        self._entry_points_read = True
        for ep in importlib.metadata.entry_points(group=self.group):
            if ep.name in self._specs and self._specs[ep.name].entry_point == ep.value:
                continue
            dist = getattr(ep.dist, "name", None) or "?"
            # An installed plugin replaces nothing silently: a clash with a built-in raises here, at lookup.
            self.register(ep.name, ep.value, source=ENTRY_POINT, distribution=dist)

    # -- looking up ----------------------------------------------------------------------------------------
    def spec(self, name: str) -> Spec:
        self._read_entry_points()
        try:
            return self._specs[name]
        except (KeyError, TypeError):
            raise self.unknown(name) from None

    def unknown(self, name: Any) -> Exception:
        valid = sorted(self._specs)
        close = difflib.get_close_matches(str(name), valid, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return self._error(f"unknown {self.kind} {name!r}{hint}; registered: {', '.join(valid) or '(none)'}",
                           name=str(name), valid=valid)

    def get(self, name: str) -> Any:
        """The loaded attribute (or what `make` builds from it), imported once per process."""
        spec = self.spec(name)
        if name not in self._loaded:
            obj = load_object(spec.entry_point)
            self._loaded[name] = self._make(obj) if self._make else obj
        return self._loaded[name]

    def loaded(self) -> dict[str, Any]:
        """What `get` has built so far in this process (nothing is imported to answer)."""
        return dict(self._loaded)

    def __getitem__(self, name: str) -> Spec:
        return self.spec(name)

    def __iter__(self) -> Iterator[str]:
        self._read_entry_points()
        return iter(list(self._specs))

    def __len__(self) -> int:
        self._read_entry_points()
        return len(self._specs)

    def __contains__(self, name: object) -> bool:
        self._read_entry_points()
        return name in self._specs

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {self.group!r}, {sorted(self._specs)})"


def runtime_registrations() -> list[dict[str, str]]:
    """What this process registered at run time (not built-ins, not entry points), as plain data for a
    process started afresh (the sim server) to apply before it builds anything."""
    return [{"group": r.group, "name": s.name, "entry_point": s.entry_point}
            for r in _ALL.values() for s in r._specs.values() if s.source == RUNTIME]


def apply_registrations(registrations: list[dict[str, str]]) -> None:
    """Replay `runtime_registrations()` of another process here. The registries' packages are imported
    first so a forwarded entry meets the same built-ins (and the same duplicate rule) it met there."""
    import_registry_modules()
    for r in registrations or []:
        registry = _ALL.get(str(r.get("group")))
        if registry is None:
            raise UnknownNameError(f"no registry for entry-point group {r.get('group')!r}")
        registry.register(str(r["name"]), str(r["entry_point"]), replace=True)


# The modules that create the registries (importing them registers the built-ins). Cheap: none imports
# pybullet, torch or rclpy.
REGISTRY_MODULES = ("codebot.sim", "codebot.checks.tasks", "codebot.targets", "codebot.llm",
                    "codebot.primitives.perception", "codebot.primitives.perception.model",
                    "codebot.bench.executors")


def import_registry_modules() -> None:
    for module in REGISTRY_MODULES:
        importlib.import_module(module)


def registries() -> dict[str, Registry]:
    """Every registry, by entry-point group."""
    import_registry_modules()
    return dict(_ALL)
