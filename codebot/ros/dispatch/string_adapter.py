"""The `command` topic (std_msgs/String), kept for one release as an adapter over the ExecuteInstruction action.

A String command is read exactly (its CDR, so an embedded NUL is seen), parsed (codebot.ros.dispatch.commands:
the instruction, or JSON with an "id" and the goal's fields), turned into an ExecuteInstruction goal and admitted
by the action server (ExecuteInstructionServer.admit): the same validation, queue, trace record and run as a goal
sent over the action. What stays the adapter's own is what the String interface promised its clients: an `ack` at
once (published by admit), a repeated id answered with its first ack and never run twice, and the verdict JSON on
`verdict` and from `wait_verdict_by_id` (the action's result is made from the same verdict).

The goal is admitted in-process rather than sent over DDS by an action client of this node's own server: a String
command gets its ack in one callback, and a flood of commands costs no goal round trips (the acks of
tests/codebot/ros/test_faults.py's flood), while what is checked and run is the action's path.
"""
from __future__ import annotations

import json
import time
import uuid

from codebot.ros.dispatch.commands import Command, CommandRejected, decode_string_cdr, parse_command
from codebot.ros.plumbing import topics


class StringCommandAdapter:
    def __init__(self, node, server):
        from std_msgs.msg import String

        self.node, self.server, self._String = node, server, String
        # raw: the exact CDR text, so an embedded NUL is seen (rclpy would cut the string there)
        node.intake.node.create_subscription(String, topics.COMMAND, self.on_command, topics.qos_reliable(1000),
                                             raw=True)

    def on_command(self, raw: bytes) -> None:
        node, t_recv = self.node, time.time()
        try:
            cmd = parse_command(decode_string_cdr(raw), int(node.p["max_command_bytes"]))
        except CommandRejected as exc:
            cmd = Command(id=exc.command_id or f"rejected-{uuid.uuid4().hex[:8]}", instruction="")
            node._answer(cmd, "rejected", -1, exc.reason, t_recv)
            return
        earlier = node.book.ack_of(cmd.id)
        if earlier is not None:  # a client repeating itself: the same answer, never a second run
            node.pub_ack.publish(self._String(data=json.dumps({**earlier, "duplicate": True, "t": t_recv})))
            return
        try:
            goal = self.server.goal_of(cmd)
        except (AssertionError, TypeError, ValueError) as exc:  # a field the message type refuses: answered too
            node._answer(cmd, "rejected", -1, f"not an ExecuteInstruction goal: {str(exc)[:200]}", t_recv)
            return
        self.server.admit(cmd, goal, t_recv)
