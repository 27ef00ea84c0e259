"""No import circle between codebot's modules: every `import` / `from ... import` in codebot/, primitives/
and sim/ (at module level or inside a function, both count) is an edge from the importing module to the
codebot module it names; the graph must have no cycle. Read with ast, nothing is imported."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# source folder -> the package name it imports as ([tool.setuptools] package-dir)
FOLDERS = {"codebot": "codebot", "primitives": "codebot.primitives", "sim": "codebot.sim"}
# Edges left out of the check until their owner breaks the circle; each must still exist (a stale entry
# fails), so the list can only shrink. Empty: there is no circle left.
KNOWN_CIRCLE_EDGES: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join([package, *parts])] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest codebot module `name` starts with (a.b.c.Attr -> a.b.c); None outside codebot."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from pkg import mod` names the module pkg.mod; `from mod import attr` names mod
                names = [f"{base}.{alias.name}" for alias in node.names]
            for name in names:
                target = _resolve(name, modules)
                if target is not None and target != module:
                    graph[module].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    for start in sorted(graph):
        if colour[start] != WHITE:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        colour[start] = GREY
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = BLACK
                stack.pop()
                path.pop()
            elif colour[child] == GREY:
                return path[path.index(child):] + [child]
            elif colour[child] == WHITE:
                colour[child] = GREY
                stack.append((child, iter(sorted(graph[child]))))
                path.append(child)
    return None


def test_the_checker_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    # bag.py imports bag_journal inside a method; the ros node imports liveliness at module level
    assert "codebot.ros.recording.bag_journal" in graph["codebot.ros.recording.bag"]
    assert "codebot.ros.plumbing.liveliness" in graph["codebot.ros.nodes.sim_robot_node"]
    assert len(graph) > 100


def test_ros_plumbing_imports_no_other_ros_wing():
    graph = import_graph()
    wrong = {(source, target) for source, targets in graph.items() if source.startswith("codebot.ros.plumbing")
             for target in targets
             if target.startswith("codebot.ros.") and not target.startswith("codebot.ros.plumbing")}
    assert not wrong


def test_no_import_circle_between_codebot_modules():
    graph = import_graph()
    for source, target in KNOWN_CIRCLE_EDGES:
        assert target in graph[source], f"{source} -> {target} is gone: drop it from KNOWN_CIRCLE_EDGES"
        graph[source].discard(target)
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle)


# What `codebot.sim` may take from `codebot.checks`: the scene noun its environments are reset with.
SIM_MAY_IMPORT_FROM_CHECKS = {"codebot.checks.scene"}


def pybullet_importers() -> set[str]:
    """Modules that import pybullet themselves: `import pybullet` / `from pybullet...` or a lazy
    `require("pybullet", ...)` / `import_module("pybullet")` (any call whose first argument is that name)."""
    found = set()
    for module, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                  and isinstance(node.args[0].value, str)):
                names = [node.args[0].value]
            else:
                continue
            if any(name.split(".")[0] in ("pybullet", "pybullet_data") for name in names):
                found.add(module)
    return found


def reachable(graph: dict[str, set[str]], start: str) -> dict[str, str | None]:
    """Every module `start` imports, directly or through others: module -> the module that imports it."""
    seen: dict[str, str | None] = {start: None}
    todo = [start]
    while todo:
        node = todo.pop()
        for child in sorted(graph[node]):
            if child not in seen:
                seen[child] = node
                todo.append(child)
    return seen


def test_the_pybullet_finder_sees_the_simulator():
    importers = pybullet_importers()
    assert "codebot.sim.world" in importers  # require("pybullet", "sim")
    assert "codebot.sim_target" in importers  # import pybullet inside a method
    assert "codebot.sim.world" in reachable(import_graph(), "codebot.sim.tabletop")


def test_checks_import_nothing_that_imports_pybullet():
    """Judging runs on numpy alone: no codebot.checks module reaches pybullet, directly or through the
    modules it imports (function-level imports count)."""
    graph = import_graph()
    importers = pybullet_importers()
    checks = [m for m in graph if m == "codebot.checks" or m.startswith("codebot.checks.")]
    assert "codebot.checks.tasks" in checks and "codebot.checks.goals" in checks and "codebot.checks.scene" in checks
    bad = []
    for module in checks:
        seen = reachable(graph, module)
        for hit in sorted(importers & set(seen)):
            chain = [hit]
            while seen[chain[-1]] is not None:
                chain.append(seen[chain[-1]])
            bad.append(" -> ".join(reversed(chain)) + " -> pybullet")
    assert not bad, "\n".join(bad)


def test_sim_imports_from_checks_only_the_scene():
    graph = import_graph()
    taken = {(source, target) for source, targets in graph.items()
             if source == "codebot.sim" or source.startswith("codebot.sim.")
             for target in targets if target == "codebot.checks" or target.startswith("codebot.checks.")}
    assert {target for _, target in taken} <= SIM_MAY_IMPORT_FROM_CHECKS, sorted(taken)
    assert ("codebot.sim.tabletop", "codebot.checks.scene") in taken
