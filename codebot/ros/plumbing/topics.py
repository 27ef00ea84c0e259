"""Topic, service and QoS names shared by the sim robot node, the ROS robot backend and codebot_node.

Names are relative so a namespace (`-r __ns:=/robot`) applies to all of them. The arm follows the
ros2_control convention (`<controller>/joint_trajectory`), so RosRobot drives a stock
joint_trajectory_controller too; everything else codebot adds is optional for real hardware.
"""
from __future__ import annotations

JOINT_STATES = "joint_states"                      # sensor_msgs/JointState
DEFAULT_CONTROLLER = "arm_controller"


def trajectory_topic(controller: str = DEFAULT_CONTROLLER) -> str:
    return f"{controller}/joint_trajectory"        # trajectory_msgs/JointTrajectory


def follow_joint_trajectory_action(controller: str = DEFAULT_CONTROLLER) -> str:
    return f"{controller}/follow_joint_trajectory"  # control_msgs/action/FollowJointTrajectory


def commanded_trajectory_topic(controller: str = DEFAULT_CONTROLLER) -> str:
    # trajectory_msgs/JointTrajectory: a copy of each FollowJointTrajectory goal's trajectory as RosRobot sends it
    # (control "action"), for bags: the action's own goal request is a service call no topic recorder sees
    return f"{controller}/commanded_trajectory"


def controller_state_topic(controller: str = DEFAULT_CONTROLLER) -> str:
    return f"{controller}/execution_state"         # std_msgs/String JSON {state, goal, error}


GRIPPER_COMMAND = "gripper_controller/command"     # std_msgs/Bool: True closes, False opens
GRIPPER_SET = "gripper_controller/set_closed"      # std_srvs/SetBool: success = object held after closing
GRIPPER_GRASPING = "gripper_controller/grasping"   # std_msgs/Bool, published with joint_states
GRIPPER_ACTION = "gripper_controller/gripper_cmd"  # control_msgs/action/GripperCommand (ros2_controllers' name)
GRIPPER_COMMANDED = "gripper_controller/commanded_position"  # std_msgs/Float64: each GripperCommand goal's position
ESTOP = "estop"                                    # std_msgs/Bool: True halts and latches, False releases
OBJECTS = "objects"                                # std_msgs/String JSON list of ObjectInfo (kept one release)
PERCEIVED_OBJECTS = "perceived_objects"            # codebot_interfaces/PerceivedObjectArray: the typed OBJECTS
OBJECT_POSES = "object_poses"                      # geometry_msgs/PoseArray, same order as OBJECTS
RESET = "reset"                                    # std_srvs/Trigger (on the sim robot only)


def camera_topics(name: str) -> dict[str, str]:
    return {"rgb": f"camera/{name}/image_raw", "depth": f"camera/{name}/depth/image_raw",
            "info": f"camera/{name}/camera_info",
            "pose": f"camera/{name}/pose"}  # geometry_msgs/PoseStamped, latched: OpenCV optical frame -> world


# codebot_node
COMMAND = "command"                                # std_msgs/String: instruction or {"id", "instruction"} JSON
ACK = "ack"                                        # std_msgs/String JSON: {id, state, position|reason}
RUN_SERVICE = "run"                                # codebot.ros: std_srvs/Trigger-like via RunCommand
CODE = "code"                                      # std_msgs/String: generated program
STATUS = "status"                                  # std_msgs/String JSON: phase updates
VERDICT = "verdict"                                # std_msgs/String JSON: gate + dispatch verdict
INSTRUCTION_PARAM_SERVICE = "run_instruction"      # std_srvs/Trigger reading the `instruction` param


def qos_reliable(depth: int = 10):
    from rclpy.qos import QoSProfile, ReliabilityPolicy

    return QoSProfile(depth=depth, reliability=ReliabilityPolicy.RELIABLE)


def qos_latched(depth: int = 1):
    """Transient-local: a late subscriber still gets the last message (objects, code, verdict)."""
    from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy

    return QoSProfile(depth=depth, reliability=ReliabilityPolicy.RELIABLE,
                      durability=DurabilityPolicy.TRANSIENT_LOCAL)


def qos_sensor(depth: int = 5):
    from rclpy.qos import QoSProfile, ReliabilityPolicy

    return QoSProfile(depth=depth, reliability=ReliabilityPolicy.BEST_EFFORT)
