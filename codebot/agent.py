"""The agent loop: instruction -> program -> sandboxed run in sim -> feedback -> repair, until a
checker says the program works. The checker (a task template's, or a validated goal spec) runs in the
sim server on its own world state; the agent only reads the verdict it returns."""
from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from codebot.codegen import CodeGenerator
from codebot.feedback import Outcome, error_text, one_line, report, scene_diff
from codebot.llm import LLMError
from codebot.repeats import fingerprint, summary
from codebot.reset_config import ResetConfig
from codebot.sandbox import ProgramResult, WorkerPool
from codebot.trace import TRACE_FILE, append_record, new_episode_id
from codebot.goal_choice import CheckChoice, choose_check
from codebot.verdict import object_infos
from codebot.sim.goals import missing_colours, normalize_instruction
from codebot.sim.tasks.base import SceneSpec
from codebot.primitives.colors import COLORS, SEEN_COLORS


@dataclass
class AgentConfig:
    llm: str = "local"
    llm_opts: dict[str, Any] = field(default_factory=dict)  # e.g. {"model": PATH}, {"path": replay.jsonl}
    robot: str = "ur5e"
    seed: int = 0
    attempts: int = 3  # feedback/repair turns, first attempt included
    candidates: int = 1  # programs per turn, ranked by outcome
    target: str = "sim"
    target_config: dict[str, Any] = field(default_factory=dict)  # extra target settings (e.g. image path)
    trace_dir: str | None = "traces"
    video: str | None = None
    timeout_s: float = 60.0
    call_budget: int = 200
    max_tokens: int = 400
    candidate_temperature: float = 0.7
    groups: tuple[str, ...] | None = None
    goal: str | None = None  # a goal spec given by the user (validated before use), e.g. "in(red block, blue bowl)"
    write_goals: bool = True  # without a template or a user goal, the LLM writes a spec (validated)
    grammar: bool = False  # constrain local-model output with the loose GBNF in codebot/prompts
    test_hooks: bool = False
    limits: dict[str, Any] = field(default_factory=dict)


@dataclass
class Turn:
    turn: int
    code: str
    feedback: str
    success: bool
    outcome: dict[str, Any]
    result: dict[str, Any]
    candidates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class EpisodeResult:
    instruction: str
    success: bool
    verdict: str
    code: str
    turns: list[Turn]
    timings: dict[str, float]
    trace_path: str | None = None
    trace_id: str | None = None
    video_path: str | None = None
    task: str | None = None
    error: str | None = None
    # Where the verdict came from: "checker" (a task template's) | "goal spec" | "unchecked"; `checker`
    # names it, e.g. "template checker (pick_place)", "goal spec (LLM-written, validated): in(...)".
    verdict_source: str = "unchecked"
    checker: str = "none"
    check: dict[str, Any] | None = None  # what the sim server was asked to check
    goal: dict[str, Any] | None = None  # the goal-spec pipeline's record, when it ran


def match_task(instruction: str):
    """The task template that parses this instruction (sim.tasks.match), or None."""
    try:
        from codebot.sim import tasks
    except Exception:
        return None
    match = getattr(tasks, "match", None)
    if match is None:
        return None
    try:
        return match(instruction)
    except Exception:
        return None


_COLOR_WORDS = "|".join(COLORS)
REPEAT_RESAMPLES = 2  # sampled retries when a repair turn repeats a program already run
REPEAT_TEMPERATURES = (0.7, 1.0)  # per retry: told it repeated itself, then sampled hotter


def scene_from_instruction(instruction: str, seed: int = 0) -> SceneSpec | None:
    """Objects an instruction names ('red block', 'blue bowls'), plus seeded distractors, so the scene
    holds what the instruction talks about even without a task template."""
    text = instruction.lower()
    blocks = list(dict.fromkeys(re.findall(rf"\b({_COLOR_WORDS})\s+(?:block|cube)s?\b", text)))
    bowls = list(dict.fromkeys(re.findall(rf"\b({_COLOR_WORDS})\s+(?:bowl|plate)s?\b", text)))
    if not blocks and not bowls:
        return None
    import random

    rng = random.Random(seed)
    spare_blocks = [c for c in SEEN_COLORS if c not in blocks]
    spare_bowls = [c for c in SEEN_COLORS if c not in bowls]
    rng.shuffle(spare_blocks)
    rng.shuffle(spare_bowls)
    blocks += spare_blocks[: max(0, 3 - len(blocks))]
    bowls += spare_bowls[: max(0, 2 - len(bowls))]
    return SceneSpec(tuple(blocks), tuple(bowls))


class Agent:
    """One agent = one LLM + one warm worker pool for its target. `run()` is one episode."""

    def __init__(self, config: AgentConfig | None = None, llm=None,
                 on_event: Callable[[str, dict], None] | None = None):
        self.config = config or AgentConfig()
        self.on_event = on_event or (lambda kind, payload: None)
        c = self.config
        start = self._reset_config(None)
        if c.test_hooks:
            start = replace(start, settings={**start.settings, "test_hooks": True})
        t0 = time.perf_counter()
        # Workers start now, in the background, while the LLM loads and writes the first program.
        self.pool = WorkerPool(c.target, start.to_plain(), size=max(1, min(c.candidates, 2)), limits=c.limits,
                               groups=list(c.groups) if c.groups else None)
        self._llm = llm
        self._llm_load_s = 0.0
        self.pool_started_at = t0
        self._generator: CodeGenerator | None = None

    def _llm_options(self) -> dict[str, Any]:
        """The backend's options; with several candidates per turn, a backend that has parallel slots
        (a `parallel` field in its Config) gets one slot per candidate unless told otherwise."""
        from dataclasses import fields

        from codebot.llm.config import backend_config

        opts = dict(self.config.llm_opts)
        config = backend_config(self.config.llm) if self.config.candidates > 1 else None
        if config is not None and "parallel" in {f.name for f in fields(config)}:
            opts.setdefault("parallel", self.config.candidates)
        return opts

    @property
    def llm(self):
        if self._llm is None:
            from codebot.llm import make_llm

            t0 = time.perf_counter()
            self._llm = make_llm(self.config.llm, **self._llm_options())
            self._llm_load_s = time.perf_counter() - t0
        return self._llm

    @property
    def generator(self) -> CodeGenerator:
        if self._generator is None:
            groups = self.config.groups or (("core", "vision") if self.config.target == "vision" else ("core",))
            from codebot.codegen import loose_grammar

            self._generator = CodeGenerator(self.llm, groups=groups, max_tokens=self.config.max_tokens,
                                            grammar=loose_grammar() if self.config.grammar else None)
            warm = getattr(self.llm, "warm_prefix", None)
            if callable(warm):  # the local model restores (or computes once and saves) the prompt prefix
                t0 = time.perf_counter()
                warm(self._generator.static_prefix())
                self._llm_load_s += time.perf_counter() - t0
        return self._generator

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> "Agent":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------------------------ episode
    def run(self, instruction: str, scene=None) -> EpisodeResult:
        if not isinstance(instruction, str) or not instruction.strip():
            raise ValueError("the instruction must be a non-empty string")
        c = self.config
        t_start = time.perf_counter()
        episode_id = new_episode_id()
        timings: dict[str, float] = {"llm_s": 0.0, "sandbox_s": 0.0, "observe_s": 0.0}
        instruction = normalize_instruction(instruction)[0] if c.target == "sim" else instruction
        task, reset = self._task_and_reset(instruction, scene)
        gen = self.generator
        calls_before = len(gen.calls)
        timings["llm_load_s"], self._llm_load_s = self._llm_load_s, 0.0  # counted in the first episode only

        t = time.perf_counter()
        objects = self.pool.observe(reset=reset, timeout_s=c.timeout_s)
        timings["observe_s"] = time.perf_counter() - t
        gen.known |= self.pool.primitive_names  # e.g. target-specific or test-hook functions
        self.on_event("scene", {"objects": objects, "task": getattr(getattr(task, "task", None), "name", None)})

        missing = missing_colours(instruction, object_infos(objects)) if c.target == "sim" else None
        if missing:  # before any LLM call: no program can do what names an object that is not there
            return self._finish(EpisodeResult(instruction=instruction, success=False, verdict=missing, code="",
                                              turns=[], timings=timings, trace_id=episode_id, error=missing),
                                t_start, gen.calls[calls_before:], reset, objects, task)
        t = time.perf_counter()
        choice = self._check_for(instruction, task, objects)
        timings["llm_s"] += time.perf_counter() - t
        check = choice.check
        self.on_event("check", {"check": check, "description": choice.description, "goal": choice.goal})

        base = gen.program_messages(instruction, objects)
        messages = base
        turns: list[Turn] = []
        tried: dict[str, str] = {}  # fingerprint of each program run this episode -> its one-line summary
        best: tuple | None = None
        video_path = None
        llm_error = None
        for turn_no in range(1, max(1, c.attempts) + 1):
            candidates = []
            purpose = "program" if turn_no == 1 else "repair"
            temperatures = [0.0] + [c.candidate_temperature] * (max(1, c.candidates) - 1)
            drafts: list[str] | None = None
            if len(temperatures) > 1:  # all of a turn's candidates at once: parallel slots decode them together
                t = time.perf_counter()
                try:
                    drafts = gen.generate_many(messages, instruction, purpose, temperatures)
                except LLMError as exc:
                    llm_error = f"{type(exc).__name__}: {exc}"
                    break
                finally:
                    timings["llm_s"] += time.perf_counter() - t
            for k, temperature in enumerate(temperatures):
                t = time.perf_counter()
                try:
                    code = drafts[k] if drafts is not None else gen.generate(messages, instruction, purpose,
                                                                              temperature)
                    # Greedy decoding often repeats a failed program, word for word or with other names;
                    # re-running it teaches nothing, so ask again (bounded) before spending a sim run.
                    for r in range(REPEAT_RESAMPLES):
                        if fingerprint(code) not in tried:
                            break
                        self.on_event("repeat", {"turn": turn_no, "candidate": k})
                        code = gen.generate(gen.repeat_messages(messages, code, tried.values()), instruction,
                                            "repair", REPEAT_TEMPERATURES[min(r, len(REPEAT_TEMPERATURES) - 1)])
                except LLMError as exc:  # server down, replay miss...: end the episode, keep its trace
                    llm_error = f"{type(exc).__name__}: {exc}"
                    break
                finally:
                    timings["llm_s"] += time.perf_counter() - t
                if fingerprint(code) in tried:  # still a repeat: never run a program twice
                    self.on_event("repeat_skipped", {"turn": turn_no, "candidate": k})
                    continue
                self.on_event("code", {"turn": turn_no, "candidate": k, "code": code})
                t = time.perf_counter()
                result = self.pool.run(code, reset=reset, timeout_s=c.timeout_s, call_budget=c.call_budget,
                                       check=check, video=c.video)
                timings["sandbox_s"] += time.perf_counter() - t
                outcome = self.judge(result, check)
                candidates.append((code, result, outcome))
                tried[fingerprint(code)] = f"{summary(code)} -> {one_line(outcome.reason, 160)}"
            if not candidates:
                break
            code, result, outcome = max(candidates, key=lambda cand: _rank(cand[1], cand[2]))
            feedback = report(result, outcome, turn_no)
            if result.video_path:
                video_path = result.video_path
            turns.append(Turn(turn_no, code, feedback, outcome.success, outcome.to_dict(), _result_summary(result),
                              [{"code": cc, "success": oo.success, "reason": oo.reason} for cc, _, oo in candidates]
                              if len(candidates) > 1 else []))
            self.on_event("feedback", {"turn": turn_no, "feedback": feedback, "success": outcome.success})
            if best is None or _rank(result, outcome) > _rank(best[1], best[2]):
                best = (code, result, outcome)
            if outcome.success or llm_error:
                break
            if check is None and result.ok and not result.safety_violations:
                break  # it ran; nothing can check it, so a repair would only guess at what to change
            messages = gen.repair_messages(base, code, feedback)
        if best is None:
            code, outcome = "", Outcome(False, f"the LLM gave no program: {llm_error}", "none")
            outcome.details["checker"] = "none"
        else:
            code, result, outcome = best
            if llm_error and not outcome.success:
                outcome = Outcome(False, f"{outcome.reason} (then the LLM failed: {llm_error})", outcome.source)
        if check is None and choice.goal and choice.goal.get("problems") and not outcome.success:
            outcome = Outcome(False, f"{outcome.reason} ({choice.description})", outcome.source, outcome.details)
        episode = EpisodeResult(instruction=instruction, success=outcome.success, verdict=outcome.reason,
                                code=code, turns=turns, timings=timings, trace_id=episode_id,
                                video_path=video_path, task=getattr(getattr(task, "task", None), "name", None),
                                error=llm_error, goal=choice.goal, **_verdict_fields(outcome, check))
        return self._finish(episode, t_start, gen.calls[calls_before:], reset, objects, task)

    def _finish(self, episode: EpisodeResult, t_start: float, calls, reset: ResetConfig, objects: list[dict], task
                ) -> EpisodeResult:
        """Final timings, and the trace record (written whatever the episode's end)."""
        t = episode.timings
        t["total_s"] = time.perf_counter() - t_start
        t["non_llm_s"] = t["total_s"] - t.get("llm_s", 0.0) - t.get("llm_load_s", 0.0)
        if self.config.trace_dir:
            record = self._record(episode, calls, reset, objects, task)
            episode.trace_path = str(append_record(Path(self.config.trace_dir) / TRACE_FILE, record))
        return episode

    def _task_and_reset(self, instruction: str, scene):
        """The task template the instruction matches (sim only) and the worker's reset config: the
        given scene, else the task's, else one built from the objects the instruction names."""
        c = self.config
        task = match_task(instruction) if c.target == "sim" else None
        if scene is None and task is not None:
            scene = task.scene
        if scene is None and c.target == "sim":
            scene = scene_from_instruction(instruction, c.seed)
        return task, self._reset_config(scene)

    def _reset_config(self, scene) -> ResetConfig:
        """This agent's reset: its seed and robot, `scene` (a SceneSpec, its plain dict, or None) and
        the target's own settings."""
        c = self.config
        return ResetConfig(seed=c.seed, scene=scene, robot=c.robot, settings=dict(c.target_config))

    def check_program(self, code: str, instruction: str, scene=None, goal: str | None = None) -> EpisodeResult:
        """Run a given program once in sim and judge it (re-checks, dispatch gates). The check is the
        template's, or `goal` (validated); the LLM is never asked, so without either it is unchecked."""
        c = self.config
        t_start = time.perf_counter()
        instruction = normalize_instruction(instruction)[0] if c.target == "sim" else instruction
        task, reset = self._task_and_reset(instruction, scene)
        objects = self.pool.observe(reset=reset, timeout_s=c.timeout_s) if c.target == "sim" else []
        choice = self._check_for(instruction, task, objects, goal=goal, write_goals=False)
        check = choice.check
        result = self.pool.run(code, reset=reset, timeout_s=c.timeout_s, call_budget=c.call_budget,
                               check=check, video=c.video)
        outcome = self.judge(result, check)
        feedback = report(result, outcome, 1)
        self.on_event("feedback", {"turn": 1, "feedback": feedback, "success": outcome.success})
        total = time.perf_counter() - t_start
        return EpisodeResult(instruction=instruction, success=outcome.success, verdict=outcome.reason, code=code,
                             turns=[Turn(1, code, feedback, outcome.success, outcome.to_dict(),
                                         _result_summary(result))],
                             timings={"total_s": total, "llm_s": 0.0, "sandbox_s": total, "non_llm_s": total},
                             video_path=result.video_path, task=getattr(getattr(task, "task", None), "name", None),
                             goal=choice.goal, **_verdict_fields(outcome, check))

    # ---------------------------------------------------------------------------------- judging
    def _check_for(self, instruction: str, task, objects: list[dict], goal: str | None = None,
                   write_goals: bool | None = None) -> CheckChoice:
        """What the sim server is to check (see codebot.goal_choice); off the sim target, nothing."""
        c = self.config
        if c.target != "sim":
            return CheckChoice(None, None, "unchecked: no checker on this target")
        return choose_check(instruction, task, objects, self.generator, user_goal=goal or c.goal,
                            write_goals=c.write_goals if write_goals is None else write_goals)

    def judge(self, result: ProgramResult, check: dict | None) -> Outcome:
        """The outcome of one run: the program's own failures first, then the server's verdict."""
        if not result.ok:
            return Outcome(False, f"the program did not finish ({result.exit_reason}): "
                                  f"{(error_text(result) or '').splitlines()[-1].strip()}", "none")
        if result.safety_violations:
            return Outcome(False, "safety violations: " + "; ".join(result.safety_violations), "none")
        if self.config.target != "sim":
            # Only the sim twin can verify; elsewhere a finished program is reported, not "verified".
            return Outcome(result.ok, "finished without error (not verified: no checker on this target)",
                           "unchecked", {"result": result.result})
        verdict = result.verdict
        if check is None or not verdict:
            return Outcome(False, "no task template or goal spec checks this instruction, so success "
                                  "cannot be verified", "unchecked", {"checker": "none"})
        details = {**dict(verdict.get("details") or {}), "checker": verdict.get("checker", "none")}
        return Outcome(bool(verdict.get("success")) and verdict.get("source") in CHECKED_SOURCES,
                       str(verdict.get("reason", "")), str(verdict.get("source", "unchecked")), details)

    def _record(self, episode: EpisodeResult, calls, reset: ResetConfig, objects: list[dict], task) -> dict[str, Any]:
        c = self.config
        return {
            "id": episode.trace_id, "time": time.time(), "instruction": episode.instruction,
            "config": {k: v for k, v in asdict(c).items() if k != "llm_opts"},
            "llm": {"backend": c.llm, "model": getattr(self.llm, "model_id", None)},
            "target_reset": reset.to_plain(), "task": episode.task,
            "task_params": getattr(task, "params", None) if task is not None else None,
            "objects": objects, "check": episode.check, "verdict_source": episode.verdict_source,
            "checker": episode.checker, "goal": episode.goal,
            "llm_calls": [{"purpose": x.purpose, "messages": x.messages, "stop": x.stop, "completion": x.completion,
                           "seconds": round(x.seconds, 3), "stats": x.stats} for x in calls],
            "turns": [asdict(t) for t in episode.turns],
            "success": episode.success, "verdict": episode.verdict, "code": episode.code, "error": episode.error,
            "timings": {k: round(v, 4) for k, v in episode.timings.items()}, "video_path": episode.video_path,
        }


CHECKED_SOURCES = ("checker", "goal spec")  # the only verdicts that can say success


def _verdict_fields(outcome: Outcome, check: dict | None) -> dict[str, Any]:
    return {"verdict_source": outcome.source if outcome.source in CHECKED_SOURCES else "unchecked",
            "checker": str(outcome.details.get("checker", "none")), "check": check}


def _rank(result: ProgramResult, outcome: Outcome) -> tuple:
    """Order candidates: verified success, then finished runs, fewer safety problems, then progress."""
    return (outcome.success, result.ok, not result.crashed, -len(result.safety_violations),
            len(scene_diff(result.objects_before, result.objects_after)))


def _result_summary(result: ProgramResult) -> dict[str, Any]:
    d = result.to_plain()
    d.pop("objects_before", None)
    return d
