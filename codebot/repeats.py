"""Spotting a repair that changes nothing: programs compared by normalised AST, not by text.

A small model asked to repair a program often returns it again with other variable names, other
comments or other spacing. Running it again teaches nothing and spends a sim run, so the agent
compares each new program's `fingerprint` with those already tried and re-asks instead, quoting
each tried program's `summary` and why it failed.
"""
from __future__ import annotations

import ast
import builtins


class _Canonical(ast.NodeTransformer):
    """Renames the program's own names (variables, loop targets, parameters, its own functions) to
    v0, v1... in order of first appearance; primitive and builtin names stay, they carry the meaning."""

    def __init__(self, own: set[str]):
        self.own = own
        self.names: dict[str, str] = {}

    def _rename(self, name: str) -> str:
        if name not in self.own:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node: ast.Name) -> ast.AST:
        node.id = self._rename(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = self._rename(node.arg)
        node.annotation = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.name = self._rename(node.name)
        node.returns = None
        if node.body and isinstance(node.body[0], ast.Expr) and isinstance(getattr(node.body[0], "value", None),
                                                                          ast.Constant) \
                and isinstance(node.body[0].value.value, str) and len(node.body) > 1:
            node.body = node.body[1:]  # a docstring changes nothing the program does
        self.generic_visit(node)
        return node


def _own_names(tree: ast.AST) -> set[str]:
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            own.add(node.id)
        elif isinstance(node, ast.arg):
            own.add(node.arg)
        elif isinstance(node, ast.FunctionDef):
            own.add(node.name)
    return own - set(dir(builtins))


def fingerprint(code: str) -> str:
    """Equal for programs that differ only in their own names, comments, docstrings, spacing and
    redundant parentheses; the whitespace-normalised text when the program does not parse."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return "\n".join(line.rstrip() for line in code.strip().splitlines() if line.strip())
    tree = _Canonical(_own_names(tree)).visit(tree)
    return ast.dump(tree, annotate_fields=False, include_attributes=False)


def summary(code: str, limit: int = 160) -> str:
    """One line for a tried program: the primitives it calls, in order of first call, e.g.
    "get_blocks, nth_from('right'), put_first_on_second"; its first line when it does not parse."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        first = next((line.strip() for line in code.splitlines() if line.strip()), "")
        return f"does not parse: {first[:limit]}"
    calls: list[str] = []
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node.func, ast.Name):
            consts = [repr(a.value) for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            text = f"{node.func.id}({', '.join(consts)})" if consts else node.func.id
            if text not in calls:
                calls.append(text)
    line = ", ".join(calls) or "no calls"
    return line if len(line) <= limit else line[: limit - 3] + "..."
