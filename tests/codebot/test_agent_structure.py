"""The agent core's structure (issue 27), checked with ast: small functions in the agent modules, no
branching on a target's name outside the target registry (a target declares its traits there), and
one place that constructs an AgentConfig (the factory every front-end uses)."""
from __future__ import annotations

import ast
from pathlib import Path

from codebot.targets import TARGETS, target_traits

ROOT = Path(__file__).resolve().parents[2]
CODEBOT = ROOT / "codebot"
AGENT_MODULES = ("agent.py", "agent_prepare.py", "agent_turns.py", "agent_result.py", "agent_factory.py")
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400
REGISTRY_MODULE = CODEBOT / "targets.py"
# Modules not yet moved onto target traits (none left).
PENDING_TARGET_NAME_TESTS: set[Path] = set()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _codebot_sources() -> list[Path]:
    return sorted(CODEBOT.rglob("*.py"))


def test_agent_functions_and_modules_are_small():
    long = []
    for name in AGENT_MODULES:
        path = CODEBOT / name
        assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES, name
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{name}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for elt in node.elts for s in _literals(elt)]
    return []


def test_no_code_compares_a_target_name_outside_the_registry():
    names = set(TARGETS)
    assert {"sim", "twin", "ros", "vision"} <= names
    found = []
    for path in _codebot_sources():
        if path == REGISTRY_MODULE or path in PENDING_TARGET_NAME_TESTS:
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Compare):
                hits = {s for operand in (node.left, *node.comparators) for s in _literals(operand)} & names
                if hits:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} compares {sorted(hits)}")
    assert found == []


def test_agent_config_is_constructed_only_by_the_factory():
    found = []
    for path in _codebot_sources():
        if path == CODEBOT / "agent_factory.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name == "AgentConfig":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_targets_declare_what_the_agent_branches_on():
    assert target_traits("sim").judged and target_traits("twin").judged
    assert not target_traits("ros").judged and not target_traits("vision").judged
    assert target_traits("vision").groups == ("core", "vision") and target_traits("sim").groups == ("core",)
    assert target_traits("twin").replays_on == "sim"
    # a literal "module:Class" or an unregistered name: the defaults (building it reports the name)
    assert target_traits("codebot.sim_target:SimTarget") == target_traits("no-such-target") == type(
        target_traits("sim"))()
