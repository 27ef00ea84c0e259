"""Command-line tools: the launch-XML interpreter (`launch_xml`), the ROS 2 package installer
(`install_package`) and the interface-package builder (`build_interfaces`, run by `make setup`)."""
