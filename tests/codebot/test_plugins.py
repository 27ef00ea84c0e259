"""A third-party robot, installed as a real distribution with an entry point in "codebot.robots", works
everywhere a built-in one does: `codebot run --robot myarm` (the sim server is a fresh `python -P`
interpreter) and `codebot bench --robot myarm` (spawned bench workers, each with its own sim server)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PLUGIN_ROBOT = '''
"""A throwaway codebot plugin: a UR5e under another name, which notes each process that builds it."""
import os

from codebot.sim.robots.ur5e import UR5e


class MyArm(UR5e):
    """UR5e renamed (a plugin's robot)."""

    name = "myarm"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        marker = os.environ.get("MYARM_MARKER")
        if marker:
            with open(marker, "a") as f:
                f.write(f"{os.getpid()}\\n")
'''

PLUGIN_PYPROJECT = '''
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "codebot-myarm-plugin"
version = "0.0.1"

[project.entry-points."codebot.robots"]
myarm = "myarm_plugin:MyArm"

[tool.setuptools]
packages = ["myarm_plugin"]
'''


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory) -> Path:
    """A fresh virtual environment that sees this one's packages (codebot included) through a .pth line,
    with the plugin distribution pip-installed into it (not onto sys.path by hand)."""
    root = tmp_path_factory.mktemp("plugin")
    src = root / "src"
    (src / "myarm_plugin").mkdir(parents=True)
    (src / "myarm_plugin" / "__init__.py").write_text(textwrap.dedent(PLUGIN_ROBOT))
    (src / "pyproject.toml").write_text(textwrap.dedent(PLUGIN_PYPROJECT))
    env = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    python = env / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # addsitedir (not a bare path) so this venv's own .pth files run too: codebot's editable finder among them.
    (Path(site) / "_codebot_parent_env.pth").write_text(
        f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n")
    out = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
                          "--quiet", str(src)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert list(Path(site).glob("codebot_myarm_plugin-*.dist-info")), "the plugin is not installed in the venv"
    return python


def _codebot(python: Path, *args: str, cwd: Path, marker: Path, timeout: float = 300):
    env = {**os.environ, "MYARM_MARKER": str(marker)}
    return subprocess.run([str(python), "-m", "codebot.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=timeout)


def test_the_plugin_robot_is_listed_with_its_distribution(plugin_env, tmp_path):
    out = _codebot(plugin_env, "plugins", cwd=tmp_path, marker=tmp_path / "m")
    assert out.returncode == 0, out.stderr
    line = next(ln for ln in out.stdout.splitlines() if " myarm " in ln)
    assert "myarm_plugin:MyArm" in line and "entry point: codebot-myarm-plugin" in line


def test_codebot_run_verifies_on_the_plugin_robot_in_the_sim_server(plugin_env, tmp_path):
    replay = tmp_path / "r.jsonl"
    replay.write_text(json.dumps({"when_contains": ["# put the red block in the blue bowl."],
                                  "completion": "put_first_on_second('red block', 'blue bowl')"}) + "\n")
    marker = tmp_path / "built"
    out = _codebot(plugin_env, "run", "put the red block in the blue bowl", "--robot", "myarm", "--llm", "replay",
                   "--replay-file", str(replay), "--trace-dir", str(tmp_path / "t"), "-q", cwd=tmp_path,
                   marker=marker)
    assert out.returncode == 0 and "VERIFIED SUCCESS" in out.stdout, out.stdout + out.stderr
    builders = set(marker.read_text().split())
    assert builders and str(os.getpid()) not in builders  # built in the sim server, not in this process


def test_a_misspelt_plugin_robot_is_refused_with_a_suggestion(plugin_env, tmp_path):
    replay = tmp_path / "r.jsonl"
    replay.write_text("")
    out = _codebot(plugin_env, "run", "put the red block in the blue bowl", "--robot", "myarn", "--llm", "replay",
                   "--replay-file", str(replay), "--trace-dir", str(tmp_path / "t"), "-q", cwd=tmp_path,
                   marker=tmp_path / "m")
    assert out.returncode != 0
    assert "unknown robot 'myarn' (did you mean 'myarm'?)" in out.stdout + out.stderr


def test_codebot_bench_runs_the_reference_suite_on_the_plugin_robot(plugin_env, tmp_path):
    marker = tmp_path / "built"
    out = _codebot(plugin_env, "bench", "--robot", "myarm", "--llm", "reference", "--template", "1", "--trials", "2",
                   "--split", "SA/SI", "--workers", "2", "--out", str(tmp_path / "results"), cwd=tmp_path,
                   marker=marker, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    (result,) = (tmp_path / "results").glob("cap-tabletop-reference-*.json")
    records = json.loads(result.read_text())["records"]
    assert len(records) == 2 and all(r["success"] and not r["error"] for r in records), out.stdout
    assert len(set(marker.read_text().split())) >= 2  # one sim server per bench worker built the plugin robot
