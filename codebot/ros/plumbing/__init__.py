"""The ROS 2 plumbing every other part of codebot.ros (and the vision target's image topics) uses: the
rclpy import, node runners and their one teardown (`env`), topic names (`topics`), message conversions
including sensor_msgs/Image with its one encoding table (`convert`), and the commander heartbeat /
liveliness (`liveliness`)."""
