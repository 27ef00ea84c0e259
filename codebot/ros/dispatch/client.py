"""CommandClient: send commands to a codebot_node by id and get exactly that command's answers.

    client = CommandClient(node, "/codebot")        # any rclpy node that is being spun
    ack = client.send("put the red block in the blue bowl")   # {"id", "state", "position"|"reason"}
    verdict = client.wait_verdict(ack["id"], timeout=300)

send() picks an id, publishes {"id", "instruction"} and repeats the same message until the node's ack
for that id arrives (a command published before discovery completes is not lost; the node answers a
repeated id with its first answer and never runs it twice).
"""
from __future__ import annotations

import json
import threading
import time
import uuid

from codebot.ros.plumbing import topics
from codebot.ros.plumbing.env import wait_until


class CommandClient:
    def __init__(self, node, namespace: str = "/codebot", verdicts: bool = True):
        from rcl_interfaces.srv import GetParameters
        from std_msgs.msg import String

        ns = namespace.rstrip("/")
        self._String = String
        self._lock = threading.Lock()
        self.acks: dict[str, dict] = {}
        self.verdicts: dict[str, dict] = {}
        self.ack_times: dict[str, float] = {}  # monotonic arrival of each id's first ack
        self.pub = node.create_publisher(String, f"{ns}/{topics.COMMAND}", topics.qos_reliable(1000))
        node.create_subscription(String, f"{ns}/{topics.ACK}", self._on_ack, topics.qos_latched(100))
        if verdicts:  # off: a client that only needs acks is not slowed by everyone's verdicts
            node.create_subscription(String, f"{ns}/{topics.VERDICT}", self._on_verdict, topics.qos_latched(100))
        self.waiter = node.create_client(GetParameters, f"{ns}/wait_verdict_by_id")

    def _on_ack(self, msg) -> None:
        ack = json.loads(msg.data)
        with self._lock:
            if ack.get("id") not in self.acks:
                self.acks[ack.get("id")] = ack
                self.ack_times[ack.get("id")] = time.monotonic()

    def _on_verdict(self, msg) -> None:
        verdict = json.loads(msg.data)
        with self._lock:
            self.verdicts.setdefault(verdict.get("id"), verdict)

    def connected(self, timeout: float = 10.0) -> bool:
        return bool(wait_until(lambda: self.pub.get_subscription_count() > 0, timeout))

    def publish(self, instruction: str, command_id: str | None = None) -> str:
        """Publish once, without waiting; returns the id."""
        command_id = command_id or f"c-{uuid.uuid4().hex[:12]}"
        self.pub.publish(self._String(data=json.dumps({"id": command_id, "instruction": instruction})))
        return command_id

    def send(self, instruction: str, command_id: str | None = None, timeout: float = 10.0,
             resend_every: float = 1.0) -> dict | None:
        """Publish until acknowledged; the ack, or None after `timeout`."""
        command_id = self.publish(instruction, command_id)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ack = wait_until(lambda: self.acks.get(command_id), min(resend_every, deadline - time.monotonic()))
            if ack:
                return ack
            self.publish(instruction, command_id)
        return self.acks.get(command_id)

    def wait_verdict(self, command_id: str, timeout: float = 300.0) -> dict | None:
        """That command's verdict (from the latched topic or the keyed service), None after timeout."""
        from rcl_interfaces.srv import GetParameters

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if command_id in self.verdicts:
                return self.verdicts[command_id]
            if not self.waiter.wait_for_service(timeout_sec=min(1.0, max(0.01, deadline - time.monotonic()))):
                continue
            fut = self.waiter.call_async(GetParameters.Request(names=[command_id]))
            if wait_until(fut.done, max(0.1, min(30.0, deadline - time.monotonic()))) and fut.result().values:
                answer = json.loads(fut.result().values[0].string_value)
                if not answer.get("pending") and answer.get("state") != "unknown":
                    return answer
            time.sleep(0.1)  # pending (the node may answer at once when busy) or unknown yet
        return self.verdicts.get(command_id)
