"""The MCP server's own small ROS 2 node for `--target ros`: it follows the robot's joint_states (so
the sim twin starts from the robot's joints, as codebot_node's does) and publishes the e-stop.
Programs never run here: dispatch goes through codebot's ros target in a sandbox worker."""
from __future__ import annotations

from codebot.ros.plumbing import topics
from codebot.ros.plumbing.env import NodeRunner, apply_localhost_env, rclpy, wait_until


class RosLink:
    def __init__(self, namespace: str = ""):
        rclpy()
        apply_localhost_env()
        ns = namespace.rstrip("/")
        self.estop_topic = f"{ns}/{topics.ESTOP}" if ns else f"/{topics.ESTOP}"
        joints_topic = f"{ns}/{topics.JOINT_STATES}" if ns else f"/{topics.JOINT_STATES}"
        self._joints = None

        def make(context):
            from rclpy.node import Node
            from sensor_msgs.msg import JointState
            from std_msgs.msg import Bool

            node = Node("codebot_mcp", context=context)
            node.estop_pub = node.create_publisher(Bool, self.estop_topic, topics.qos_reliable(10))
            node.create_subscription(JointState, joints_topic, self._on_joints, topics.qos_reliable(20))
            node.Bool = Bool
            return node

        self.runner = NodeRunner(make, threads=1)

    def _on_joints(self, msg) -> None:
        self._joints = (list(msg.name), [float(v) for v in msg.position])

    def joints(self, timeout: float = 3.0) -> tuple[list[str], list[float]] | None:
        """The robot's latest joint names and positions (None when none arrived within `timeout`)."""
        if self._joints is None:
            wait_until(lambda: self._joints is not None, timeout, interval=0.05)
        return self._joints

    def publish_estop(self, value: bool) -> None:
        node = self.runner.node
        # a fresh publisher may not be matched yet (discovery takes up to ~3 s): wait, bounded
        wait_until(lambda: node.estop_pub.get_subscription_count() > 0, 3.0)
        node.estop_pub.publish(node.Bool(data=bool(value)))

    def close(self) -> None:
        self.runner.close()
