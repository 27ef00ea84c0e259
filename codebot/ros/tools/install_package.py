"""Lay out the `codebot` ROS 2 package in an install prefix, so a real ROS 2 (Jazzy/Kilted) install
finds it: `ros2 launch codebot codebot_sim.launch.xml` and `ros2 run codebot sim_robot_node`.

    python -m codebot.ros.tools.install_package ~/codebot_ros        # then:
    export AMENT_PREFIX_PATH=~/codebot_ros:$AMENT_PREFIX_PATH
    ros2 launch codebot codebot_sim.launch.xml llm:=replay llm_path:=demo.jsonl

Creates PREFIX/share/codebot/{package.xml, launch/*.launch.xml, launch/config/*.yaml},
PREFIX/lib/codebot/{sim_robot_node, codebot_node, commander_guard} (wrappers running this Python interpreter, where
codebot is installed) and the ament index marker PREFIX/share/ament_index/resource_index/packages/codebot.
"""
from __future__ import annotations

import shutil
import stat
import sys
from pathlib import Path

import codebot.launch
from codebot.ros.tools.launch_xml import EXECUTABLES

# Package data (`codebot.launch`, the repository's `launch/` folder): found the same way in a checkout and a wheel.
LAUNCH_DIR = Path(codebot.launch.__file__).resolve().parent


def install(prefix: str | Path, python: str = sys.executable, launch_dir: Path = LAUNCH_DIR) -> list[Path]:
    prefix = Path(prefix).expanduser().resolve()
    if not (launch_dir / "package.xml").exists():
        raise FileNotFoundError(f"no package.xml in {launch_dir}: the codebot install is incomplete "
                                "(reinstall codebot)")
    share = prefix / "share" / "codebot"
    written: list[Path] = []
    (share / "launch" / "config").mkdir(parents=True, exist_ok=True)
    written.append(Path(shutil.copy2(launch_dir / "package.xml", share / "package.xml")))
    for f in sorted(launch_dir.glob("*.launch.xml")):
        written.append(Path(shutil.copy2(f, share / "launch" / f.name)))
    for f in sorted((launch_dir / "config").glob("*.yaml")):
        written.append(Path(shutil.copy2(f, share / "launch" / "config" / f.name)))
    lib = prefix / "lib" / "codebot"
    lib.mkdir(parents=True, exist_ok=True)
    for (pkg, exe), module in EXECUTABLES.items():
        if pkg != "codebot":
            continue
        script = lib / exe
        script.write_text(f'#!/bin/sh\nexec "{python}" -m {module} "$@"\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        written.append(script)
    marker = prefix / "share" / "ament_index" / "resource_index" / "packages" / "codebot"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("")
    written.append(marker)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 1 or argv[0].startswith("-"):
        print(__doc__)
        return 2
    for path in install(argv[0]):
        print(path)
    print(f"\nexport AMENT_PREFIX_PATH={Path(argv[0]).expanduser().resolve()}:$AMENT_PREFIX_PATH")
    return 0


if __name__ == "__main__":
    sys.exit(main())
