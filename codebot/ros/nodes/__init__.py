"""Thin ROS 2 node entry points (`python -m codebot.ros.nodes.NAME`): `sim_robot_node` (PyBullet robot
behind stock topics), `codebot_node` (instructions in, verified programs dispatched), `commander_guard`
(stops a robot whose commander went silent)."""
