"""The vision target on a ROS 2 image topic: a camera in another process publishes over real DDS; the
target's subscriber turns the messages into frames (bgr8 -> rgb, 32FC1 depth, CameraInfo K) and a
perception program runs on them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from waits import wait_until

pytest.importorskip("rclpy")
pytestmark = pytest.mark.ros

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]


@pytest.fixture
def domain(monkeypatch):
    from ros_domains import private_domain

    with private_domain(monkeypatch) as dom:
        yield dom


@pytest.fixture
def camera(domain, tmp_path):
    log = open(tmp_path / "camera.log", "w")
    proc = subprocess.Popen([sys.executable, str(HERE / "image_publisher.py"), "/cam/image_raw", "80", "60"],
                            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ),
                            start_new_session=True)
    yield proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def test_image_messages_round_trip_with_row_padding():
    from codebot.ros.plumbing.convert import image_to_msg, msg_to_image, to_depth_m, to_rgb

    rgb = np.arange(5 * 7 * 3, dtype=np.uint8).reshape(5, 7, 3)
    msg = image_to_msg(rgb, "rgb8")
    assert np.array_equal(msg_to_image(msg), rgb)
    padded = image_to_msg(rgb[:, :, ::-1], "bgr8")
    padded.step = 7 * 3 + 3  # rows padded to 24 bytes
    padded.data = b"".join(bytes(row.tobytes()) + b"\0\0\0" for row in np.ascontiguousarray(rgb[:, :, ::-1]))
    assert np.array_equal(to_rgb(msg_to_image(padded), "bgr8"), rgb)
    mm = image_to_msg(np.array([[0, 1500]], np.uint16), "16UC1")
    depth = to_depth_m(msg_to_image(mm), "16UC1")
    assert np.isnan(depth[0, 0]) and depth[0, 1] == pytest.approx(1.5)


def test_malformed_image_messages_are_refused():
    from codebot.ros.plumbing.convert import image_to_msg, msg_to_image
    from codebot.primitives.errors import InvalidArgumentError

    msg = image_to_msg(np.zeros((4, 4, 3), np.uint8), "rgb8")
    msg.data = msg.data[:10]
    with pytest.raises(InvalidArgumentError, match="shorter"):
        msg_to_image(msg)
    msg.encoding = "yuv422"
    with pytest.raises(InvalidArgumentError, match="unsupported"):
        msg_to_image(msg)


@pytest.mark.slow
def test_vision_target_reads_a_topic_from_another_process(camera, domain, tiny_models, tmp_path):
    from codebot.vision.primitives import detect, image_size
    from codebot.vision.target import VisionTarget
    from codebot.primitives import context

    t = VisionTarget({"topic": "/cam/image_raw", "depth_topic": "/cam/image_raw_depth",
                      "camera_info_topic": "/cam/image_raw_info", "domain_id": domain, "timeout_s": 60,
                      "models": {"detector": tiny_models["detector"]}, "threshold": 0.0,
                      "output_dir": str(tmp_path)})
    try:
        def with_depth():  # depth and CameraInfo may trail the first colour image
            frame = t.backend() and t.service.frame()
            return frame if np.isfinite(frame.depth).all() else None

        frame = wait_until(with_depth, 60, "the target never had a frame with depth from /cam/image_raw_depth",
                           interval=0.1)
        assert frame.rgb.shape == (60, 80, 3)
        assert tuple(frame.rgb[0, 0]) == (255, 0, 0) and tuple(frame.rgb[0, -1]) == (0, 0, 255)  # bgr8 -> rgb
        assert np.allclose(frame.depth, 0.95)
        assert frame.intrinsics[0, 0] == pytest.approx(30 / np.tan(np.radians(22.5)))
        context.bind(t._backend)
        assert image_size() == (80, 60)
        found = detect("red block")
        assert found and all(abs(d.position[2] - 0.025) < 0.01 for d in found)  # depth 0.95 -> 5 cm tall
        assert t.observe() is not None
        assert Path(t.artifacts()["annotated_image"]).name == "topic_annotated.png"
        assert t.artifacts()["topic"] == "/cam/image_raw"
    finally:
        context.bind(None)
        t.close()


def test_a_silent_topic_fails_with_a_clear_error(domain, tiny_models):
    from codebot.vision.errors import ImageSourceError
    from codebot.vision.target import VisionTarget

    with pytest.raises(ImageSourceError, match="no image on ROS 2 topic '/nobody'"):
        VisionTarget({"topic": "/nobody", "domain_id": domain, "timeout_s": 1.0,
                      "models": {"detector": tiny_models["detector"]}})


@pytest.mark.slow
def test_perception_program_on_a_topic_in_the_sandbox_worker(camera, domain, tiny_models, tmp_path):
    from codebot.sandbox.pool import WorkerPool

    config = {"topic": "/cam/image_raw", "domain_id": domain, "timeout_s": 60, "threshold": 0.0,
              "models": {"detector": tiny_models["detector"]}, "annotated_path": str(tmp_path / "topic.png")}
    with WorkerPool("vision", config, size=1) as pool:
        out = pool.run("w, h = image_size()\nresult = {'size': [w, h], 'n': len(detect('red block'))}\n",
                       timeout_s=60)
        assert out.ok, (out.error, out.worker_log_tail)
        assert out.result["size"] == [80, 60] and out.result["n"] > 0
        assert (tmp_path / "topic.png").stat().st_size > 0
