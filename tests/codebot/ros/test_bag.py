"""Topics recorded to an mcap rosbag2 from real DDS traffic read back as the same messages."""
import pytest

pytest.importorskip("rclpy")
pytest.importorskip("rosbags")

from codebot.ros.plumbing import convert
from codebot.ros.recording.bag import BagRecorder, read_bag
from codebot.ros.plumbing.env import wait_until

pytestmark = pytest.mark.ros


def test_recorder_writes_mcap_that_reads_back(client, tmp_path):
    from sensor_msgs.msg import JointState
    from std_msgs.msg import String

    pub_js = client.create_publisher(JointState, "/robot/joint_states", 10)
    pub_s = client.create_publisher(String, "status", 10)
    rec = BagRecorder(client, tmp_path / "bag", {"/robot/joint_states": JointState, "status": String}).start()
    assert wait_until(lambda: pub_js.get_subscription_count() > 0 and pub_s.get_subscription_count() > 0, 60)
    for i in range(5):
        pub_js.publish(convert.joint_state_msg(["a", "b"], [i, -i]))
        pub_s.publish(String(data=f"s{i}"))
    assert wait_until(lambda: rec.count >= 10, 30), f"the recorder got only {rec.count} of 10 messages"
    path = rec.stop()
    assert list(path.glob("*.mcap")) and (path / "metadata.yaml").exists()
    msgs = read_bag(path)
    js = [m for t, _, m in msgs if t == "/robot/joint_states"]
    assert [list(m.position) for m in js] == [[float(i), float(-i)] for i in range(5)]
    assert [m.data for t, _, m in msgs if t == "/status"] == [f"s{i}" for i in range(5)]


def _cdr_string(text: str) -> bytes:
    import struct

    data = text.encode() + b"\x00"
    return b"\x00\x01\x00\x00" + struct.pack("<I", len(data)) + data


def test_a_journal_cut_by_a_crash_becomes_a_bag_rosbags_opens(tmp_path):
    from rosbags.rosbag2 import Reader

    from codebot.ros.recording.bag_journal import JournalWriter, journal_path, recover_bags

    bag = tmp_path / "bags" / "dispatch-1"
    journal = JournalWriter(journal_path(bag), [("/codebot/status", "std_msgs/msg/String")])
    for i in range(20):
        journal.write("/codebot/status", 1_000 + i, _cdr_string(f"s{i}"))
    journal.write("/codebot/status", 2_000, _cdr_string("cut"))
    with open(journal.path, "r+b") as fh:  # the crash: the last record only half written
        fh.truncate(journal.path.stat().st_size - 3)
    assert recover_bags(tmp_path / "bags") == [bag]
    assert not journal_path(bag).exists()
    with Reader(bag) as reader:
        assert reader.message_count == 20
        assert [c.topic for c in reader.connections] == ["/codebot/status"]
    assert [m.data for _, _, m in read_bag(bag)] == [f"s{i}" for i in range(20)]


def test_a_bag_left_open_by_a_killed_writer_is_salvaged(tmp_path):
    from rosbags.rosbag2 import Reader, StoragePlugin, Writer
    from rosbags.typesys import Stores, get_typestore

    from codebot.ros.recording.bag_journal import recover_bags

    bag = tmp_path / "bags" / "old-crash"
    bag.parent.mkdir()
    writer = Writer(bag, version=9, storage_plugin=StoragePlugin.MCAP)
    writer.open()
    conn = writer.add_connection("/robot/objects", "std_msgs/msg/String", typestore=get_typestore(Stores.ROS2_KILTED))
    for i in range(3000):  # > 1 MiB: one chunk reached the file before the "crash"
        writer.write(conn, i, _cdr_string("x" * 400))
    writer.storage.bio.flush()  # no close(): what a SIGKILL leaves (no footer, no metadata.yaml)
    assert not (bag / "metadata.yaml").exists()
    assert recover_bags(tmp_path / "bags") == [bag]
    with Reader(bag) as reader:
        assert 0 < reader.message_count <= 3000
        assert {c.topic for c in reader.connections} == {"/robot/objects"}
