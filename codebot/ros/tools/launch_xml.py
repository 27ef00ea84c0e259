"""A small interpreter for ROS 2 XML launch files, for machines without the `launch` tool.

It turns `<node>` entries into the same process command lines `ros2 launch` would run:
`<exec> [args] --ros-args -r __node:=NAME -r __ns:=/NS -p k:=v --params-file F -r from:=to`.
Supported: <launch>, <arg name default description>, <let>, <node pkg exec name namespace args
output>, <param name value> / <param from="file.yaml">, <remap from to>, <env name value>,
<include file> with <arg> children, <group> with <push-ros-namespace namespace>, `if`/`unless`
attributes, and the substitutions $(var x), $(env X [default]), $(dirname), $(find-pkg-share pkg),
$(eval 'python expression').

    python -m codebot.ros.tools.launch_xml launch/codebot_sim.launch.xml robot:=panda [--print]
"""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# (pkg, exec) -> python module run with `python -m`; ros2 launch finds the same names in lib/<pkg>/.
EXECUTABLES: dict[tuple[str, str], str] = {
    ("codebot", "sim_robot_node"): "codebot.ros.nodes.sim_robot_node",
    ("codebot", "codebot_node"): "codebot.ros.nodes.codebot_node",
    ("codebot", "commander_guard"): "codebot.ros.nodes.commander_guard",
}
_SUBST = re.compile(r"\$\((\w[\w-]*)((?:[^()]|\([^()]*\))*)\)")


class LaunchError(ValueError):
    """The launch file cannot be interpreted (bad XML, unknown tag, missing argument...)."""


@dataclass
class NodeSpec:
    package: str
    executable: str
    name: str | None
    namespace: str
    params: dict[str, Any] = field(default_factory=dict)  # inline <param name value>, in file order
    params_files: list[str] = field(default_factory=list)
    remaps: list[tuple[str, str]] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    source: str = ""

    @property
    def fqn(self) -> str:
        ns = self.namespace.rstrip("/")
        return f"{ns}/{self.name}" if self.name else ""

    def ros_args(self) -> list[str]:
        out = ["--ros-args"]
        if self.name:
            out += ["-r", f"__node:={self.name}"]
        if self.namespace and self.namespace != "/":
            out += ["-r", f"__ns:={self.namespace}"]
        for f in self.params_files:
            out += ["--params-file", f]
        for k, v in self.params.items():
            out += ["-p", f"{k}:={v}" if v != "" else f"{k}:=''"]  # '' : an empty string, not null
        for a, b in self.remaps:
            out += ["-r", f"{a}:={b}"]
        return out

    def command(self, python: str = sys.executable) -> list[str]:
        module = EXECUTABLES.get((self.package, self.executable))
        if module is None:
            raise LaunchError(f"unknown executable {self.package}/{self.executable}; known: "
                              f"{sorted('/'.join(k) for k in EXECUTABLES)}")
        return [python, "-m", module, *self.args, *self.ros_args()]

    def effective_params(self) -> dict[str, Any]:
        """What the node ends up with: params files (matching entries) then inline params override."""
        import yaml

        merged: dict[str, Any] = {}
        keys = {"/**", "**", self.name or "", self.fqn, self.fqn.lstrip("/")}
        for f in self.params_files:
            data = yaml.safe_load(Path(f).read_text()) or {}
            for key, body in data.items():
                if key in keys and isinstance(body, dict):
                    merged.update(_flatten(body.get("ros__parameters", {})))
        for k, v in self.params.items():
            # `-p k:=v` values are YAML; an empty value is passed as '' and stays a string
            merged[k] = (yaml.safe_load(v) if v != "" else "") if isinstance(v, str) else v
        return merged


def _flatten(d: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _package_share(pkg: str, here: Path) -> str:
    # In this repository the ROS package root is the directory holding launch/package.xml.
    for d in [here, *here.parents]:
        pkg_xml = d / "package.xml"
        if pkg_xml.exists() and f"<name>{pkg}</name>" in pkg_xml.read_text():
            return str(d)
    prefix = os.environ.get("AMENT_PREFIX_PATH", "")
    for p in filter(None, prefix.split(os.pathsep)):
        share = Path(p) / "share" / pkg
        if share.is_dir():
            return str(share)
    raise LaunchError(f"package {pkg!r} not found (no package.xml above {here}, not on AMENT_PREFIX_PATH)")


class _Scope:
    def __init__(self, args: dict[str, str], file: Path, namespace: str = ""):
        self.vars = dict(args)
        self.file = file
        self.namespace = namespace

    def subst(self, text: str | None) -> str:
        if text is None:
            return ""

        def repl(m: re.Match) -> str:
            kind, rest = m.group(1), self.subst(m.group(2).strip())
            parts = shlex.split(rest) if rest else []
            if kind == "var":
                if not parts or parts[0] not in self.vars:
                    raise LaunchError(f"{self.file.name}: undefined launch argument {rest!r}")
                return self.vars[parts[0]]
            if kind == "env":
                if not parts:
                    raise LaunchError("$(env) needs a variable name")
                if parts[0] in os.environ:
                    return os.environ[parts[0]]
                if len(parts) > 1:
                    return parts[1]
                raise LaunchError(f"environment variable {parts[0]!r} is not set")
            if kind == "dirname":
                return str(self.file.parent)
            if kind == "find-pkg-share":
                return _package_share(parts[0], self.file.parent)
            if kind == "eval":
                return str(eval(rest.strip("'\""), {"__builtins__": {}}, {}))  # ros2 launch does the same
            raise LaunchError(f"{self.file.name}: unsupported substitution $({kind} ...)")

        prev = None
        while prev != text:  # nested substitutions resolve inside out
            prev, text = text, _SUBST.sub(repl, text)
        return text

    def condition(self, el: ET.Element) -> bool:
        truthy = {"true", "1", "yes", "on"}
        if "if" in el.attrib and self.subst(el.get("if")).strip().lower() not in truthy:
            return False
        if "unless" in el.attrib and self.subst(el.get("unless")).strip().lower() in truthy:
            return False
        return True


def _join_ns(base: str, ns: str) -> str:
    if not ns:
        return base or ""
    if ns.startswith("/"):
        return ns.rstrip("/") or "/"
    return f"{base.rstrip('/')}/{ns}".rstrip("/") if base else f"/{ns}"


def parse_launch(path: str | Path, args: dict[str, str] | None = None) -> list[NodeSpec]:
    """Every node the file (and its includes) starts, in order, with arguments `args` applied."""
    path = Path(path).resolve()
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise LaunchError(f"cannot read launch file {path}: {exc}") from None
    if root.tag != "launch":
        raise LaunchError(f"{path.name}: root element must be <launch>, got <{root.tag}>")
    nodes: list[NodeSpec] = []
    _walk(root, _Scope(dict(args or {}), path), nodes, cli_args=dict(args or {}))
    return nodes


def _walk(el: ET.Element, scope: _Scope, nodes: list[NodeSpec], cli_args: dict[str, str]) -> None:
    for child in el:
        if not isinstance(child.tag, str) or not scope.condition(child):
            continue
        tag = child.tag
        if tag == "arg":
            name = child.get("name")
            if not name:
                raise LaunchError(f"{scope.file.name}: <arg> without name")
            if name in cli_args:
                scope.vars[name] = cli_args[name]
            elif "default" in child.attrib:
                scope.vars.setdefault(name, scope.subst(child.get("default")))
            elif name not in scope.vars:
                raise LaunchError(f"{scope.file.name}: launch argument {name!r} is required "
                                  f"(pass {name}:=VALUE)")
        elif tag == "let":
            scope.vars[child.get("name")] = scope.subst(child.get("value"))
        elif tag == "node":
            nodes.append(_node(child, scope))
        elif tag == "include":
            file = Path(scope.subst(child.get("file")))
            if not file.is_absolute():
                file = scope.file.parent / file
            inc_args = {a.get("name"): scope.subst(a.get("value")) for a in child.findall("arg")}
            sub = _Scope(inc_args, file.resolve(), scope.namespace)
            try:
                inc_root = ET.parse(file).getroot()
            except (ET.ParseError, OSError) as exc:
                raise LaunchError(f"cannot read included launch file {file}: {exc}") from None
            _walk(inc_root, sub, nodes, cli_args=inc_args)
        elif tag == "group":
            sub = _Scope(dict(scope.vars), scope.file, scope.namespace)  # scoped like ros2 launch
            _walk(child, sub, nodes, cli_args={})
        elif tag in ("push-ros-namespace", "push_ros_namespace"):
            scope.namespace = _join_ns(scope.namespace, scope.subst(child.get("namespace")))
        elif tag in ("set_env", "set-env"):
            os.environ[scope.subst(child.get("name"))] = scope.subst(child.get("value"))
        else:
            raise LaunchError(f"{scope.file.name}: unsupported launch tag <{tag}>")


def _node(el: ET.Element, scope: _Scope) -> NodeSpec:
    pkg, exe = scope.subst(el.get("pkg")), scope.subst(el.get("exec"))
    if not pkg or not exe:
        raise LaunchError(f"{scope.file.name}: <node> needs pkg and exec")
    spec = NodeSpec(package=pkg, executable=exe, name=scope.subst(el.get("name")) or None,
                    namespace=_join_ns(scope.namespace, scope.subst(el.get("namespace"))),
                    args=shlex.split(scope.subst(el.get("args"))), source=str(scope.file))
    for c in el:
        if not isinstance(c.tag, str) or not scope.condition(c):
            continue
        if c.tag == "param":
            if "from" in c.attrib:
                f = Path(scope.subst(c.get("from")))
                f = f if f.is_absolute() else scope.file.parent / f
                if not f.exists():
                    raise LaunchError(f"{scope.file.name}: parameter file {f} does not exist")
                spec.params_files.append(str(f.resolve()))
            else:
                spec.params[scope.subst(c.get("name"))] = scope.subst(c.get("value"))
        elif c.tag == "remap":
            spec.remaps.append((scope.subst(c.get("from")), scope.subst(c.get("to"))))
        elif c.tag == "env":
            spec.env[scope.subst(c.get("name"))] = scope.subst(c.get("value"))
        else:
            raise LaunchError(f"{scope.file.name}: unsupported tag <{c.tag}> inside <node>")
    return spec


def start_nodes(nodes: list[NodeSpec], env: dict[str, str] | None = None,
                stdout=None, stderr=None) -> list[subprocess.Popen]:
    """Start every node as its own process (new process group, so one kill reaches its children)."""
    procs = []
    base = dict(os.environ if env is None else env)
    for n in nodes:
        procs.append(subprocess.Popen(n.command(), env={**base, **n.env}, stdout=stdout, stderr=stderr,
                                      start_new_session=True))
    return procs


def stop_processes(procs: list[subprocess.Popen], timeout: float = 5.0) -> None:
    """SIGINT (nodes shut down cleanly), then SIGKILL what is still alive after `timeout`."""
    for p in procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + timeout
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(5)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    show_only = "--print" in argv
    argv = [a for a in argv if a != "--print"]
    if not argv:
        print(__doc__)
        return 2
    file, rest = argv[0], argv[1:]
    bad = [a for a in rest if ":=" not in a]
    if bad:
        print(f"launch arguments must look like name:=value, got {bad}", file=sys.stderr)
        return 2
    try:
        nodes = parse_launch(file, dict(a.split(":=", 1) for a in rest))
        commands = [n.command() for n in nodes]
    except LaunchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for c in commands:
        print(shlex.join(c))
    if show_only:
        return 0
    procs = start_nodes(nodes)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop_processes(procs)
    return max((p.returncode or 0) for p in procs) if procs else 0


if __name__ == "__main__":
    sys.exit(main())
