"""The agent loop: instruction -> program -> sandboxed run in sim -> feedback -> repair, until a
checker says the program works. The checker (a task template's, or a validated goal spec) runs in the
sim server on its own world state; the agent only reads the verdict it returns.

One run is three steps: prepare (codebot.agent_prepare: read the instruction, observe the scene,
choose the check), the turns (codebot.agent_turns), finish (timings and the trace record). What the
target declares in its registry entry (codebot.targets.TargetTraits) decides whether it is judged.
Front-ends build agents with codebot.agent_factory."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from codebot.agent_layout import LAYOUT_TRIES, search_layout, search_restated_layout
from codebot.agent_prepare import Preparation, choose_for, match_task, read_instruction, scene_from_instruction
from codebot.agent_result import CHECKED_SOURCES, EpisodeResult, Turn, judge, trace_record, verdict_fields
from codebot.agent_result import result_summary
from codebot.agent_turns import REPEAT_RESAMPLES, REPEAT_TEMPERATURES, TurnLoop
from codebot.codegen import CodeGenerator
from codebot.feedback import Outcome, program_notes, report
from codebot.reset_config import ResetConfig
from codebot.sandbox import ProgramResult, WorkerPool
from codebot.targets import TargetTraits, target_traits
from codebot.trace import TRACE_FILE, append_record, new_episode_id
from codebot.checks.check import Check
from codebot.checks.judge import object_infos

__all__ = ["CHECKED_SOURCES", "REPEAT_RESAMPLES", "REPEAT_TEMPERATURES", "Agent", "AgentConfig", "EpisodeResult",
           "Turn", "match_task", "object_infos", "scene_from_instruction"]


@dataclass
class AgentConfig:
    llm: str = "local"
    llm_opts: dict[str, Any] = field(default_factory=dict)  # e.g. {"model": PATH}, {"path": replay.jsonl}
    robot: str = "ur5e"
    seed: int = 0
    attempts: int = 3  # feedback/repair turns, first attempt included
    candidates: int = 1  # programs per turn, ranked by outcome
    repair_candidates: int | None = None  # programs per repair turn (after the first); None: `candidates`
    target: str = "sim"
    target_config: dict[str, Any] = field(default_factory=dict)  # extra target settings (e.g. image path)
    trace_dir: str | None = "traces"
    video: str | None = None
    snapshots: bool = False  # top-camera images before/after each attempt, beside the trace (sim server)
    timeout_s: float = 60.0
    call_budget: int = 200
    max_tokens: int = 400
    candidate_temperature: float = 0.7
    groups: tuple[str, ...] | None = None
    goal: str | None = None  # a goal spec given by the user (validated before use), e.g. "in(red block, blue bowl)"
    # Without a template or a user goal: the LLM restates the instruction for the phrase parser, and (write_goals,
    # off by default: on tuning data its specs were wrong more often than right) writes a spec when that fails.
    write_goals: bool = False
    restate_goals: bool = True
    grammar: bool = False  # constrain local-model output with the loose GBNF in codebot/prompts
    # Both on by measurement (README, the everyday rows): on 66 tuning items, local 1.5B, 3 attempts, verified 42 with
    # neither, 45 with the goal line, 54 with the goal line and 4 retrieved examples (15 gained, 3 lost).
    goal_in_prompt: bool = True  # the program prompt shows the chosen check as a `# goal:` spec line
    example_retrieval: int = 4  # k > 0: the k library examples most like the instruction; 0: examples.txt
    # On by measurement (README): first attempts on 24 tuning items whose selector phrase is named 10 -> 22/24;
    # cap-tabletop templates 6-8 (SA/SI + UA/SI, 5 trials) 23 -> 30/30 within 3 attempts.
    name_referents: bool = True  # the instruction shown says the object its selector phrases pick (agent_prepare)
    # On by measurement (README): first attempts on 24 tuning count items, 5 -> 22/24 (17 gained, 0 lost).
    choose_counts: bool = True  # a count is shown as one choice of moves, in the goal line and said after the
    # instruction (checks.goals.count_choice); the checker still evaluates the count
    recolour_examples: bool = False  # retrieved examples name no colour the query's scene or instruction names
    layout_tries: int = LAYOUT_TRIES  # further layout seeds tried where only the layout defeats the reading
    test_hooks: bool = False
    limits: dict[str, Any] = field(default_factory=dict)


class Agent:
    """One agent = one LLM + one warm worker pool for its target. `run()` is one episode."""

    def __init__(self, config: AgentConfig, llm=None,
                 on_event: Callable[[str, dict], None] | None = None):
        self.config = config
        # events, in order: scene, check, then per turn generating, code (the program; repeat/repeat_skipped when
        # it was run already), checking, feedback. An exception the sink raises ends the run (how MCP clients
        # and ExecuteInstruction goals cancel a verification between steps).
        self.on_event = on_event or (lambda kind, payload: None)
        c = self.config
        start = self._reset_config(None)
        if c.test_hooks:
            start = replace(start, settings={**start.settings, "test_hooks": True})
        t0 = time.perf_counter()
        # Workers start now, in the background, while the LLM loads and writes the first program.
        self.pool = WorkerPool(c.target, start.to_plain(), size=max(1, min(self.most_candidates, 2)), limits=c.limits,
                               groups=list(c.groups) if c.groups else None)
        self._llm = llm
        self._llm_load_s = 0.0
        self.pool_started_at = t0
        self._generator: CodeGenerator | None = None

    @property
    def traits(self) -> TargetTraits:
        """What this agent's target declares (judged or not, default primitive groups, ...)."""
        return target_traits(self.config.target)

    @property
    def most_candidates(self) -> int:
        """The most programs any turn writes (the first turn's or a repair turn's)."""
        c = self.config
        return max(1, c.candidates, c.repair_candidates or 0)

    def _llm_options(self) -> dict[str, Any]:
        """The backend's options; with several candidates per turn, a backend that has parallel slots
        (a `parallel` field in its Config) gets one slot per candidate unless told otherwise."""
        from codebot.llm.config import parallel_llm_options

        return parallel_llm_options(self.config.llm, self.config.llm_opts, self.most_candidates)

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
            groups = self.config.groups or self.traits.groups
            from codebot.codegen import loose_grammar

            self._generator = CodeGenerator(self.llm, groups=groups, max_tokens=self.config.max_tokens,
                                            grammar=loose_grammar() if self.config.grammar else None,
                                            example_retrieval=self.config.example_retrieval,
                                            goal_lines=self.config.goal_in_prompt,
                                            recolour_examples=self.config.recolour_examples)
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
        """One episode: prepare once, the turns, finish."""
        if not isinstance(instruction, str) or not instruction.strip():
            raise ValueError("the instruction must be a non-empty string")
        t_start = time.perf_counter()
        episode_id = new_episode_id()
        timings: dict[str, float] = {"llm_s": 0.0, "sandbox_s": 0.0, "observe_s": 0.0}
        gen = self.generator
        calls_before = len(gen.calls)
        timings["llm_load_s"], self._llm_load_s = self._llm_load_s, 0.0  # counted in the first episode only
        prep = self.prepare(instruction, scene, timings)
        if prep.missing:  # before any LLM call: no program can do what names an object that is not there
            episode = EpisodeResult(instruction=prep.instruction, success=False, verdict=prep.missing, code="",
                                    turns=[], timings=timings, trace_id=episode_id, error=prep.missing)
        else:
            episode = TurnLoop(self, prep, timings, episode_id).run().episode(episode_id)
        return self._finish(episode, t_start, gen.calls[calls_before:], prep)

    def prepare(self, instruction: str, scene, timings: dict[str, float]) -> Preparation:
        """Read the instruction, observe the scene, and (unless the scene lacks a colour the instruction
        names) choose the check: once per run, the result passed on."""
        c = self.config
        prep = read_instruction(instruction, scene, self.traits.judged, c.seed, self._reset_config)
        t = time.perf_counter()
        prep.observed(self.pool.observe(reset=prep.reset, timeout_s=c.timeout_s))
        layout = self._search_layout(prep, c.goal)
        timings["observe_s"] = time.perf_counter() - t
        self.generator.known |= self.pool.primitive_names  # e.g. target-specific or test-hook functions
        self.on_event("scene", {"objects": prep.objects, "task": prep.task_name})
        if prep.missing:
            return prep
        t = time.perf_counter()
        prep.choice = choose_for(prep, self.generator, c.goal, c.write_goals, c.restate_goals)
        if c.restate_goals and (moved := self._search_layout(prep, c.goal, restated=True)):
            layout = moved  # the restatements fit another layout: the check is chosen again there
            self.on_event("scene", {"objects": prep.objects, "task": prep.task_name})
            prep.choice = choose_for(prep, self.generator, c.goal, c.write_goals, c.restate_goals)
        timings["llm_s"] += time.perf_counter() - t
        if layout and prep.choice.goal is not None:
            prep.choice.goal["layout"] = layout
        choice = prep.choice
        plain = choice.check.to_plain() if choice.check is not None else None
        self.on_event("check", {"check": plain, "description": choice.description, "goal": choice.goal})
        return prep

    def _search_layout(self, prep: Preparation, goal: str | None, restated: bool = False) -> dict | None:
        """A layout on which the instruction's reading (`restated`: the LLM's restatements) can be checked
        (codebot.agent_layout), when only the layout defeats it, on a target that lays its scene out from the
        seed (the sim; never a twin, whose scene is the robot's); a user's goal is theirs to fit the scene."""
        if goal or prep.missing or self.config.layout_tries <= 0 or not self.traits.lays_out:
            return None
        search = search_restated_layout if restated else search_layout
        moved = search(prep, lambda reset: self.pool.observe(reset=reset, timeout_s=self.config.timeout_s),
                       self.config.layout_tries)
        if moved:
            self.on_event("layout", moved)
        return moved

    def _finish(self, episode: EpisodeResult, t_start: float, calls, prep: Preparation) -> EpisodeResult:
        """Final timings, and the trace record (written whatever the episode's end)."""
        t = episode.timings
        t["total_s"] = time.perf_counter() - t_start
        t["non_llm_s"] = t["total_s"] - t.get("llm_s", 0.0) - t.get("llm_load_s", 0.0)
        if self.config.trace_dir:
            record = trace_record(self.config, self.llm, episode, calls, prep.reset, prep.objects, prep.task)
            episode.trace_path = str(append_record(Path(self.config.trace_dir) / TRACE_FILE, record))
        return episode

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
        judged = self.traits.judged
        prep = read_instruction(instruction, scene, judged, c.seed, self._reset_config)
        prep.observed(self.pool.observe(reset=prep.reset, timeout_s=c.timeout_s) if judged else [])
        layout = self._search_layout(prep, goal or c.goal) if judged else None
        prep.choice = choose_for(prep, None, goal or c.goal, False, restate=False)
        if layout and prep.choice.goal is not None:
            prep.choice.goal["layout"] = layout
        check = prep.check
        result = self.pool.run(code, reset=prep.reset, timeout_s=c.timeout_s, call_budget=c.call_budget,
                               check=check, video=c.video)
        outcome = self.judge(result, check)
        feedback = report(result, outcome, 1, program_notes(code, result, outcome.success))
        self.on_event("feedback", {"turn": 1, "feedback": feedback, "success": outcome.success})
        total = time.perf_counter() - t_start
        return EpisodeResult(instruction=prep.instruction, success=outcome.success, verdict=outcome.reason, code=code,
                             turns=[Turn(1, code, feedback, outcome.success, outcome.to_dict(),
                                         result_summary(result))],
                             timings={"total_s": total, "llm_s": 0.0, "sandbox_s": total, "non_llm_s": total},
                             video_path=result.video_path, task=prep.task_name,
                             goal=prep.choice.goal, **verdict_fields(outcome, check))

    # ---------------------------------------------------------------------------------- judging
    def judge(self, result: ProgramResult, check: Check | None) -> Outcome:
        """The outcome of one run: the program's own failures first, then the server's verdict."""
        return judge(result, check, self.traits.judged)
