"""A separate-process camera for the ROS 2 tests: publishes a fixed rgb8 image (and a 32FC1 depth image
and CameraInfo) at 10 Hz until terminated. argv: topic width height."""
from __future__ import annotations

import signal
import sys
import threading

import numpy as np


def main() -> int:
    topic, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    import rclpy
    from rclpy.executors import MultiThreadedExecutor
    from sensor_msgs.msg import CameraInfo, Image

    from codebot.ros.plumbing.convert import image_to_msg

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    context = rclpy.context.Context()
    rclpy.init(context=context)
    node = rclpy.create_node("test_camera", context=context)
    rgb_pub = node.create_publisher(Image, topic, 10)
    depth_pub = node.create_publisher(Image, topic + "_depth", 10)
    info_pub = node.create_publisher(CameraInfo, topic + "_info", 10)
    rgb = np.zeros((height, width, 3), np.uint8)
    rgb[:, : width // 2] = (255, 0, 0)  # left half red, right half blue: orientation is checkable
    rgb[:, width // 2:] = (0, 0, 255)
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    depth = np.full((height, width), 0.95, np.float32)
    info = CameraInfo(width=width, height=height)
    f = height / 2 / np.tan(np.radians(22.5))
    info.k = [f, 0.0, (width - 1) / 2, 0.0, f, (height - 1) / 2, 0.0, 0.0, 1.0]
    executor = MultiThreadedExecutor(num_threads=1, context=context)
    executor.add_node(node)
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    print("publishing", flush=True)
    while not stop.wait(0.1):
        rgb_pub.publish(image_to_msg(bgr, "bgr8", "camera"))
        depth_pub.publish(image_to_msg(depth, "32FC1", "camera"))
        info_pub.publish(info)
    executor.shutdown(timeout_sec=2.0)
    node.destroy_node()
    rclpy.shutdown(context=context)
    spinner.join(timeout=5.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
