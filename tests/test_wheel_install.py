"""`pip install .` (not editable) gives a working codebot: the wheel built from this checkout, installed into a
fresh venv, imports, runs `codebot run` through the sandbox to VERIFIED SUCCESS and lays out the ROS 2 package
with `codebot-ros-install` -- all from the installed files, never from this checkout.

The fresh venv reuses the heavy dependencies already installed beside the interpreter running the tests (no
downloads): its site-packages holds a `.pth` naming that site-packages as a plain path. A plain path line adds
the directory to sys.path *after* the venv's own site-packages and does not run the `.pth` files inside it, so
an editable `codebot` there (setuptools' `__editable__` finder) is never installed and the wheel's copy wins.
Each check asserts where `codebot` was imported from."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOURCE_FOLDERS = {"codebot": "codebot", "primitives": "codebot/primitives", "sim": "codebot/sim",
                  "launch": "codebot/launch"}
# What a source copy for the build leaves out: the .gitignore'd outputs (a stale build/lib would leak into the
# wheel, and building in place would rewrite build/ and *.egg-info under other people's feet).
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
                                    ".pytest_cache", ".cache", "results", "traces", "*.mp4", "*.gif")
INSTRUCTION = "put the red block in the blue bowl"


@dataclass
class Installed:
    wheel: Path
    venv: Path
    site_packages: Path
    env: dict[str, str]

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, argv: list, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
        return _run(argv, cwd=cwd, env=self.env, timeout=timeout)


def _run(argv: list, timeout: float = 180, **kw) -> subprocess.CompletedProcess:
    out = subprocess.run([str(a) for a in argv], check=False, capture_output=True, text=True, timeout=timeout, **kw)
    assert out.returncode == 0, f"{argv} exited {out.returncode}\n{out.stdout}\n{out.stderr}"
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("wheel_install")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCE)
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", dist, src], cwd=base)
    (wheel,) = dist.glob("codebot-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    python = venv / "bin" / "python"
    site_packages = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              cwd=base).stdout.strip())
    deps = sysconfig.get_paths()["purelib"]  # this interpreter's: numpy, pybullet, typer, pip, ...
    (site_packages / "_codebot_test_deps.pth").write_text(deps + "\n")

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # pip comes from the reused site-packages; --ignore-installed: the codebot visible there (this checkout's,
    # possibly editable) is neither "already satisfied" nor uninstalled.
    _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", wheel],
         cwd=base, env=env)
    return Installed(wheel=wheel, venv=venv, site_packages=site_packages, env=env)


def test_the_wheel_holds_the_package_data_and_only_the_codebot_name(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"codebot", f"codebot-{installed.wheel.name.split('-')[1]}.dist-info"}, tops  # no sim/, primitives/
    for pattern in ("codebot/sim/assets/*.urdf", "codebot/launch/*.launch.xml", "codebot/launch/package.xml",
                    "codebot/launch/config/*.yaml", "codebot/prompts/*.txt"):
        assert any(Path(n).match(pattern) for n in names), f"no {pattern} in the wheel"
    # Every file of the source folders ships (a new data file type not in package-data would be missing).
    expected = {f"{SOURCE_FOLDERS[folder]}/{f.relative_to(ROOT / folder).as_posix()}"
                for folder in SOURCE_FOLDERS for f in (ROOT / folder).rglob("*")
                if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"}
    assert expected - names == set()


def test_the_installed_codebot_imports_from_the_venv_not_the_checkout(installed, tmp_path):
    code = ("import codebot, codebot.sim, codebot.primitives, codebot.launch, codebot.sandbox.server; "
            "import json; print(json.dumps([m.__file__ for m in (codebot, codebot.sim, codebot.primitives, "
            "codebot.launch, codebot.sandbox.server)]))")
    # -P and -I: how the sandbox starts its sim server and zygote.
    for flags in ([], ["-P"], ["-I"]):
        out = installed.run([installed.bin("python"), *flags, "-c", code], cwd=tmp_path)
        for f in map(Path, json.loads(out.stdout)):
            assert f.is_relative_to(installed.site_packages / "codebot"), (flags, f)


def test_the_console_scripts_work_from_a_temp_cwd(installed, tmp_path):
    assert "run" in installed.run([installed.bin("codebot"), "--help"], cwd=tmp_path).stdout
    assert "put_first_on_second" in installed.run([installed.bin("codebot"), "primitives"], cwd=tmp_path).stdout

    replay = tmp_path / "replay.jsonl"
    replay.write_text(json.dumps({"when_contains": [f"# {INSTRUCTION}."],
                                  "completion": "put_first_on_second('red block', 'blue bowl')"}) + "\n")
    out = installed.run([installed.bin("codebot"), "run", INSTRUCTION, "--llm", "replay", "--replay-file", replay,
                         "--trace-dir", tmp_path / "traces", "-q"], cwd=tmp_path, timeout=300)
    assert "VERIFIED SUCCESS" in out.stdout, out.stdout + out.stderr


def test_codebot_ros_install_lays_out_the_package_from_the_wheel(installed, tmp_path):
    prefix = tmp_path / "ros_prefix"
    installed.run([installed.bin("codebot-ros-install"), str(prefix)], cwd=tmp_path)
    share = prefix / "share" / "codebot"
    launch_src = installed.site_packages / "codebot" / "launch"
    expected = {"package.xml": launch_src / "package.xml"}
    expected |= {f"launch/{f.name}": f for f in launch_src.glob("*.launch.xml")}
    expected |= {f"launch/config/{f.name}": f for f in (launch_src / "config").glob("*.yaml")}
    assert any(k.startswith("launch/config/") for k in expected) and any(k.endswith(".launch.xml") for k in expected)
    for rel, src in expected.items():
        assert (share / rel).is_file(), f"share/codebot/{rel} missing"
        in_checkout = ROOT / "launch" / src.relative_to(launch_src)
        assert (share / rel).read_bytes() == src.read_bytes() == in_checkout.read_bytes()
    # The node wrappers run the venv's interpreter, where this codebot is installed.
    wrapper = (prefix / "lib" / "codebot" / "sim_robot_node").read_text()
    assert installed.bin("python") in wrapper
    assert (prefix / "share" / "ament_index" / "resource_index" / "packages" / "codebot").is_file()
