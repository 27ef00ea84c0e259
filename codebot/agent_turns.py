"""An episode's turns: each asks the LLM for a turn's candidate programs (re-asking, bounded, when one
repeats a program already run), runs each in the sandbox, judges it, keeps the best, and turns its
feedback into the next turn's repair request; then the episode's result from the best program."""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from codebot.agent_result import EpisodeResult, Turn, rank, result_summary, verdict_fields
from codebot.feedback import Outcome, one_line, program_notes, report
from codebot.llm import LLMError
from codebot.repeats import fingerprint, summary
from codebot.sandbox.snapshots import relative_snapshots

if TYPE_CHECKING:
    from codebot.agent_prepare import Preparation

REPEAT_RESAMPLES = 2  # sampled retries when a repair turn repeats a program already run
REPEAT_TEMPERATURES = (0.7, 1.0)  # per retry: told it repeated itself, then sampled hotter


class TurnLoop:
    """The turns of one episode over a finished Preparation (its check chosen)."""

    def __init__(self, agent, prep: "Preparation", timings: dict[str, float], episode_id: str | None = None):
        self.agent, self.prep, self.timings, self.episode_id = agent, prep, timings, episode_id
        self.config = agent.config
        self.gen = agent.generator
        goal = prep.program_goal(counts=self.config.choose_counts) if self.config.goal_in_prompt else None
        self.prompt_parts = dict(goal=goal, placements=prep.placements() if goal else (),
                                 notes=prep.notes() if goal else (),
                                 shown_instruction=prep.shown_instruction(names=self.config.name_referents,
                                                                          counts=self.config.choose_counts)
                                 if goal else None)
        self.referents = prep.referents() if goal else []  # for feedback on a selector used as a name
        self.placed_pairs = prep.placed_pairs() if goal else []  # for feedback on a move the other way round
        self.base = self.gen.program_messages(prep.instruction, prep.objects, **self.prompt_parts)
        self.messages = self.base
        self.turns: list[Turn] = []
        self.tried: dict[str, str] = {}  # fingerprint of each program run this episode -> its one-line summary
        self.best: tuple | None = None
        self.video_path: str | None = None
        self.llm_error: str | None = None

    def run(self) -> "TurnLoop":
        check = self.prep.check
        for turn_no in range(1, max(1, self.config.attempts) + 1):
            self.agent.on_event("generating", {"turn": turn_no})
            candidates = self._candidates(turn_no)
            if not candidates:
                break
            code, result, outcome, feedback = self._keep(turn_no, candidates)
            if outcome.success or self.llm_error:
                break
            if check is None and result.ok and not result.safety_violations:
                break  # it ran; nothing can check it, so a repair would only guess at what to change
            self.messages = self.gen.repair_messages(self.base, code, feedback)
        return self

    # ------------------------------------------------------------------------------- one turn
    def _candidates(self, turn_no: int) -> list[tuple]:
        """The turn's programs, each run and judged: (code, result, outcome)."""
        purpose = "program" if turn_no == 1 else "repair"
        c = self.config
        count = c.candidates if turn_no == 1 or c.repair_candidates is None else c.repair_candidates
        temperatures = [0.0] + [c.candidate_temperature] * (max(1, count) - 1)
        drafts: list[str] | None = None
        if len(temperatures) > 1:  # all of a turn's candidates at once: parallel slots decode them together
            drafts = self._timed_llm(lambda: self.gen.generate_many(self.messages, self.prep.instruction,
                                                                    purpose, temperatures))
            if drafts is None:
                return []
        candidates = []
        for k, temperature in enumerate(temperatures):
            code = self._timed_llm(lambda: self._program(turn_no, k, purpose, temperature, drafts))
            if code is None:  # server down, replay miss...: end the episode, keep its trace
                break
            if fingerprint(code) in self.tried:  # still a repeat: never run a program twice
                self.agent.on_event("repeat_skipped", {"turn": turn_no, "candidate": k})
                continue
            candidates.append(self._run(turn_no, k, code))
        return candidates

    def _timed_llm(self, ask):
        """`ask()` with its time counted as LLM time; None (and the error kept) when the LLM fails."""
        t = time.perf_counter()
        try:
            return ask()
        except LLMError as exc:
            self.llm_error = f"{type(exc).__name__}: {exc}"
            return None
        finally:
            self.timings["llm_s"] += time.perf_counter() - t

    def _program(self, turn_no: int, k: int, purpose: str, temperature: float, drafts) -> str:
        gen = self.gen
        code = drafts[k] if drafts is not None else gen.generate(self.messages, self.prep.instruction, purpose,
                                                                  temperature)
        # Greedy decoding often repeats a failed program, word for word or with other names;
        # re-running it teaches nothing, so ask again (bounded) before spending a sim run.
        for r in range(REPEAT_RESAMPLES):
            if fingerprint(code) not in self.tried:
                break
            self.agent.on_event("repeat", {"turn": turn_no, "candidate": k})
            code = gen.generate(gen.repeat_messages(self.messages, code, self.tried.values()), self.prep.instruction,
                                "repair", REPEAT_TEMPERATURES[min(r, len(REPEAT_TEMPERATURES) - 1)])
        if fingerprint(code) in self.tried:
            # Still the same program: its examples keep leading the model back to it (on the tuning set half the
            # failed episodes ended here with attempts unused). Asked afresh beside the other kind of examples
            # (fixed / retrieved), told what was tried, so the attempts asked for are used; on the tuning subset
            # that gained nothing measurable (1 item gained, 1 lost: README).
            self.agent.on_event("repeat", {"turn": turn_no, "candidate": k})
            other = gen.program_messages(self.prep.instruction, self.prep.objects, other_examples=True,
                                         **self.prompt_parts)
            code = gen.generate(gen.repeat_messages(other, code, self.tried.values()), self.prep.instruction,
                                "repair", 0.0)
        return code

    def _run(self, turn_no: int, k: int, code: str) -> tuple:
        c, check = self.config, self.prep.check
        self.agent.on_event("code", {"turn": turn_no, "candidate": k, "code": code})
        t = time.perf_counter()
        result = self.agent.pool.run(code, reset=self.prep.reset, timeout_s=c.timeout_s, call_budget=c.call_budget,
                                     check=check, video=c.video, snapshot=self._snapshot_prefix(turn_no, k))
        self.timings["sandbox_s"] += time.perf_counter() - t
        relative_snapshots(result, c.trace_dir)
        self.agent.on_event("checking", {"turn": turn_no, "candidate": k})
        outcome = self.agent.judge(result, check)
        self.tried[fingerprint(code)] = f"{summary(code)} -> {one_line(outcome.reason, 160)}"
        return code, result, outcome

    def _snapshot_prefix(self, turn_no: int, k: int) -> str | None:
        """Where the sim server writes this run's before/after images: beside the trace, per episode."""
        c = self.config
        if not (c.snapshots and c.trace_dir and self.episode_id):
            return None
        name = f"attempt{turn_no}" + (f"-candidate{k + 1}" if k else "")
        return str((Path(c.trace_dir) / "snapshots" / self.episode_id / name).resolve())

    def _keep(self, turn_no: int, candidates: list[tuple]) -> tuple:
        """The turn's best candidate becomes its Turn (and the episode's best, if better)."""
        code, result, outcome = max(candidates, key=lambda cand: rank(cand[1], cand[2]))
        feedback = report(result, outcome, turn_no,
                          program_notes(code, result, outcome.success, self.referents, self.placed_pairs,
                                        self.prompt_parts["goal"]))
        if result.video_path:
            self.video_path = result.video_path
        self.turns.append(Turn(turn_no, code, feedback, outcome.success, outcome.to_dict(), result_summary(result),
                               [{"code": cc, "success": oo.success, "reason": oo.reason} for cc, _, oo in candidates]
                               if len(candidates) > 1 else []))
        self.agent.on_event("feedback", {"turn": turn_no, "feedback": feedback, "success": outcome.success})
        if self.best is None or rank(result, outcome) > rank(self.best[1], self.best[2]):
            self.best = (code, result, outcome)
        return code, result, outcome, feedback

    # ------------------------------------------------------------------------------- the end
    def episode(self, episode_id: str) -> EpisodeResult:
        """The result from the best program run (or the LLM's failure when none ran)."""
        prep, check, llm_error = self.prep, self.prep.check, self.llm_error
        if self.best is None:
            code, outcome = "", Outcome(False, f"the LLM gave no program: {llm_error}", "none")
            outcome.details["checker"] = "none"
        else:
            code, _, outcome = self.best
            if llm_error and not outcome.success:
                outcome = Outcome(False, f"{outcome.reason} (then the LLM failed: {llm_error})", outcome.source)
        choice = prep.choice
        if check is None and choice.goal and choice.goal.get("problems") and not outcome.success:
            outcome = Outcome(False, f"{outcome.reason} ({choice.description})", outcome.source, outcome.details)
        return EpisodeResult(instruction=prep.instruction, success=outcome.success, verdict=outcome.reason,
                             code=code, turns=self.turns, timings=self.timings, trace_id=episode_id,
                             video_path=self.video_path, task=prep.task_name, error=llm_error, goal=choice.goal,
                             **verdict_fields(outcome, check))


