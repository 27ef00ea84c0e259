"""Validation of a primitive call's arguments on the trusted side, before the real primitive runs.

The wire already guarantees plain data (no callables, generators or objects). Here: the call must fit
the primitive's signature, every number must be finite, texts and sequences must be of sane size, and
each argument must be of a kind its type hint admits (a position may be any sequence of numbers).
"""
from __future__ import annotations

import collections.abc
import inspect
import math
import typing
from typing import Any, Callable

import numpy as np

from codebot.primitives.errors import InvalidArgumentError

MAX_TEXT = 1000
MAX_SEQUENCE = 10_000


def _finite_and_small(value: Any, where: str, depth: int = 0) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidArgumentError(f"{where} must be a finite number, got {value!r}")
    elif isinstance(value, int):
        if abs(value) > 10**12:
            raise InvalidArgumentError(f"{where} is out of range ({str(value)[:20]})")
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise InvalidArgumentError(f"{where} is a text of {len(value)} characters; the limit is {MAX_TEXT}")
    elif isinstance(value, np.ndarray):
        if value.size > MAX_SEQUENCE:
            raise InvalidArgumentError(f"{where} has {value.size} elements; the limit is {MAX_SEQUENCE}")
        if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
            raise InvalidArgumentError(f"{where} must hold finite numbers")
    elif isinstance(value, (list, tuple)):
        if len(value) > MAX_SEQUENCE:
            raise InvalidArgumentError(f"{where} has {len(value)} items; the limit is {MAX_SEQUENCE}")
        for item in value:
            _finite_and_small(item, where, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _finite_and_small(key, where, depth + 1)
            _finite_and_small(item, where, depth + 1)


def _is_numbers(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biuf"
    return isinstance(value, (list, tuple)) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) or _is_numbers(v) for v in value)


def _admitter(hint: Any) -> Callable[[Any], bool]:
    """A predicate: whether an argument is of a kind `hint` admits (loosely: containers one level
    deep). Built once per parameter, so a call pays only for the checks themselves."""
    if hint is Any or hint is inspect.Parameter.empty:
        return lambda value: True
    origin = typing.get_origin(hint)
    if origin is typing.Union or type(hint).__name__ == "UnionType":
        options = [_admitter(h) for h in typing.get_args(hint)]
        return lambda value: any(admits(value) for admits in options)
    if hint is None or hint is type(None):
        return lambda value: value is None
    if hint is np.ndarray:
        return _is_numbers
    if hint is float:
        return lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if hint is str or hint is bool:
        return lambda value: isinstance(value, hint)
    if origin in (list, tuple, typing.Sequence, collections.abc.Sequence):
        args = typing.get_args(hint)
        item = _admitter(args[0]) if args and args[-1] is not Ellipsis and origin is not tuple else None

        def admits_sequence(value: Any) -> bool:
            if not isinstance(value, (list, tuple, np.ndarray)):
                return False
            return item is None or all(item(v) for v in value)
        return admits_sequence
    if origin is dict:
        return lambda value: isinstance(value, dict)
    return lambda value: True  # a hint this checker does not know: the primitive validates it itself


class ArgumentChecker:
    """Per primitive: its signature and resolved hints, computed once."""

    def __init__(self, functions: dict[str, Callable]):
        self._signatures: dict[str, inspect.Signature] = {}
        self._hints: dict[str, dict[str, Any]] = {}
        self._admits: dict[str, dict[str, Callable[[Any], bool]]] = {}
        # Parameter names of primitives that take only plain positional-or-keyword parameters: a call
        # with positional arguments alone is then bound by position, without Signature.bind's cost.
        self._positional: dict[str, tuple[tuple[str, ...], int]] = {}
        for name, fn in functions.items():
            try:
                self._signatures[name] = inspect.signature(fn)
            except (TypeError, ValueError):
                continue
            try:
                self._hints[name] = typing.get_type_hints(fn)
            except Exception:
                self._hints[name] = {}
            params = list(self._signatures[name].parameters.values())
            self._admits[name] = {p.name: _admitter(self._hints[name].get(p.name, p.empty)) for p in params
                                  if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
            if all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params):
                required = sum(p.default is p.empty for p in params)
                self._positional[name] = (tuple(p.name for p in params), required)

    def check(self, name: str, args: list, kwargs: dict) -> tuple[list, dict]:
        sig = self._signatures.get(name)
        if sig is None:
            return args, kwargs
        fast = self._positional.get(name)
        if fast is not None and not kwargs and fast[1] <= len(args) <= len(fast[0]):
            arguments = dict(zip(fast[0], args))
        else:
            try:
                arguments = sig.bind(*args, **kwargs).arguments
            except TypeError as exc:  # the signature in the message: what the repair needs to call it right
                shown = str(sig).replace("'", "")
                raise TypeError(f"{name}(): {exc}; it is called as {name}{shown}") from None
        hints, admitters = self._hints.get(name, {}), self._admits.get(name, {})
        for param, value in arguments.items():
            where = f"{name}() argument '{param}'"
            _finite_and_small(value, where)
            admits = admitters.get(param)
            if admits is None:  # *args / **kwargs
                continue
            if not admits(value):
                hint = hints.get(param, inspect.Parameter.empty)
                raise InvalidArgumentError(f"{where} must be {_hint_text(hint)}, got {type(value).__name__} "
                                           f"{repr(value)[:60]}")
        return args, kwargs


def _hint_text(hint: Any) -> str:
    return str(hint).replace("typing.", "").replace("numpy.", "np.").replace("<class '", "").replace("'>", "")
