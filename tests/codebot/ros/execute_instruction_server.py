"""A stand-in ExecuteInstruction action server for test_interfaces.py, run as its own process: it goes through
the feedback phases and answers with a typed result, with nothing of codebot's pipeline behind it (the real server
comes with issue 29). Instructions it understands:

- "hold until canceled": reports PHASE_EXECUTING every 50 ms until the client cancels, then ends CANCELED;
- anything else: one feedback per phase in order, then success with the instruction echoed in the program.

Feedback is a volatile topic: a client should start with the held goal, whose repeated feedback shows that the
server's feedback writer has matched its reader. Prints "ready" once the server exists; exits cleanly on
SIGINT/SIGTERM.
"""
from __future__ import annotations

import signal
import sys
import threading

ACTION = "/codebot/execute_instruction"


def main() -> int:
    from rclpy.action import ActionServer, CancelResponse, GoalResponse
    from rclpy.callback_groups import ReentrantCallbackGroup
    from rclpy.node import Node

    from codebot_interfaces.action import ExecuteInstruction
    from codebot.ros.plumbing.env import NodeRunner

    Fb, Res = ExecuteInstruction.Feedback, ExecuteInstruction.Result
    phases = [Fb.PHASE_GENERATING, Fb.PHASE_SIMULATING, Fb.PHASE_CHECKING, Fb.PHASE_GATED, Fb.PHASE_DISPATCHING,
              Fb.PHASE_EXECUTING]
    stop = threading.Event()

    class Server(Node):
        def __init__(self, context):
            super().__init__("execute_instruction_stand_in", context=context)
            self.server = ActionServer(self, ExecuteInstruction, ACTION, execute_callback=self.execute,
                                       goal_callback=lambda _goal: GoalResponse.ACCEPT,
                                       cancel_callback=lambda _handle: CancelResponse.ACCEPT,
                                       callback_group=ReentrantCallbackGroup())

        def execute(self, handle):
            goal = handle.request
            if goal.instruction == "hold until canceled":
                while not handle.is_cancel_requested and not stop.is_set():
                    handle.publish_feedback(Fb(phase=Fb.PHASE_EXECUTING, attempt=1, program="hold()", progress=0.5))
                    stop.wait(0.05)
                handle.canceled()
                return Res(success=False, error_code=Res.CANCELED, error_message="canceled by the client",
                           program="hold()")
            for i, phase in enumerate(phases):
                handle.publish_feedback(Fb(phase=phase, attempt=1, program=f"# {goal.instruction}",
                                           check="stand-in check", progress=(i + 1) / len(phases)))
            handle.succeed()
            return Res(success=True, verdict_source="stand_in", verdict="stand-in verdict",
                       program=f"# {goal.instruction}", trace_id=f"robot={goal.robot} attempts={goal.attempts}",
                       bag_path="", error_code=Res.NONE)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    runner = NodeRunner(Server)
    print("ready", flush=True)
    try:
        while not stop.wait(0.2):
            pass
    finally:
        runner.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
