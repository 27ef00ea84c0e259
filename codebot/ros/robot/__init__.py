"""The robot behind ROS 2 topics: the `RosRobot` backend (`ros_robot`), `RosCamera`, `RosPerception`, the
`ros` target that binds them, local kinematics, trajectory timing, and the PyBullet driver behind
`sim_robot_node`."""
