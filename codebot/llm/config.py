"""Typed options per LLM backend. Each backend class declares a `Config` dataclass (a BackendConfig)
of its constructor's options; the command lines fill it by field name, so a new backend, a plugin's
included, needs no branch in them.

    config = LocalLLM.Config(model="/models/q.gguf")
    llm = make_llm("local", **config.options())
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping

from codebot.primitives.records import RecordError


def cli_field(option: str) -> Any:
    """A field read from the command-line option `option` (when its name differs from the field's)."""
    return field(default=None, metadata={"cli": option})


@dataclass(frozen=True)
class BackendConfig:
    """Base of the backends' Config dataclasses. Every field defaults to None: "the backend's own
    default", so the defaults live once, in the backend's constructor."""

    def options(self) -> dict[str, Any]:
        """Keyword arguments for the backend's constructor: the fields that are set."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    def to_plain(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_plain(cls, data: Any) -> "BackendConfig":
        """Inverse of to_plain; an unknown option is an error that lists the known ones."""
        if not isinstance(data, Mapping):
            raise RecordError(f"{cls.__qualname__}: expected a dict, got {type(data).__name__}")
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise RecordError(f"{cls.__qualname__}: unknown option(s) {', '.join(map(repr, unknown))}; "
                              f"known: {', '.join(known)}")
        return cls(**data)

    @classmethod
    def from_cli(cls, values: Mapping[str, Any]) -> "BackendConfig":
        """The config from command-line values by name (a field's "cli" metadata names its option);
        options this backend does not take are left out."""
        picked = {}
        for f in fields(cls):
            option = f.metadata.get("cli", f.name)
            if option in values:
                picked[f.name] = values[option]
        return cls(**picked)


def backend_config(name: str) -> type[BackendConfig] | None:
    """The Config class of the registered backend `name`; None for an unknown name (make_llm reports
    that, with the registered names) or a backend that declares none."""
    from codebot.llm import LLM_BACKENDS

    try:
        backend = LLM_BACKENDS.get(name)
    except (ValueError, ImportError):  # make_llm raises the same error where the caller reports it
        return None
    config = getattr(backend, "Config", None)
    return config if isinstance(config, type) and issubclass(config, BackendConfig) else None


def options_from_cli(name: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """make_llm options for backend `name` from command-line values (see BackendConfig.from_cli)."""
    config = backend_config(name)
    return {} if config is None else config.from_cli(values).options()


def parallel_llm_options(llm: str, llm_opts: dict[str, Any], candidates: int) -> dict[str, Any]:
    """The backend's options for an agent; with several candidates per turn, a backend that has parallel
    slots (a `parallel` field in its Config) gets one slot per candidate unless told otherwise."""
    opts = dict(llm_opts)
    config = backend_config(llm) if candidates > 1 else None
    if config is not None and "parallel" in {f.name for f in fields(config)}:
        opts.setdefault("parallel", candidates)
    return opts
