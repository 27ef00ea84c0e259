"""The primitive registry: one decorator per primitive; the prompt API text, the sandbox allowlist and
the conformance checker are all derived from it.

    @primitive
    def get_obj_pos(name: str) -> np.ndarray:
        \"\"\"Centre of an object's bounding box (x, y, z) in metres.\"\"\"

    @primitive(group="vision", examples=["detect('red cup')"])
    def detect(query: str) -> list[str]: ...

Groups: "core" (always exposed) and extra groups such as "vision" that a run opts into.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
import typing
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from codebot.primitives.errors import PrimitiveError

DEFAULT_GROUPS: tuple[str, ...] = ("core",)
# Prompt sections in the order the LLM reads them; unknown sections follow in registration order.
SECTION_ORDER = ("perception", "spatial", "motion", "speech", "vision")
# Module name -> prompt section, for modules whose name is not already the section's.
MODULE_SECTIONS = {"perceive": "perception"}


@dataclass(frozen=True)
class PrimitiveSpec:
    """One registered primitive: the function plus what the prompt and the checker need to know."""

    name: str
    func: Callable[..., Any]
    group: str
    section: str
    examples: tuple[str, ...] = ()
    # Examples that need objects/state the conformance scene may lack can opt out of running there.
    run_examples: bool = True

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.func) or ""

    @property
    def summary(self) -> str:
        """First line of the docstring: what the prompt shows."""
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else ""

    @property
    def signature(self) -> str:
        """`name(a: str, b: float = 0.1) -> np.ndarray` written with the source's annotation text."""
        sig = inspect.signature(self.func)
        params = []
        for p in sig.parameters.values():
            text = p.name
            if p.kind is p.VAR_POSITIONAL:
                text = "*" + text
            elif p.kind is p.VAR_KEYWORD:
                text = "**" + text
            if p.annotation is not p.empty:
                text += f": {_annotation_text(p.annotation)}"
            if p.default is not p.empty:
                text += f" = {p.default!r}" if p.annotation is not p.empty else f"={p.default!r}"
            params.append(text)
        ret = ""
        if sig.return_annotation is not sig.empty:
            ret = f" -> {_annotation_text(sig.return_annotation)}"
        return f"{self.name}({', '.join(params)}){ret}"


def _annotation_text(annotation: Any) -> str:
    if isinstance(annotation, str):  # `from __future__ import annotations` keeps the source text
        return annotation
    if isinstance(annotation, type):
        return "np.ndarray" if annotation is np.ndarray else annotation.__name__
    return str(annotation).replace("typing.", "").replace("numpy.", "np.")


REGISTRY: dict[str, PrimitiveSpec] = {}


def primitive(func: Callable | None = None, *, group: str = "core", section: str | None = None,
              examples: typing.Sequence[str] = (), name: str | None = None,
              run_examples: bool = True):
    """Register a primitive. Usable bare (`@primitive`) or with options (`@primitive(group="vision")`).

    `section` (prompt heading) defaults to the defining module's last name component.
    Registering a second function under a taken name is an error, so two modules cannot silently
    shadow each other; re-importing the same module (same qualified name) replaces the entry.
    """

    def register(f: Callable) -> Callable:
        key = name or f.__name__
        existing = REGISTRY.get(key)
        if existing is not None and _qualname(existing.func) != _qualname(f):
            raise ValueError(f"primitive {key!r} is already registered by {_qualname(existing.func)}")
        module = f.__module__.rsplit(".", 1)[-1]
        sec = section or MODULE_SECTIONS.get(module, module)
        REGISTRY[key] = PrimitiveSpec(key, f, group, sec, tuple(textwrap.dedent(e).strip() for e in examples),
                                      run_examples)
        return f

    if func is not None:
        return register(func)
    return register


def _qualname(f: Callable) -> str:
    return f"{f.__module__}.{f.__qualname__}"


def unregister(name: str) -> None:
    """Remove a primitive (tests and plugins that register temporary ones)."""
    REGISTRY.pop(name, None)


def specs(groups: typing.Iterable[str] = DEFAULT_GROUPS) -> list[PrimitiveSpec]:
    """Registered primitives of `groups`, sorted by prompt section, then registration order."""
    wanted = set(groups)
    chosen = [s for s in REGISTRY.values() if s.group in wanted]
    order = {sec: i for i, sec in enumerate(SECTION_ORDER)}
    first_seen: dict[str, int] = {}
    for s in chosen:
        first_seen.setdefault(s.section, len(first_seen))
    return sorted(chosen, key=lambda s: (order.get(s.section, len(order) + first_seen[s.section]),))


def allowed_names(groups: typing.Iterable[str] = DEFAULT_GROUPS) -> dict[str, Callable]:
    """What the sandbox exposes to generated code: primitive name -> function."""
    return {s.name: s.func for s in specs(groups)}


def api_header() -> str:
    """The coordinate conventions every signature relies on (metres, table frame, CaP directions)."""
    from codebot.primitives.workspace import DEFAULT_WORKSPACE as ws

    return (f"# Units: metres in the table frame. Workspace x in [{ws.x[0]:.1f}, {ws.x[1]:.1f}], "
            f"y in [{ws.y[0]:.1f}, {ws.y[1]:.1f}], z up from the table.\n"
            "# Directions: left = -x, right = +x, top = +y, bottom = -y. Objects are named '<colour> block' "
            "or '<colour> bowl'.")


def render_api(groups: typing.Iterable[str] = DEFAULT_GROUPS, examples: bool = True, header: bool = True) -> str:
    """The API text the LLM sees: the conventions header, then per section one
    `signature  # one-line doc` line per primitive and (with `examples`) that section's examples."""
    lines: list[str] = [api_header(), ""] if header else []
    section = None
    shown: list[str] = []
    for spec in specs(groups):
        if spec.section != section:
            _flush_examples(lines, shown)
            if lines and lines[-1] != "":
                lines.append("")
            section = spec.section
            lines.append(f"# {section}")
        lines.append(f"{spec.signature}  # {spec.summary}")
        if examples:
            # A bare `name()` teaches nothing the signature line does not already say.
            shown.extend(e for e in spec.examples if e != f"{spec.name}()")
    _flush_examples(lines, shown)
    return "\n".join(lines) + "\n"


def _flush_examples(lines: list[str], examples: list[str]) -> None:
    if not examples:
        return
    lines.append("# examples:")
    for ex in examples:
        lines.extend(f"#   {ln}" for ln in ex.splitlines())
    examples.clear()


# ----------------------------------------------------------------------------------------- checker
def check_primitives(backend_factory: Callable[[], Any] | None = None,
                     groups: typing.Iterable[str] | None = None) -> list[str]:
    """Conformance check over the registry (all groups unless `groups` is given); [] means it conforms.

    Static checks: public name, a docstring whose first line is a sentence, type hints on every
    parameter and on the return, hints that resolve, examples that parse and call the primitive.
    With `backend_factory` (returns a fresh `codebot.primitives.context.Backend`, e.g. a seeded sim scene with
    at least a red, blue and green block and bowl), every example also runs against that backend, and
    a returned value must match the return annotation. Any exception from an example is a problem,
    except that a primitive whose example fails with a `PrimitiveError` is reported with the error's
    kind and message so a person sees why.
    """
    problems: list[str] = []
    chosen = specs(groups) if groups is not None else list(REGISTRY.values())
    for spec in chosen:
        problems.extend(_static_problems(spec))
    if backend_factory is not None:
        names = {s.name: s.func for s in REGISTRY.values()}
        for spec in chosen:
            if spec.run_examples:
                problems.extend(_run_problems(spec, backend_factory, names))
    return problems


def _static_problems(spec: PrimitiveSpec) -> list[str]:
    out: list[str] = []
    who = f"{spec.name}:"
    if spec.name.startswith("_") or not spec.name.isidentifier():
        out.append(f"{who} name must be a public identifier")
    if not callable(spec.func):
        return out + [f"{who} is not callable"]
    summary = spec.summary
    if not summary:
        out.append(f"{who} has no docstring")
    elif len(summary) < 10 or not summary[0].isupper() or not summary.endswith((".", ")")):
        out.append(f"{who} docstring first line must be a sentence (capitalised, ending in '.'): {summary!r}")
    elif len(summary) > 120:
        out.append(f"{who} docstring first line is {len(summary)} characters; keep it under 120")
    sig = inspect.signature(spec.func)
    for p in sig.parameters.values():
        if p.annotation is p.empty:
            out.append(f"{who} parameter {p.name!r} has no type hint")
    if sig.return_annotation is sig.empty:
        out.append(f"{who} has no return type hint")
    try:
        typing.get_type_hints(spec.func)
    except Exception as exc:  # an unresolvable hint would break the prompt's promise
        out.append(f"{who} type hints do not resolve: {exc}")
    if spec.group == "core" and not spec.examples:
        out.append(f"{who} has no example")
    for ex in spec.examples:
        try:
            tree = ast.parse(ex)
        except SyntaxError as exc:
            out.append(f"{who} example {ex!r} is not valid Python: {exc.msg}")
            continue
        called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        if spec.name not in called:
            out.append(f"{who} example {ex!r} does not call {spec.name}()")
    return out


def _run_problems(spec: PrimitiveSpec, backend_factory: Callable[[], Any],
                  names: dict[str, Callable]) -> list[str]:
    from codebot.primitives import context

    out: list[str] = []
    hints = typing.get_type_hints(spec.func) if not _static_problems(spec) else {}
    expected = hints.get("return", inspect.Signature.empty)
    for ex in spec.examples:
        backend = backend_factory()
        previous = context._current
        context.bind(backend)
        results: list[Any] = []
        # Record what the primitive itself returned so the return annotation can be checked.
        def recording(*args, **kwargs):
            value = spec.func(*args, **kwargs)
            results.append(value)
            return value

        namespace = dict(names)
        namespace[spec.name] = recording
        namespace["np"] = np
        try:
            exec(compile(ex, f"<example of {spec.name}>", "exec"), namespace)
        except PrimitiveError as exc:
            out.append(f"{spec.name}: example {ex!r} raised {exc.kind}: {exc.message}")
            continue
        except Exception as exc:
            out.append(f"{spec.name}: example {ex!r} raised {type(exc).__name__}: {exc}")
            continue
        finally:
            context.bind(previous)
            close = getattr(backend, "close", None)
            if callable(close):
                close()
        if not results:
            out.append(f"{spec.name}: example {ex!r} never called it")
        for value in results:
            if expected is not inspect.Signature.empty and not _matches(value, expected):
                out.append(f"{spec.name}: returned {type(value).__name__} ({_short(value)}) but is annotated "
                           f"-> {_annotation_text(inspect.signature(spec.func).return_annotation)}")
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _matches(value: Any, hint: Any) -> bool:
    """Loose runtime check of a value against a type hint (containers checked one level deep)."""
    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_matches(value, a) for a in args)
    if hint is float:
        return isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if origin is None:
        return isinstance(value, hint) if isinstance(hint, type) else True
    if not isinstance(value, origin):
        return False
    if origin in (list, set, frozenset) and args:
        return all(_matches(v, args[0]) for v in value)
    if origin is tuple and args:
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_matches(v, args[0]) for v in value)
        return len(args) == len(value) and all(_matches(v, a) for v, a in zip(value, args))
    if origin is dict and len(args) == 2:
        return all(_matches(k, args[0]) and _matches(v, args[1]) for k, v in value.items())
    return True
