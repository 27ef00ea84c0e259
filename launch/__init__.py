"""The ROS 2 launch files and their YAML parameters, shipped as package data so `codebot-ros-install` works
from an installed wheel (the repository keeps them in the top-level `launch/` folder)."""
