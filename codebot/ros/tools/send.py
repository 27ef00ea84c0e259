"""codebot ros send "put the red block in the blue bowl": an ExecuteInstruction action client for codebot_node.

Prints one line per feedback phase and then the result (success, error code, verdict, trace id, rosbag);
exits 0 on success, 1 when the goal failed, 2 when no server answered or the arguments are wrong, 124 after
--timeout (the goal is canceled first) and 130 on Ctrl-C (the goal is canceled, its canceled result printed).
Feedback is best effort (a phase published before this client's reader matched is lost); the result is the
record.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
import time

CANCEL_WAIT_S = 30.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="codebot ros send", description=__doc__.split("\n")[0])
    ap.add_argument("instruction", help="what to do, in plain words")
    ap.add_argument("--namespace", default="/codebot", help="codebot_node's namespace (default /codebot)")
    ap.add_argument("--robot", default="", help="robot namespace; empty: the node's robot_namespace")
    ap.add_argument("--attempts", type=int, default=0,
                    help="write/simulate/check attempts for this goal, 1-10; 0 (default): the node's parameter")
    ap.add_argument("--force", action="store_true", help="dispatch even if the simulation check fails")
    ap.add_argument("--dry-run", action="store_true", help="stop after the simulation check")
    ap.add_argument("--timeout", type=float, default=900.0, help="cancel the goal after this many s (default 900)")
    ap.add_argument("--server-wait", type=float, default=30.0, help="s to wait for the action server (default 30)")
    return ap.parse_args(argv)


def code_name(code: int) -> str:
    from codebot_interfaces.action import ExecuteInstruction

    names = {getattr(ExecuteInstruction.Result, n): n for n in dir(ExecuteInstruction.Result)
             if n.isupper() and isinstance(getattr(ExecuteInstruction.Result, n), int)}
    return names.get(code, str(code))


def print_result(result, status_name: str) -> None:
    print(f"result: {'success' if result.success else 'failed'} ({status_name}) "
          f"error_code={code_name(result.error_code)} {result.error_message}", flush=True)
    print(f"verdict: [{result.verdict_source or 'none'}] {result.verdict}", flush=True)
    print(f"trace_id: {result.trace_id}", flush=True)
    print(f"bag_path: {result.bag_path}", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    from codebot.ros.plumbing.env import NodeRunner, rclpy

    rclpy()
    from action_msgs.msg import GoalStatus
    from rclpy.action import ActionClient
    from rclpy.node import Node

    from codebot_interfaces.action import ExecuteInstruction

    interrupted = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: interrupted.set())
    signal.signal(signal.SIGTERM, lambda *_: interrupted.set())
    name = args.namespace.rstrip("/") + "/execute_instruction"
    runner = NodeRunner(lambda ctx: Node(f"codebot_send_{time.monotonic_ns() % 10**8}", context=ctx))
    client = ActionClient(runner.node, ExecuteInstruction, name)
    statuses = {v: k[len("STATUS_"):].lower() for k, v in vars(GoalStatus).items() if k.startswith("STATUS_")}

    def wait(cond, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    try:
        if not wait(lambda: client.server_is_ready() or interrupted.is_set(), args.server_wait) \
                or interrupted.is_set():
            print(f"error: no ExecuteInstruction server on {name} within {args.server_wait:g} s "
                  "(is codebot_node running under that namespace, on this ROS_DOMAIN_ID?)", file=sys.stderr)
            return 130 if interrupted.is_set() else 2
        last = [""]

        def on_feedback(msg) -> None:
            fb = msg.feedback
            if fb.phase != last[0]:
                last[0] = fb.phase
                print(f"phase: {fb.phase} attempt={fb.attempt} progress={fb.progress:.2f}", flush=True)

        goal = ExecuteInstruction.Goal(instruction=args.instruction, robot=args.robot, force=args.force,
                                       dry_run=args.dry_run, attempts=args.attempts)
        sent = client.send_goal_async(goal, feedback_callback=on_feedback)
        if not wait(sent.done, args.server_wait) or not sent.result().accepted:
            print(f"error: the goal was not accepted by {name}", file=sys.stderr)
            return 2
        handle = sent.result()
        print(f"goal: {bytes(handle.goal_id.uuid).hex()} on {name}", flush=True)
        result_future = handle.get_result_async()
        finished = wait(lambda: result_future.done() or interrupted.is_set(), args.timeout)
        if not result_future.done():
            why = "interrupted" if interrupted.is_set() else f"no result within --timeout {args.timeout:g} s"
            print(f"{why}: canceling the goal", flush=True)
            handle.cancel_goal_async()
            if not wait(result_future.done, CANCEL_WAIT_S):
                print(f"error: no result {CANCEL_WAIT_S:g} s after the cancel", file=sys.stderr)
                return 130 if interrupted.is_set() else 124
        wrapped = result_future.result()
        print_result(wrapped.result, statuses.get(wrapped.status, str(wrapped.status)))
        if not finished or interrupted.is_set():
            return 130 if interrupted.is_set() else 124
        return 0 if wrapped.result.success else 1
    finally:
        client.destroy()
        runner.close()


if __name__ == "__main__":
    sys.exit(main())
