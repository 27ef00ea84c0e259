"""The interface build step's own logic, fast and without rclpy or cmake: what goes into the input hash, when a
run is skipped, the include-path patch (idempotent), the tarball cache (restores into another prefix), failure
reporting and the step deadline. The real build is exercised by `make setup` and checked in test_interfaces.py."""
from __future__ import annotations

import json
import shutil
import sys
import tarfile
import time
from pathlib import Path

import pytest

from codebot.ros.tools import build_interfaces as bi

BAKED = ('INTERFACE_INCLUDE_DIRECTORIES "/opt/python/cp311-cp311/include/python3.11;'
         '/opt/python/cp311-cp311/lib/python3.11/site-packages/numpy/_core/include"\n')


def fake_prefix(root: Path, dists=("ros_rclpy-9.1.2.dist-info", "numpy-2.4.6.dist-info")) -> Path:
    """A venv-shaped folder: site-packages with some dist-info names, a share/ with one generator_py export."""
    prefix = root / "venv"
    site = bi._site_packages(prefix)
    site.mkdir(parents=True)
    for name in dists:
        (site / name).mkdir()
    export = prefix / "share" / "std_msgs" / "cmake" / "export_std_msgs__rosidl_generator_pyExport.cmake"
    export.parent.mkdir(parents=True)
    export.write_text(BAKED)
    return prefix


@pytest.fixture
def sources(tmp_path, monkeypatch):
    """A copy of the real interface sources, made the tool's INTERFACES_DIR so a test may edit them."""
    copy = tmp_path / "interfaces"
    shutil.copytree(bi.INTERFACES_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(bi, "INTERFACES_DIR", copy)
    monkeypatch.setenv("CODEBOT_CACHE_DIR", str(tmp_path / "cache"))
    return copy


def test_the_sources_are_ament_interface_packages():
    for pkg in bi.PACKAGES:
        root = bi.INTERFACES_DIR / pkg
        xml = (root / "package.xml").read_text()
        assert f"<name>{pkg}</name>" in xml and "<member_of_group>rosidl_interface_packages</member_of_group>" in xml
        listed = (root / "CMakeLists.txt").read_text()
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in (".msg", ".action"))
        assert files and all(f'"{f}"' in listed for f in files), f"{pkg}: CMakeLists.txt must list every file"


def test_input_hash_follows_the_sources_and_the_ros_wheels_only(tmp_path, sources):
    prefix = fake_prefix(tmp_path)
    first = bi.input_hash(prefix)
    assert bi.input_hash(prefix) == first  # stable

    action = sources / "codebot_interfaces" / "action" / "ExecuteInstruction.action"
    action.write_text(action.read_text() + "# a comment changes the file, so it rebuilds\n")
    edited = bi.input_hash(prefix)
    assert edited != first

    site = bi._site_packages(prefix)
    (site / "requests-2.0.dist-info").mkdir()  # not a ROS or generator distribution
    assert bi.input_hash(prefix) == edited
    (site / "ros_rclpy-9.1.2.dist-info").rename(site / "ros_rclpy-9.1.3.dist-info")
    assert bi.input_hash(prefix) != edited
    # not the prefix itself: the cache serves another venv of the same interpreter
    other = fake_prefix(tmp_path / "other", dists=("ros_rclpy-9.1.3.dist-info", "numpy-2.4.6.dist-info",
                                                   "requests-2.0.dist-info"))
    assert bi.input_hash(other) == bi.input_hash(prefix)


def test_patch_rewrites_the_baked_include_dirs_once(tmp_path):
    prefix = fake_prefix(tmp_path)
    other = prefix / "share" / "std_msgs" / "cmake" / "std_msgsConfig.cmake"
    other.write_text(BAKED)  # only the generator_py export files are patched
    changed = bi.patch_exports(prefix, python_include="/py/include", numpy_include="/np/include")
    export = prefix / "share" / "std_msgs" / "cmake" / "export_std_msgs__rosidl_generator_pyExport.cmake"
    assert changed == [export]
    assert export.read_text() == 'INTERFACE_INCLUDE_DIRECTORIES "/py/include;/np/include"\n'
    assert bi.patch_exports(prefix, python_include="/py/include", numpy_include="/np/include") == []  # idempotent
    assert export.read_text() == 'INTERFACE_INCLUDE_DIRECTORIES "/py/include;/np/include"\n'
    assert other.read_text() == BAKED


def fake_build(calls: list):
    def build(prefix, **_kw):
        calls.append(prefix)
        out = [f"lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages/control_msgs/__init__.py",
               "share/control_msgs/local_setup.sh", "lib/libcontrol_msgs__rosidl_generator_c.so"]
        for rel in out:
            (prefix / rel).parent.mkdir(parents=True, exist_ok=True)
            (prefix / rel).write_text(f"built in {prefix}\n")
        return out
    return build


def test_ensure_builds_then_skips_then_restores_from_the_cache(tmp_path, sources, monkeypatch):
    calls: list = []
    monkeypatch.setattr(bi, "build", fake_build(calls))
    prefix = fake_prefix(tmp_path)
    assert bi.ensure(prefix) == "built" and len(calls) == 1
    stamp = json.loads((prefix / bi.STAMP_NAME).read_text())
    assert stamp["hash"] == bi.input_hash(prefix) and "share/control_msgs/local_setup.sh" in stamp["files"]

    t = time.monotonic()
    assert bi.ensure(prefix) == "skipped"
    assert time.monotonic() - t < 1.0 and len(calls) == 1

    (prefix / "lib" / "libcontrol_msgs__rosidl_generator_c.so").unlink()  # an installed file went missing
    assert bi.ensure(prefix) == "restored" and len(calls) == 1
    assert (prefix / "lib" / "libcontrol_msgs__rosidl_generator_c.so").is_file()

    fresh = fake_prefix(tmp_path / "fresh")  # another venv, same interpreter and wheels
    t = time.monotonic()
    assert bi.ensure(fresh) == "restored" and len(calls) == 1
    assert time.monotonic() - t < 1.0
    # text files under share/ that named the first prefix now name this one
    assert (fresh / "share/control_msgs/local_setup.sh").read_text() == f"built in {fresh}\n"

    (sources / "control_msgs" / "msg" / "GripperCommand.msg").write_text("float64 position\n")
    assert bi.ensure(prefix) == "built" and len(calls) == 2
    assert bi.ensure(prefix, force=True) == "built" and len(calls) == 3


def test_a_failed_build_says_what_failed_and_leaves_no_valid_stamp(tmp_path, sources, monkeypatch, capsys):
    prefix = fake_prefix(tmp_path)
    bi.write_stamp(prefix, "an older hash", [])

    def failing(prefix, **_kw):
        raise bi.BuildError("control_msgs: build exited 2: cmake --build ...\n--- last output ---\nerror: boom")

    monkeypatch.setattr(bi, "build", failing)
    assert bi.main(["--prefix", str(prefix)]) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "control_msgs: build exited 2" in err and "boom" in err
    assert not bi.up_to_date(prefix, bi.input_hash(prefix))


def test_a_step_that_fails_or_hangs_is_reported(tmp_path):
    log = tmp_path / "build.log"
    with pytest.raises(bi.BuildError, match=r"(?s)pkg: build exited 3: .*--- last output ---.*boom"):
        bi._run(["sh", "-c", "echo boom; exit 3"], "pkg: build", time.monotonic() + 60, {"PATH": "/usr/bin:/bin"},
                tmp_path, log)
    t = time.monotonic()
    with pytest.raises(bi.BuildError, match="pkg: configure timed out"):
        bi._run(["sleep", "60"], "pkg: configure", time.monotonic() + 0.3, {"PATH": "/usr/bin:/bin"}, tmp_path, log)
    assert time.monotonic() - t < 10


def test_a_broken_cache_is_a_miss(tmp_path):
    prefix = fake_prefix(tmp_path)
    where = tmp_path / "cache"
    where.mkdir()
    (where / "abc.tar.gz").write_bytes(b"not a tarball")
    assert bi.restore_cache(prefix, "abc", where) is None
    with tarfile.open(where / "def.tar.gz", "w:gz"):
        pass  # no manifest
    assert bi.restore_cache(prefix, "def", where) is None
    assert bi.restore_cache(prefix, "missing", where) is None


def test_files_a_rebuild_no_longer_installs_are_removed(tmp_path, sources, monkeypatch):
    outputs = [["share/codebot_interfaces/msg/Old.msg", "share/codebot_interfaces/msg/Kept.msg"],
               ["share/codebot_interfaces/msg/Kept.msg"]]

    def build(prefix, **_kw):
        out = outputs.pop(0)
        for rel in out:
            (prefix / rel).parent.mkdir(parents=True, exist_ok=True)
            (prefix / rel).write_text("x")
        return out

    monkeypatch.setattr(bi, "build", build)
    prefix = fake_prefix(tmp_path)
    assert bi.ensure(prefix, use_cache=False) == "built"
    (sources / "codebot_interfaces" / "msg" / "PerceivedObject.msg").write_text("string name\n")
    assert bi.ensure(prefix, use_cache=False) == "built"
    assert not (prefix / "share/codebot_interfaces/msg/Old.msg").exists()
    assert (prefix / "share/codebot_interfaces/msg/Kept.msg").is_file()
