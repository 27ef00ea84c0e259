"""Static check of generated code before it may run: an `ast` allowlist.

What it rules out and why:
- import / from-import: the program gets its API from the namespace, never from modules.
- any attribute or name that starts with '_' (dunders are the door to `().__class__.__bases__`,
  `f.__globals__`, `__builtins__`), and attributes that reach frames, code objects or files
  (`gi_frame`, `f_globals`, `tb_frame`, `mro`, ndarray `.tofile`/`.ctypes`...).
- calls of exec/eval/open/compile/getattr/setattr/globals/vars/type/... (also absent from the
  restricted builtins; rejecting them here gives a clearer message).
- class definitions, async code, attribute assignment (a program may not patch the API objects),
  bare `except:` (it would swallow the sandbox's budget stop), giant constants.
- format-string field walks: `'{0.x.y}'.format(...)` names attributes inside a string constant, where
  the checks above never see them. `.format` is allowed only directly on a string literal whose fields
  are plain (positional, named or empty, with plain specs); `.format_map` never.
"""
from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass

MAX_CODE_CHARS = 50_000
MAX_AST_NODES = 20_000
MAX_INT_CONSTANT = 10**15
MAX_STR_CONSTANT = 10_000
# Raw control characters (carriage return, escape sequences, Unicode line separators) in the source
# would let a program's own listing overwrite report lines on a terminal.
_CONTROL_CHARS = re.compile("[\x01-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

FORBIDDEN_NAMES = frozenset({
    "exec", "eval", "open", "compile", "getattr", "setattr", "delattr", "hasattr", "globals", "locals",
    "vars", "type", "input", "breakpoint", "help", "memoryview", "super", "object", "dir", "id",
    "classmethod", "staticmethod", "property", "exit", "quit", "copyright", "credits", "license",
    "BaseException", "GeneratorExit", "SystemExit", "KeyboardInterrupt", "bytearray", "format",
})
# Attributes that reach interpreter internals, files or native code even without an underscore.
FORBIDDEN_ATTRS = frozenset({
    "mro", "tofile", "dump", "dumps", "load", "loads", "save", "savez", "savetxt", "fromfile", "loadtxt",
    "genfromtxt", "memmap", "ctypes", "ctypeslib", "lib", "f2py", "testing", "distutils", "os", "sys",
    "system", "popen", "fork", "spawn", "kill", "subprocess", "builtins", "modules", "import_module",
    "with_traceback", "throw", "send", "format_map", "obj",
})
FORBIDDEN_ATTR_PREFIXES = ("_", "gi_", "cr_", "ag_", "f_", "co_", "tb_", "func_")
FORBIDDEN_NODES = {
    ast.Import: "import statements are not allowed; every primitive is already available by name",
    ast.ImportFrom: "import statements are not allowed; every primitive is already available by name",
    ast.ClassDef: "class definitions are not allowed; write functions",
    ast.AsyncFunctionDef: "async code is not allowed",
    ast.Await: "async code is not allowed",
    ast.AsyncFor: "async code is not allowed",
    ast.AsyncWith: "async code is not allowed",
}


@dataclass
class ValidationError(Exception):
    """Generated code broke a sandbox rule (or is not Python). `line` is 1-based in the code."""

    message: str
    line: int | None = None
    col: int | None = None
    source_line: str | None = None
    kind: str = "forbidden"  # "syntax" | "forbidden" | "too_large"

    def __post_init__(self):
        super().__init__(self.message)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        src = f"\n    {self.source_line.strip()}" if self.source_line else ""
        return f"{where}{self.message}{src}"

    def to_dict(self) -> dict:
        return {"type": "ValidationError", "kind": self.kind, "message": self.message, "line": self.line,
                "source_line": self.source_line}


def validate_code(code: str, extra_forbidden: frozenset[str] = frozenset()) -> ast.Module:
    """Parse `code` and check it against the allowlist; returns the tree or raises ValidationError."""
    if not isinstance(code, str):
        raise ValidationError(f"code must be a string, got {type(code).__name__}", kind="syntax")
    if len(code) > MAX_CODE_CHARS:
        raise ValidationError(f"program is {len(code)} characters; the limit is {MAX_CODE_CHARS}",
                              kind="too_large")
    if "\x00" in code:
        raise ValidationError("program contains a NUL character", kind="syntax")
    control = _CONTROL_CHARS.search(code)
    if control:
        line = code.count("\n", 0, control.start()) + 1
        raise ValidationError(f"program contains the control character {control.group()!r}; write escapes "
                              "such as '\\n' in strings instead", line, kind="syntax")
    lines = code.splitlines()
    try:
        tree = ast.parse(code, filename="<policy>")
    except SyntaxError as exc:
        raise ValidationError(f"syntax error: {exc.msg}", exc.lineno, exc.offset,
                              _line(lines, exc.lineno), kind="syntax") from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise ValidationError(f"cannot parse program: {exc}", kind="syntax") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_AST_NODES:
        raise ValidationError(f"program has {len(nodes)} syntax nodes; the limit is {MAX_AST_NODES}",
                              kind="too_large")
    forbidden_names = FORBIDDEN_NAMES | extra_forbidden
    safe_formats = _safe_format_calls(nodes)
    for node in nodes:
        problem = _problem(node, forbidden_names)
        if (problem is None and isinstance(node, ast.Attribute) and node.attr == "format"
                and id(node) not in safe_formats):
            problem = ("'.format' is allowed only on a string literal with plain fields such as '{}' or "
                       "'{name}'; use an f-string")
        if problem:
            lineno = getattr(node, "lineno", None)
            raise ValidationError(problem, lineno, getattr(node, "col_offset", None), _line(lines, lineno))
    return tree


def _plain_format_fields(template: str, depth: int = 0) -> bool:
    """Whether every replacement field is a bare index/name (no '.attr' or '[key]' walk), specs included."""
    try:
        parsed = list(string.Formatter().parse(template))
    except (ValueError, IndexError):
        return False
    for _, field, spec, _ in parsed:
        if field is None:
            continue
        if "." in field or "[" in field:
            return False
        if spec and ("{" in spec) and (depth > 1 or not _plain_format_fields(spec, depth + 1)):
            return False
    return True


def _safe_format_calls(nodes: list[ast.AST]) -> set[int]:
    """ids of `.format` attributes that are called directly on a string literal with plain fields."""
    out = set()
    for node in nodes:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)
                and _plain_format_fields(node.func.value.value)):
            out.add(id(node.func))
    return out


def _problem(node: ast.AST, forbidden_names: frozenset[str]) -> str | None:
    for klass, message in FORBIDDEN_NODES.items():
        if isinstance(node, klass):
            return message
    if isinstance(node, ast.Attribute):
        attr = node.attr
        if attr.startswith(FORBIDDEN_ATTR_PREFIXES) or attr in FORBIDDEN_ATTRS:
            return f"attribute '.{attr}' is not allowed"
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            return f"assigning or deleting attribute '.{attr}' is not allowed; use a variable or a dict"
    elif isinstance(node, ast.Name):
        if node.id.startswith("__") or node.id in forbidden_names:
            return f"name '{node.id}' is not allowed"
    elif isinstance(node, (ast.FunctionDef, ast.Lambda)):
        name = getattr(node, "name", "")
        if name.startswith("__") or name in forbidden_names:
            return f"function name '{name}' is not allowed"
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and (arg.arg.startswith("__") or arg.arg in forbidden_names):
                return f"parameter name '{arg.arg}' is not allowed"
    elif isinstance(node, ast.ExceptHandler):
        if node.type is None:
            return "bare 'except:' is not allowed; catch Exception (or a specific error) instead"
        if node.name and (node.name.startswith("__") or node.name in forbidden_names):
            return f"name '{node.name}' is not allowed"
    elif isinstance(node, ast.keyword):
        if node.arg and node.arg.startswith("__"):
            return f"keyword '{node.arg}' is not allowed"
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        for name in node.names:
            if name.startswith("__") or name in forbidden_names:
                return f"name '{name}' is not allowed"
    elif isinstance(node, ast.alias):
        return "import statements are not allowed"
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
        if node.name and (node.name.startswith("__") or node.name in forbidden_names):
            return f"name '{node.name}' is not allowed"
    elif isinstance(node, ast.MatchClass):
        return "class patterns in match statements are not allowed"
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_CONSTANT:
            return f"integer constant {str(value)[:20]}... is too large"
        if isinstance(value, (str, bytes)) and len(value) > MAX_STR_CONSTANT:
            return f"string constant of {len(value)} characters is too large"
    return None


def _line(lines: list[str], lineno: int | None) -> str | None:
    if lineno and 1 <= lineno <= len(lines):
        return lines[lineno - 1]
    return None


def defined_functions(tree: ast.Module) -> set[str]:
    """Names of the functions a program defines at any level."""
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def called_names(tree: ast.Module) -> list[str]:
    """Plain names the program calls (`foo(...)`), in first-call order."""
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            seen.setdefault(node.func.id, None)
    return list(seen)


def assigned_names(tree: ast.Module) -> set[str]:
    """Names bound anywhere in the program (assignments, loop targets, parameters, imports excluded)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
    return out
