"""codebot's Fast DDS profiles (launch/config/fastdds_profiles.xml): loaded by every codebot ROS process unless
the user names a profiles file, and what they set."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from codebot.ros.plumbing import env


def test_services_wait_seconds_for_a_new_clients_reply_reader():
    ns = {"d": "http://www.eprosima.com/XMLSchemas/fastRTPS_Profiles"}
    root = ET.parse(env.fastdds_profiles()).getroot()
    service = root.find("d:profiles/d:publisher[@profile_name='service']", ns)
    assert service is not None, "rmw_fastrtps reads a service's reply writer QoS from the 'service' profile"
    assert int(service.find("d:qos/d:reliability/d:max_blocking_time/d:sec", ns).text) >= 5


def test_the_profiles_are_used_unless_the_user_named_a_file(monkeypatch):
    for var in ("FASTDDS_DEFAULT_PROFILES_FILE", "FASTRTPS_DEFAULT_PROFILES_FILE"):
        monkeypatch.delenv(var, raising=False)
    env.use_codebot_fastdds_profiles()
    assert env.os.environ["FASTDDS_DEFAULT_PROFILES_FILE"] == str(env.fastdds_profiles())
    monkeypatch.setenv("FASTDDS_DEFAULT_PROFILES_FILE", "/etc/my_profiles.xml")
    env.use_codebot_fastdds_profiles()
    assert env.os.environ["FASTDDS_DEFAULT_PROFILES_FILE"] == "/etc/my_profiles.xml"
    monkeypatch.delenv("FASTDDS_DEFAULT_PROFILES_FILE")
    monkeypatch.setenv("FASTRTPS_DEFAULT_PROFILES_FILE", "/etc/old_name.xml")
    env.use_codebot_fastdds_profiles()
    assert "FASTDDS_DEFAULT_PROFILES_FILE" not in env.os.environ
