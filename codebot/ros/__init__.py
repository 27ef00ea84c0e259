"""ROS 2 (rclpy) side of codebot, in wings by job:

- `nodes/`: thin node entry points (`python -m codebot.ros.nodes.NAME`): `sim_robot_node`, `codebot_node`,
  `commander_guard`;
- `robot/`: the robot behind the topics: the `RosRobot` backend (`ros_robot`), `RosCamera`, `RosPerception`,
  the `ros` target, kinematics, trajectory timing, the PyBullet driver behind `sim_robot_node`;
- `dispatch/`: from an instruction to a dispatched program: commands, command log, client, twin, gate, pipeline;
- `recording/`: rosbag2 recording, its journal and the salvage of a bag left open;
- `tools/`: the launch-XML interpreter and the ROS 2 package installer (`codebot-ros-install`);
- `plumbing/`: what the others use: rclpy import, node runner and teardown (`env`), `topics`, `convert`
  (messages and the one image encoding table), `liveliness` (heartbeat, commander monitor).

Nothing here imports rclpy at package import time; each module that needs it calls
`codebot.ros.plumbing.env.rclpy()` which raises MissingExtraError naming the `ros` extra.
"""
