"""RosTarget: the sandbox target that runs a verified program on a ROS 2 robot.

Built inside the sandbox worker process from a JSON-able config, so a driver crash takes down the
worker, never codebot_node. config: namespace (robot topics, e.g. "/robot"), controller, robot
(model for local kinematics), control ("topic" | "action", as RosRobot's), connect_timeout, stale_after,
min_trajectory_subscribers, cameras (names whose camera/<name>/* topics become Backend.cameras),
commander_id (the dispatching codebot_node: the program stops moving the robot when its heartbeat lapses),
commander_max_age.
"""
from __future__ import annotations

from codebot.primitives.context import Backend
from codebot.primitives.errors import RobotConnectionError
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE
from codebot.ros.plumbing.liveliness import DEFAULT_LEASE_S


class RosTarget:
    groups = ("core",)

    def __init__(self, config: dict):
        from codebot.ros.robot.perception import RosPerception
        from codebot.ros.robot.ros_robot import RosRobot

        self.config = dict(config)
        self._last_objects: list[ObjectInfo] | None = None
        ns, names = self.config.get("namespace", ""), list(self.config.get("cameras") or [])
        made: dict = {}

        def subscribe(node) -> None:
            # made with the robot's own entities, before its executor spins: rclpy is not safe with entities
            # added to a node another thread is waiting on (a dispatch worker once died with SIGSEGV starting)
            from codebot.ros.robot.camera import RosCamera

            made["perception"] = RosPerception(node, ns, wait=0.0)
            made["cameras"] = {name: RosCamera(node, name, ns, wait=0.0) for name in names}

        self.robot = RosRobot(namespace=self.config.get("namespace", ""),
                              controller=self.config.get("controller", "arm_controller"),
                              model=self.config.get("robot", "ur5e"),
                              connect_timeout=float(self.config.get("connect_timeout", 10.0)),
                              stale_after=float(self.config.get("stale_after", 1.0)),
                              node_name=self.config.get("node_name", "codebot_dispatch"),
                              min_trajectory_subscribers=int(self.config.get("min_trajectory_subscribers", 1)),
                              commander_id=str(self.config.get("commander_id", "")),
                              commander_max_age=float(self.config.get("commander_max_age", DEFAULT_LEASE_S)),
                              control=str(self.config.get("control", "topic")), on_node=subscribe)
        self.perception, cameras = made["perception"], made["cameras"]  # cameras: e.g. ["top", "front"]
        self.perception.wait_ready(5.0)
        for camera in cameras.values():
            camera.wait_ready(10.0)
        self._backend = Backend(robot=self.robot, perception=self.perception, workspace=DEFAULT_WORKSPACE,
                                cameras=cameras)

    def backend(self) -> Backend:
        return self._backend

    def observe(self) -> list[ObjectInfo]:
        """What the robot's perception saw last. Called before and after the program: a robot lost
        mid-run must not replace the program's own error (and call log) with a perception error, so
        after the first observation a stale list is returned as it is."""
        try:
            objs = self.perception.objects()
        except RobotConnectionError:
            if self._last_objects is None:
                raise
            return list(self._last_objects)
        self._last_objects = objs
        return objs

    def reset(self, config: dict) -> None:
        # A real scene cannot be reset; seed/scene keys only matter to the simulator. A recorder
        # subscribed since the last run must be matched before the first trajectory goes out.
        self.config.update(config)
        self.robot.wait_for_trajectory_subscribers(int(self.config.get("min_trajectory_subscribers", 1)), 3.0)

    def close(self) -> None:
        self.robot.close()
