"""The one import name: every source folder is a listed `codebot.*` package, and nothing installs `sim` or
`primitives` as a top-level name a user's file (or another distribution) could shadow or collide with."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _folders_to_packages() -> set[str]:
    found = set()
    for name, folder in CONFIG["package-dir"].items():
        base = ROOT / folder
        for d in [base, *base.rglob("*")]:
            if d.is_dir() and "__pycache__" not in d.parts and any(f.is_file() for f in d.iterdir()):
                found.add(".".join((name, *d.relative_to(base).parts)))
    return found


def test_every_source_folder_is_a_listed_package_under_codebot():
    listed = set(CONFIG["packages"])
    assert all(p == "codebot" or p.startswith("codebot.") for p in listed)
    assert _folders_to_packages() == listed


def test_the_card_folders_import_as_codebot_subpackages():
    import codebot.launch
    import codebot.primitives
    import codebot.sim

    assert Path(codebot.sim.__file__).parent == ROOT / "sim"
    assert Path(codebot.primitives.__file__).parent == ROOT / "primitives"
    assert (Path(codebot.launch.__file__).parent / "package.xml").exists()
    assert Path(codebot.__file__).parent == ROOT / "codebot"


def test_no_top_level_sim_or_primitives_is_importable_outside_the_checkout(tmp_path):
    code = ("import importlib.util as u; print([n for n in ('sim', 'primitives') if u.find_spec(n)])")
    out = subprocess.run([sys.executable, "-P", "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_primitives_and_sim_do_not_import_the_cli_or_agent_layers():
    """The layers point one way: codebot.primitives and codebot.sim use only each other, the two core
    helpers (extras, registry) and the scene noun (codebot.checks.scene); nothing in them reaches back
    into the agent, sandbox, CLI, ROS or LLM code."""
    import ast

    allowed = ("codebot.primitives", "codebot.sim", "codebot.extras", "codebot.registry", "codebot.checks.scene")
    bad = []
    for folder in ("primitives", "sim"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    names = ([f"codebot.{a.name}" for a in node.names] if node.module == "codebot"
                             else [node.module or ""])
                else:
                    continue
                for name in names:
                    if (name == "codebot" or name.startswith("codebot.")) and not name.startswith(allowed):
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not bad, "\n".join(bad)


def test_importing_a_card_folder_by_its_old_name_says_what_to_import(tmp_path):
    """From a checkout's root `sim/` is still a folder on sys.path; importing it as `sim` would build a
    second copy of every registry, so it refuses with the name to use."""
    for name in ("sim", "primitives"):
        out = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True,
                             timeout=60)
        assert out.returncode != 0 and f"import codebot.{name}, not {name}" in out.stderr, out.stderr
