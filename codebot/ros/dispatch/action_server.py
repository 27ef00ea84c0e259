"""codebot_node's ExecuteInstruction action server (`execute_instruction`, relative: /codebot/execute_instruction
under `-r __ns:=/codebot`), the way in for every command: `admit` validates the goal, has it acknowledged and
recorded by CodebotNode._answer and queued with CommandQueue.offer for the node's worker. An action goal's
verdict (VerdictBook) becomes the typed result (codebot.ros.dispatch.results); the goal's UUID in hex is the
command id. The `command` topic is an adapter over this (codebot.ros.dispatch.string_adapter): its String
becomes an ExecuteInstruction goal admitted here, its answers the `ack`/`verdict` JSON.

Feedback: per attempt generating -> simulating -> checking (the pipeline's statuses of those names, from the agent's
event callback), then gated, dispatching, and executing once the robot's joint_states show the arm moving; only
forward, and the current step is repeated every ~0.5 s while a goal runs (feedback published before a new client's
reader has matched is lost). Cancel: a queued goal leaves the queue; a verifying one stops at the agent's next step
with nothing dispatched; a dispatching one is halted with the ros2_control convention (an empty JointTrajectory on
the robot's controller topic, sent from the cancel callback itself and repeated until the program has ended).

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
TURN_PHASES = PHASES[:3]  # once per attempt (node statuses of the same names, from the pipeline)
AFTER_TURNS = {"gate": "gated", "dispatching": "dispatching"}  # node status -> phase
REPEAT_S = 0.5     # the current phase again after this long without a change
HALT_EVERY_S = 0.2  # a canceled dispatch: the empty trajectory again (a program may send its next motion)
SLICE_S = 0.1
MOVING_RAD = 1e-3  # a joint moved this much between two slices of a dispatching goal: it is executing
MAX_GOAL_ATTEMPTS = 10  # a goal's own attempts: each may be an LLM call and a sim run


def progress_of(phase: str, attempt: int, attempts: int) -> float:
    """Coarse and only rising: the attempts share 0..0.6 (generating, simulating, checking at 10/50/90 % of
    each), then gated 0.6, dispatching 0.7, executing 0.8; the result is the end."""
    if phase in TURN_PHASES:
        share = (0.1, 0.5, 0.9)[TURN_PHASES.index(phase)]
        return round(0.6 * (max(attempt, 1) - 1 + share) / max(attempts, attempt, 1), 3)
    return {"gated": 0.6, "dispatching": 0.7, "executing": 0.8}[phase]


class _GoalState:
    """The phases a goal has reached, only forward: (attempt, phase) within the turns, then gated, dispatching,
    executing. Every step is reported once; the latest is repeated."""

    def __init__(self, cmd: Command):
        self.cmd = cmd
        self.lock = threading.Lock()
        self.cancel_lock = threading.Lock()  # the cancel callback and the goal's loop: one cancel takes hold
        self.canceled = ""  # where the cancel took hold ("" not yet)
        self.key: tuple = ()  # the order of the latest step reached
        self.phase = ""
        self.fields: dict = {}
        self.new: list[dict] = []  # reached and not yet published

    def advance(self, phase: str, attempts: int, extra: dict) -> None:
        with self.lock:
            attempt = int(extra.get("attempt") or extra.get("turns") or self.fields.get("attempt") or 0)
            key = (0, attempt, PHASES.index(phase)) if phase in TURN_PHASES else (1, 0, PHASES.index(phase))
            if key <= self.key:
                return  # only forward
            self.key, self.phase = key, phase
            self.fields["progress"] = progress_of(phase, attempt, attempts)
            if attempt:
                self.fields["attempt"] = attempt
            for name in ("program", "check"):
                if extra.get(name):
                    self.fields[name] = str(extra[name])
            self.new.append({"phase": phase, **self.fields})

    def take(self) -> tuple[list[dict], dict | None]:
        """(steps reached since the last call, the current one)."""
        with self.lock:
            new, self.new = self.new, []
            return new, ({"phase": self.phase, **self.fields} if self.phase else None)


class ExecuteInstructionServer:
    def __init__(self, node):
        rclpy()
        from rclpy.action import ActionServer, GoalResponse
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
                                   cancel_callback=self._on_cancel,
                                   callback_group=ReentrantCallbackGroup())
        node.status_listeners.append(self._on_status)
        self.name = self.side.resolve_topic_name("execute_instruction")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._spinner.close(self.server)

    # --- feedback ---------------------------------------------------------------------------------
    def _on_status(self, status: str, extra: dict) -> None:
        if status == "started":
            phase, extra = "generating", {**extra, "attempt": 1}  # at once: it runs (before the twin is synced)
        elif status in TURN_PHASES:
            phase = status
        else:
            phase = AFTER_TURNS.get(status)
        if phase not in PHASES:
            return
        running = self.node._running
        command_id = extra.get("id") or (running["cmd"].id if running else "")
        state = self._goals.get(command_id)
        try:
            if state is not None:
                state.advance(phase, self._attempts(state), extra)
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
        if not 0 <= goal.attempts <= MAX_GOAL_ATTEMPTS:
            return (f"attempts {goal.attempts} is out of range: 1 to {MAX_GOAL_ATTEMPTS}, or 0 for the node "
                    f"parameter attempts (now {p['attempts']})")
        return ""

    def goal_of(self, cmd: Command):
        """The ExecuteInstruction goal a String command stands for (its JSON goal fields; defaults otherwise)."""
        return self.Action.Goal(instruction=cmd.instruction, **cmd.goal)

    def admit(self, cmd: Command, goal, t_recv: float) -> tuple[str, int, str]:
        """The one way in for every command, an action goal's or the String topic's (its adapter): the goal
        validated, the command answered on `ack` and recorded, then queued. (state, position, reason)."""
        node = self.node
        problem = self._invalid(goal)
        if problem:
            node._answer(cmd, "rejected", -1, problem, t_recv)
            return "rejected", -1, problem
        cmd.options = {k: True for k in ("force", "dry_run") if getattr(goal, k)}
        if goal.attempts:
            cmd.options["attempts"] = int(goal.attempts)
        answer = node.queue.offer(cmd)
        node._answer(cmd, *answer, t_recv)
        return answer

    def _run(self, handle, command_id: str):
        node, goal, t_recv = self.node, handle.request, time.time()
        text = json.dumps({"id": command_id, "instruction": goal.instruction}, ensure_ascii=False)
        try:
            cmd = parse_command(text, int(node.p["max_command_bytes"]))
        except CommandRejected as exc:
            cmd = Command(id=command_id, instruction="")
            node._answer(cmd, "rejected", -1, exc.reason, t_recv)
            return self._end(handle, self._verdict(command_id, 10.0) or {
                "id": command_id, "outcome": "rejected", "dispatched": False, "error": exc.reason})
        state = self._goals[command_id] = _GoalState(cmd)
        answer = self.admit(cmd, goal, t_recv)
        if answer[0] == "rejected":
            return self._end(handle, self._verdict(command_id, 10.0) or {
                "id": command_id, "outcome": "rejected", "dispatched": False, "error": answer[2]})
        last_fb, last_halt, joints = 0.0, time.monotonic(), None
        while True:
            verdict = self._verdict(command_id, SLICE_S)
            if state.phase == "dispatching":
                joints = self._executing(state, joints)
            new, current = state.take()
            for fields in new:  # each phase reached, also one reached just before the verdict
                handle.publish_feedback(self.Action.Feedback(**fields))
            if verdict is not None:
                return self._end(handle, verdict, state.canceled)
            if self._closed:
                return self._end(handle, {"id": command_id, "outcome": "error", "dispatched": False,
                                          "error": "codebot_node shut down while the goal ran"})
            if handle.is_cancel_requested and not state.canceled:
                self._take_cancel(state, queued_too=True, where="goal loop")
            now = time.monotonic()
            if state.canceled == "dispatching" and now - last_halt >= HALT_EVERY_S:
                self._halt_pub.publish(self._JointTrajectory())  # empty: the controller stops and holds
                last_halt = now
            if new:
                last_fb = now
            elif current and now - last_fb >= REPEAT_S:  # repeated: a client's reader may have matched since
                handle.publish_feedback(self.Action.Feedback(**current))
                last_fb = now

    def _executing(self, state: _GoalState, before):
        """A dispatching goal is executing from the moment the robot's joint_states show the arm moving (any
        robot publishes those; the program's own calls stay in the sandbox)."""
        msg = self.node._joints
        now = list(msg.position) if msg is not None else None
        if before is not None and now is not None and len(now) == len(before) and \
                max((abs(a - b) for a, b in zip(now, before)), default=0.0) > MOVING_RAD:
            state.advance("executing", self._attempts(state), {})
        return now

    def _attempts(self, state: _GoalState) -> int:
        return int(state.cmd.options.get("attempts") or self.node.p["attempts"])

    def _verdict(self, command_id: str, timeout: float) -> dict | None:
        verdict = self.node.book.wait(command_id, timeout)
        return verdict if "outcome" in verdict else None

    def _on_cancel(self, handle):
        """A cancel request (on the side node's threads): a dispatching goal's arm is halted here and now, not
        on the goal loop's next slice (measured: cancel -> arm at rest, benchmarks/ros_actions.py). A queued goal is
        left to the loop: its verdict must not come before rclpy has marked the goal canceling."""
        from rclpy.action import CancelResponse

        arrived = time.time()
        command_id = goal_id_hex(handle.goal_id)
        state = self._goals.get(command_id)
        if state is not None:
            try:
                self._take_cancel(state, queued_too=False, where="cancel callback")
            except Exception as exc:  # the cancel is accepted whatever broke; the goal's loop tries again
                self.side.get_logger().error(f"cancel of {state.cmd.id} failed: {type(exc).__name__}: {exc}")
        # Logged after the halt (a log line is also a /rosout publish: under load it cost tens of ms before the
        # arm was told to stop), with the arrival time in the text: benchmarks/ros_execute.py splits a cancel's
        # latency there (DDS and the executor before it, this node's own work after it).
        self.side.get_logger().info(f"goal {command_id}: cancel request received at {arrived:.6f}")
        return CancelResponse.ACCEPT

    def _take_cancel(self, state: _GoalState, queued_too: bool, where: str) -> None:
        with state.cancel_lock:
            if state.canceled:
                return
            stage = self._cancel(state.cmd, queued_too)
            if stage == "dispatching":
                self._halt_pub.publish(self._JointTrajectory())  # empty: the controller stops and holds
            state.canceled = stage
        if stage:
            self.node.get_logger().warn(f"goal {state.cmd.id} canceled by its client while {stage} (taken by the "
                                        f"{where} at {time.time():.6f})")

    def _cancel(self, cmd: Command, queued_too: bool = True) -> str:
        """Where the command was when the cancel took hold ("" if nowhere yet: the caller tries again)."""
        node = self.node
        if queued_too and node.queue.remove(cmd.id) is not None:
            node.finish({"id": cmd.id, "instruction": cmd.instruction, "outcome": "canceled", "dispatched": False,
                         "error": "canceled while queued: it never started", "received": cmd.received})
            return "queued"
        cancel = getattr(node.pipeline, "cancel", None)
        return cancel(cmd.id) if cancel else ""

    def _end(self, handle, verdict: dict, canceled: str = ""):
        result = result_of(verdict)
        Result = self.Action.Result
        if canceled and result.error_code == Result.CANCELED:
            # a cancel taken in the cancel callback: rclpy marks the goal canceling only once it returned
            deadline = time.monotonic() + 2.0
            while not handle.is_cancel_requested and time.monotonic() < deadline:
                time.sleep(0.005)
            if handle.is_cancel_requested:
                handle.canceled()
            else:
                handle.abort()
        elif result.success:
            handle.succeed()
        else:
            handle.abort()
        return result


def goal_id_hex(goal_id) -> str:
    """A unique_identifier_msgs/UUID as the command id codebot_node uses for it."""
    return uuid.UUID(bytes=bytes(goal_id.uuid)).hex
