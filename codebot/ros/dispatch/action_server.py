"""codebot_node's ExecuteInstruction action server (`execute_instruction`, relative: /codebot/execute_instruction
under `-r __ns:=/codebot`). One more way in to the command path of the `command` topic: a goal is validated with
parse_command, acknowledged and recorded by CodebotNode._answer, queued with CommandQueue.offer and run by the
node's worker; its verdict (VerdictBook) becomes the typed result (codebot.ros.dispatch.results). The goal's UUID
in hex is the command id.

Feedback: the node's status phases (started -> generating, verifying -> simulating (the agent's whole
generate/simulate/check loop, per-turn phases are not reported yet), gate -> gated, dispatching -> dispatching),
only forward, and the current phase is repeated every ~0.5 s while a goal runs (feedback published before a new
client's reader has matched is lost). Cancel: a queued goal leaves the queue; a verifying one ends after its twin
run with nothing dispatched; a dispatching one is halted with the ros2_control convention (an empty
JointTrajectory on the robot's controller topic, repeated until the program has ended).

Served on a side node with its own executor threads: a goal's execute callback waits for its verdict, and must
not take the main node's threads (commands, e-stop, verdict services)."""
from __future__ import annotations

import json
import threading
import time
import uuid

from codebot.ros.dispatch.commands import Command, CommandRejected, parse_command
from codebot.ros.dispatch.results import result_of
from codebot.ros.plumbing import topics
from codebot.ros.plumbing.env import SideNode, rclpy

PHASES = ("generating", "simulating", "checking", "gated", "dispatching", "executing")
STATUS_PHASES = {"started": ("generating", 0.05), "verifying": ("simulating", 0.2), "gate": ("gated", 0.6),
                 "dispatching": ("dispatching", 0.7)}
REPEAT_S = 0.5     # the current phase again after this long without a change
HALT_EVERY_S = 0.2  # a canceled dispatch: the empty trajectory again (a program may send its next motion)
SLICE_S = 0.1


class _GoalState:
    """The phases a goal has reached (forward only); every one is reported, the latest one repeated."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phase = -1  # index in PHASES
        self.fields: dict = {}
        self.new: list[dict] = []  # reached and not yet published

    def advance(self, phase: str, progress: float, extra: dict) -> None:
        with self.lock:
            index = PHASES.index(phase)
            if index < self.phase:
                return  # phases only go forward
            self.phase = index
            self.fields["progress"] = progress
            if extra.get("program"):
                self.fields["program"] = str(extra["program"])
            if extra.get("turns"):
                self.fields["attempt"] = int(extra["turns"])
            self.new.append({"phase": phase, **self.fields})

    def take(self) -> tuple[list[dict], dict | None]:
        """(phases reached since the last call, the current one)."""
        with self.lock:
            new, self.new = self.new, []
            return new, ({"phase": PHASES[self.phase], **self.fields} if self.phase >= 0 else None)


class ExecuteInstructionServer:
    def __init__(self, node):
        rclpy()
        from rclpy.action import ActionServer, CancelResponse, GoalResponse
        from rclpy.callback_groups import ReentrantCallbackGroup
        from trajectory_msgs.msg import JointTrajectory

        from codebot_interfaces.action import ExecuteInstruction

        self.node, self.Action = node, ExecuteInstruction
        self.max_goals = int(node.p["queue_depth"]) + 1  # one running, queue_depth waiting
        self._slots = threading.BoundedSemaphore(self.max_goals)
        self._goals: dict[str, _GoalState] = {}
        self._closed = False
        # its own executor threads: goals waiting for their verdicts never take the main node's
        self._spinner = SideNode(node.context, "codebot_actions", node.get_namespace(), threads=self.max_goals + 2)
        self.side = self._spinner.node
        self._halt_pub = self.side.create_publisher(
            JointTrajectory, node.robot_topic(topics.trajectory_topic(node.p["controller"])), topics.qos_reliable(10))
        self._JointTrajectory = JointTrajectory
        self.server = ActionServer(self.side, ExecuteInstruction, "execute_instruction",
                                   execute_callback=self._execute,
                                   goal_callback=lambda _goal: GoalResponse.ACCEPT,  # a REJECT carries no reason
                                   cancel_callback=lambda _handle: CancelResponse.ACCEPT,
                                   callback_group=ReentrantCallbackGroup())
        node.status_listeners.append(self._on_status)
        self.name = self.side.resolve_topic_name("execute_instruction")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._spinner.close(self.server)

    # --- feedback ---------------------------------------------------------------------------------
    def _on_status(self, phase: str, extra: dict) -> None:
        if phase not in STATUS_PHASES:
            return
        running = self.node._running
        command_id = extra.get("id") or (running["cmd"].id if running else "")
        state = self._goals.get(command_id)
        try:
            if state is not None:
                state.advance(*STATUS_PHASES[phase], extra)
        except Exception as exc:  # runs on the command worker: feedback must never break a command
            self.side.get_logger().error(f"feedback for {command_id} failed: {type(exc).__name__}: {exc}")

    # --- one goal ---------------------------------------------------------------------------------
    def _execute(self, handle):
        command_id = goal_id_hex(handle.goal_id)
        if self._closed or not self._slots.acquire(blocking=False):
            return self._end(handle, {"id": command_id, "outcome": "rejected", "dispatched": False,
                                      "error": f"{self.max_goals} goals in progress on this node (queue_depth="
                                               f"{self.node.p['queue_depth']}); try again later"})
        try:
            return self._run(handle, command_id)
        except Exception as exc:  # the goal gets an answer whatever broke
            self.side.get_logger().error(f"goal {command_id} failed: {type(exc).__name__}: {exc}")
            return self._end(handle, {"id": command_id, "outcome": "error", "error": f"{type(exc).__name__}: {exc}"})
        finally:
            self._goals.pop(command_id, None)
            self._slots.release()

    def _invalid(self, goal) -> str:
        p = self.node.p
        mine = "/" + p["robot_namespace"].strip("/")
        if goal.robot.strip() and "/" + goal.robot.strip().strip("/") != mine:
            return f"robot {goal.robot!r} is not this node's robot_namespace {p['robot_namespace']!r}"
        if goal.attempts < 0 or (goal.attempts and goal.attempts != int(p["attempts"])):
            return (f"per-goal attempts ({goal.attempts}) is not supported yet: set the node parameter attempts "
                    f"(now {p['attempts']}) or leave attempts 0")
        return ""

    def _run(self, handle, command_id: str):
        node, goal, t_recv = self.node, handle.request, time.time()
        text = json.dumps({"id": command_id, "instruction": goal.instruction}, ensure_ascii=False)
        try:
            cmd = parse_command(text, int(node.p["max_command_bytes"]))
            problem = self._invalid(goal)
        except CommandRejected as exc:
            cmd, problem = Command(id=command_id, instruction=""), exc.reason
        if problem:
            node._answer(cmd, "rejected", -1, problem, t_recv)
            return self._end(handle, self._verdict(command_id, 10.0) or {
                "id": command_id, "outcome": "rejected", "dispatched": False, "error": problem})
        cmd.options = {k: True for k in ("force", "dry_run") if getattr(goal, k)}
        state = self._goals[command_id] = _GoalState()
        answer = node.queue.offer(cmd)
        node._answer(cmd, *answer, t_recv)
        if answer[0] == "rejected":
            return self._end(handle, self._verdict(command_id, 10.0) or {
                "id": command_id, "outcome": "rejected", "dispatched": False, "error": answer[2]})
        canceled, halting, last_fb, last_halt = "", False, 0.0, 0.0
        while True:
            verdict = self._verdict(command_id, SLICE_S)
            new, current = state.take()
            for fields in new:  # each phase reached, also one reached just before the verdict
                handle.publish_feedback(self.Action.Feedback(**fields))
            if verdict is not None:
                return self._end(handle, verdict, canceled)
            if self._closed:
                return self._end(handle, {"id": command_id, "outcome": "error", "dispatched": False,
                                          "error": "codebot_node shut down while the goal ran"})
            if handle.is_cancel_requested and not canceled:
                canceled = self._cancel(cmd)
                halting = canceled == "dispatching"
            now = time.monotonic()
            if halting and now - last_halt >= HALT_EVERY_S:
                self._halt_pub.publish(self._JointTrajectory())  # empty: the controller stops and holds
                last_halt = now
            if new:
                last_fb = now
            elif current and now - last_fb >= REPEAT_S:  # repeated: a client's reader may have matched since
                handle.publish_feedback(self.Action.Feedback(**current))
                last_fb = now

    def _verdict(self, command_id: str, timeout: float) -> dict | None:
        verdict = self.node.book.wait(command_id, timeout)
        return verdict if "outcome" in verdict else None

    def _cancel(self, cmd: Command) -> str:
        """Where the command was when the cancel took hold ("" if nowhere yet: the caller tries again)."""
        node = self.node
        if node.queue.remove(cmd.id) is not None:
            node.finish({"id": cmd.id, "instruction": cmd.instruction, "outcome": "canceled", "dispatched": False,
                         "error": "canceled while queued: it never started", "received": cmd.received})
            return "queued"
        cancel = getattr(node.pipeline, "cancel", None)
        stage = cancel(cmd.id) if cancel else ""
        if stage:
            node.get_logger().warn(f"goal {cmd.id} canceled by its client while {stage}")
        return stage

    def _end(self, handle, verdict: dict, canceled: str = ""):
        result = result_of(verdict)
        Result = self.Action.Result
        if canceled and result.error_code == Result.CANCELED:
            handle.canceled()
        elif result.success:
            handle.succeed()
        else:
            handle.abort()
        return result


def goal_id_hex(goal_id) -> str:
    """A unique_identifier_msgs/UUID as the command id codebot_node uses for it."""
    return uuid.UUID(bytes=bytes(goal_id.uuid)).hex
