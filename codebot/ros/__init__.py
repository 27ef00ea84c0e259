"""ROS 2 (rclpy) side of codebot: the PyBullet robot as a ROS 2 node, a `Robot` backend that drives
any arm over the standard topics, the codebot node with its simulation gate, launch-file tooling and
rosbag2 recording.

Nothing here imports rclpy at package import time; each module that needs it calls
`codebot.ros.env.rclpy()` which raises MissingExtraError naming the `ros` extra.
"""
