"""Topics recorded to an mcap rosbag2 from real DDS traffic read back as the same messages."""
import pytest

pytest.importorskip("rclpy")
pytest.importorskip("rosbags")

from codebot.ros import convert  # noqa: E402
from codebot.ros.bag import BagRecorder, read_bag  # noqa: E402
from codebot.ros.env import wait_until  # noqa: E402

pytestmark = pytest.mark.ros


def test_recorder_writes_mcap_that_reads_back(client, tmp_path):
    from sensor_msgs.msg import JointState
    from std_msgs.msg import String

    pub_js = client.create_publisher(JointState, "/robot/joint_states", 10)
    pub_s = client.create_publisher(String, "status", 10)
    rec = BagRecorder(client, tmp_path / "bag", {"/robot/joint_states": JointState, "status": String}).start()
    assert wait_until(lambda: pub_js.get_subscription_count() > 0 and pub_s.get_subscription_count() > 0, 10)
    for i in range(5):
        pub_js.publish(convert.joint_state_msg(["a", "b"], [i, -i]))
        pub_s.publish(String(data=f"s{i}"))
    assert wait_until(lambda: rec.count >= 10, 5)
    path = rec.stop()
    assert list(path.glob("*.mcap")) and (path / "metadata.yaml").exists()
    msgs = read_bag(path)
    js = [m for t, _, m in msgs if t == "/robot/joint_states"]
    assert [list(m.position) for m in js] == [[float(i), float(-i)] for i in range(5)]
    assert [m.data for t, _, m in msgs if t == "/status"] == [f"s{i}" for i in range(5)]
