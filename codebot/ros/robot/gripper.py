"""RosRobot's gripper command, by whichever interface the robot has: ros2_control's GripperCommand action
(control "action"), codebot's SetBool service (its answer says whether an object is held), or, for stock grippers
with neither, the Bool command topic and then the grasping flag."""
from __future__ import annotations

import json
import time

from codebot.ros.plumbing.env import wait_until
from codebot.primitives.errors import MotionFailedError, RobotConnectionError


def command_gripper(robot, close: bool, timeout: float) -> bool:
    """Close (True) or open the gripper of `robot` (a RosRobot); returns whether it holds an object."""
    from std_srvs.srv import SetBool

    robot._check_alive()
    if robot._actions is not None:
        _, stalled = robot._actions.gripper(close, robot._check_alive, timeout)
        robot._grasping, robot._grasp_hold_until = close and stalled, time.monotonic() + 0.1
        return robot._grasping
    if robot._gripper_srv.wait_for_service(timeout_sec=min(timeout, 2.0)):
        fut = robot._gripper_srv.call_async(SetBool.Request(data=close))
        if not wait_until(fut.done, timeout):
            robot._check_alive()
            raise RobotConnectionError(f"gripper did not answer within {timeout} s")
        resp = fut.result()
        if not resp.success:
            robot._check_alive()
            raise MotionFailedError(f"gripper command failed: {resp.message}")
        try:
            held = bool(json.loads(resp.message).get("grasping", False))
        except ValueError:
            return robot._grasping
        robot._grasping, robot._grasp_hold_until = held, time.monotonic() + 0.1
        return held
    from std_msgs.msg import Bool

    robot._gripper_pub.publish(Bool(data=close))
    time.sleep(1.0)  # a stock gripper says nothing when it is done: its grasping flag after a second
    robot._check_alive()
    return robot._grasping
