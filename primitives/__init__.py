"""The API an LLM writes robot programs against: perception, motion and spatial primitives.

Primitives reach a robot only through the `Robot`, `Perception` and `Camera` protocols bound in
`primitives.context`, so a program runs unchanged on the PyBullet twin or a ROS 2 robot.
"""
