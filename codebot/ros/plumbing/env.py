"""Process-level ROS 2 helpers: environment variables, a node spinning in its own executor thread,
and polling with timeouts (discovery takes up to ~3 s, so every wait is a bounded poll)."""
from __future__ import annotations

import os
from pathlib import Path
import sys
import threading
import time
from typing import Any, Callable

from codebot.extras import require

# Discovery stays on this host; RMW_IMPLEMENTATION is left to the default (Fast DDS).
LOCALHOST_ENV = {"ROS_AUTOMATIC_DISCOVERY_RANGE": "LOCALHOST"}


def fastdds_profiles() -> Path:
    """launch/config/fastdds_profiles.xml, in a checkout or an installed wheel (codebot.launch)."""
    import codebot.launch

    return Path(codebot.launch.__file__).resolve().parent / "config" / "fastdds_profiles.xml"


def use_codebot_fastdds_profiles() -> None:
    """Load launch/config/fastdds_profiles.xml (services wait for a new client's reply reader instead of dropping
    the reply) in this process and the ROS processes it starts, unless a profiles file is already named."""
    if os.environ.get("FASTDDS_DEFAULT_PROFILES_FILE") or os.environ.get("FASTRTPS_DEFAULT_PROFILES_FILE"):
        return
    path = fastdds_profiles()
    if path.exists():
        os.environ["FASTDDS_DEFAULT_PROFILES_FILE"] = str(path)


def rclpy():
    """The rclpy module, or MissingExtraError naming the `ros` extra."""
    use_codebot_fastdds_profiles()  # before the first participant: Fast DDS reads it then
    return require("rclpy", "ros")


def ros_env(domain_id: int | None = None, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a child ROS 2 process: localhost discovery and the given domain id."""
    env = dict(os.environ if base is None else base)
    env.update(LOCALHOST_ENV)
    env.pop("ROS_LOCALHOST_ONLY", None)  # ignored by Kilted, but confusing when set
    if domain_id is not None:
        if not 0 <= int(domain_id) <= 232:
            raise ValueError(f"ROS_DOMAIN_ID must be in 0..232, got {domain_id}")
        env["ROS_DOMAIN_ID"] = str(int(domain_id))
    return env


def apply_localhost_env(domain_id: int | None = None) -> None:
    """Set the discovery variables in this process (before rclpy.init)."""
    os.environ.update(LOCALHOST_ENV)
    if domain_id is not None:
        os.environ["ROS_DOMAIN_ID"] = str(int(domain_id))


def wait_until(predicate: Callable[[], Any], timeout: float, interval: float = 0.01) -> Any:
    """Poll `predicate` until it returns something truthy (returned) or `timeout` s pass (None)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def declare_params(node, defaults: dict[str, Any]) -> dict[str, Any]:
    """Declare a node's parameters with dynamic typing (so `-p seed:=0`, `seed: 0.0` and a YAML list
    all work) and read them back coerced to the defaults' types."""
    from rcl_interfaces.msg import ParameterDescriptor

    out = {}
    for name, default in defaults.items():
        value = node.declare_parameter(name, default, ParameterDescriptor(dynamic_typing=True)).value
        if isinstance(default, list):
            value = [] if value in (None, "", [""]) else list(value)
        elif isinstance(default, bool) and isinstance(value, str):
            if value.lower() not in ("true", "false"):
                raise ValueError(f"parameter {name} must be true or false, got {value!r}")
            value = value.lower() == "true"
        elif default is not None and value is not None:
            value = type(default)(value)
        out[name] = value
    return out


def _spin_until_closed(owner, spin: Callable[[], None], pause_s: float = 0.0) -> None:
    """Run `spin` until `owner` (with .node, .context, ._closed) closes. An exception in one callback
    surfaces from spin(); it must not stop every other callback of the node for good, so log it and
    keep spinning."""
    while not owner._closed and owner.context.ok():
        try:
            spin()
        except Exception as exc:
            if owner._closed or not owner.context.ok():
                return
            try:
                owner.node.get_logger().error(f"callback failed: {type(exc).__name__}: {exc}")
            except Exception:
                pass
            if pause_s:
                time.sleep(pause_s)


def teardown(executor, node, context, thread: threading.Thread | None) -> None:
    """Stop a node that owns its context, in the order the Kilted wheels need: executor.shutdown ->
    (node.on_close() if it has one) destroy_node -> rclpy.shutdown(context) -> join the spin thread;
    anything else can abort the process (rc 134). Each step runs even if the one before failed."""
    rp = rclpy()
    try:
        executor.shutdown(timeout_sec=2.0)
    except Exception:
        pass
    try:
        on_close = getattr(node, "on_close", None)
        if on_close:
            on_close()
        node.destroy_node()
    except Exception:
        pass
    try:
        if context.ok():
            rp.shutdown(context=context)
    except Exception:
        pass
    if thread is not None and thread is not threading.current_thread():
        thread.join(timeout=5.0)


class NodeRunner:
    """Owns an rclpy context, one node and an executor spinning in a daemon thread.

    Teardown order matters with the Kilted wheels: executor.shutdown -> destroy_node ->
    rclpy.shutdown(context) -> join; anything else can abort the process (rc 134).
    """

    def __init__(self, node_factory: Callable[[Any], Any], args: list[str] | None = None,
                 threads: int = 4):
        rp = rclpy()
        from rclpy.executors import MultiThreadedExecutor, SingleThreadedExecutor

        self.context = rp.context.Context()
        rp.init(args=args, context=self.context)
        try:
            self.node = node_factory(self.context)
        except BaseException:
            rp.shutdown(context=self.context)
            raise
        # threads=1: every callback on the one spin thread, no threads started later (a sandbox
        # worker forbids new threads/processes while a program runs).
        self.executor = (SingleThreadedExecutor(context=self.context) if threads == 1
                         else MultiThreadedExecutor(num_threads=threads, context=self.context))
        self.executor.add_node(self.node)
        self._thread = threading.Thread(target=self._spin, name="ros-executor", daemon=True)
        self._closed = False
        self._thread.start()

    def _spin(self) -> None:
        _spin_until_closed(self, self.executor.spin, pause_s=0.01)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        teardown(self.executor, self.node, self.context, self._thread)

    def __enter__(self) -> "NodeRunner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def topic_remaps(argv: list[str]) -> list[str]:
    """The `--ros-args -r from:=to` remaps of a command line, without node name/namespace ones."""
    out, ros, i = [], False, 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--ros-args":
            ros = True
        elif arg == "--":
            ros = False
        elif ros and arg in ("-r", "--remap") and i + 1 < len(argv):
            rule = argv[i + 1]
            if not rule.split(":=", 1)[0].split(":")[-1].startswith("__"):
                out += ["-r", rule]
            i += 1
        i += 1
    return ["--ros-args", *out] if out else []


class SideNode:
    """A second node in an existing context, spun by its own executor thread (single-threaded, or a pool of
    `threads` for callbacks that block, e.g. action goals), for callbacks that must never queue behind the
    main node's (a command intake that acks at once). close() before the main node is destroyed
    (executor.shutdown -> join -> destroy the given entities -> destroy_node)."""

    def __init__(self, context, name: str, namespace: str = "", threads: int = 1, nice: int = 0):
        rp = rclpy()
        from rclpy.executors import MultiThreadedExecutor, SingleThreadedExecutor
        from rclpy.node import Node

        self.context = context
        # the process's remaps apply (e.g. command:=...), except its node name, which is the main node's
        self.node = Node(name, namespace=namespace or None, context=context, use_global_arguments=False,
                         cli_args=topic_remaps(sys.argv))
        self.executor = (SingleThreadedExecutor(context=context) if threads == 1
                         else MultiThreadedExecutor(num_threads=threads, context=context))
        self.executor.add_node(self.node)
        self._rp = rp
        self._closed = False
        self._nice = nice  # the spin thread's own nice value (0: as the process); threads of a pool inherit it
        self._thread = threading.Thread(target=self._spin, name=f"ros-{name}", daemon=True)
        self._thread.start()

    def _spin(self) -> None:
        if self._nice:
            from codebot.ros.plumbing.priority import raise_priority

            raise_priority(self._nice, thread=True)
        _spin_until_closed(self, lambda: self.executor.spin_once(timeout_sec=0.1))

    def close(self, *entities) -> None:
        """Stop spinning, destroy `entities` (e.g. an ActionServer on this node), then the node."""
        if self._closed:
            return
        self._closed = True
        try:
            self.executor.shutdown(timeout_sec=2.0)
        except Exception:
            pass
        self._thread.join(timeout=5.0)
        try:
            for entity in entities:
                entity.destroy()
            self.node.destroy_node()
        except Exception:
            pass


def spin_node_until_shutdown(node_factory: Callable[[Any], Any], args: list[str] | None,
                             threads: int = 4) -> int:
    """Entry point body for a node executable: spin until SIGINT/SIGTERM, then tear down cleanly."""
    import signal

    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    from codebot.extras import MissingExtraError
    from codebot.primitives.errors import PrimitiveError

    try:
        runner = NodeRunner(node_factory, args=args, threads=threads)
    except (PrimitiveError, MissingExtraError, ValueError) as exc:  # bad parameters: say so, exit 2
        import sys

        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        while not stop.is_set() and runner.context.ok():
            stop.wait(0.1)
    finally:
        runner.close()
    return 0
