"""Command-line tools: the launch-XML interpreter (`launch_xml`) and the ROS 2 package installer
(`install_package`)."""
