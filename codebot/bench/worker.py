"""What one benchmark worker process does: own a warm sim (and, for LLM runs, an Agent), draw a layout
that poses the instruction fairly, run the policy, and judge it with the template's checker."""
from __future__ import annotations

import json
import time
import traceback
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from codebot.bench.plan import BenchConfig, Job
from codebot.reset_config import ResetConfig

_STATE: dict = {}


def init_worker(config_dict: dict) -> None:
    """Pool initializer: remember the config; the sim/agent start lazily on the first job."""
    splits, templates = config_dict.get("splits"), config_dict.get("templates")
    config = BenchConfig(**{**config_dict, "splits": tuple(splits),
                            "templates": tuple(templates) if templates else None})
    _STATE.clear()
    _STATE["config"] = config


def _object_infos(objects: list[dict]):
    from codebot.checks.judge import object_infos

    return object_infos(objects)


def _pool():
    """The sandbox worker pool this process runs reference programs in (or the agent's)."""
    config: BenchConfig = _STATE["config"]
    if config.llm != "reference":
        return _agent().pool
    if "pool" not in _STATE:
        from codebot.sandbox.pool import WorkerPool

        _STATE["pool"] = WorkerPool("sim", {"robot": config.robot}, size=1)
    return _STATE["pool"]


def _agent():
    if "agent" not in _STATE:
        from codebot.agent_factory import agent_config, build_agent

        config: BenchConfig = _STATE["config"]
        _STATE["agent"] = build_agent(agent_config(
            llm=config.llm, llm_opts=dict(config.llm_opts), robot=config.robot, attempts=config.attempts,
            trace_dir=str(Path(config.out) / "traces"), timeout_s=config.timeout_s,
            call_budget=config.call_budget, snapshots=config.snapshots))
    return _STATE["agent"]


def choose_layout(instance, job: Job, config: BenchConfig) -> tuple[int, int, list[str]]:
    """First layout seed whose scene poses the instruction unambiguously; (seed, rejected, reasons)."""
    reasons = []
    for attempt in range(config.layout_tries):
        seed = job.layout_seed(config.seed, attempt)
        objects = _object_infos(_pool().observe(reset=ResetConfig(seed, instance.scene), timeout_s=60))
        problem = instance.scene_problem(objects)
        if problem is None:
            return seed, attempt, reasons
        reasons.append(problem)
    raise RuntimeError(f"no fair layout in {config.layout_tries} tries (last: {reasons[-1]})")


def run_job(job: Job) -> dict:
    """Run one trial; never raises (a failure becomes a failed record with the error)."""
    from codebot.checks.tasks import get_task

    config: BenchConfig = _STATE["config"]
    t0 = time.perf_counter()
    task = get_task(job.template_id)
    instance = task.sample(np.random.default_rng(job.seed), job.split)
    record = {"cell": job.cell, "category": job.category, "split": job.split, "template_id": job.template_id,
              "template": task.name, "trial": job.trial, "seed": job.seed, "instruction": instance.instruction,
              "params": instance.params, "scene": instance.scene.to_plain(),
              "llm": config.llm, "attempts": config.attempts, "success": False, "success_at_turn": None,
              "turns": 0, "verdict": "", "error": None, "layout_seed": None, "layouts_rejected": None}
    try:
        layout_seed, rejected, _ = choose_layout(instance, job, config)
        record.update(layout_seed=layout_seed, layouts_rejected=rejected)
        if config.llm == "reference":
            _run_reference(instance, layout_seed, job, config, record)
        else:
            _run_agent(instance, layout_seed, config, record)
    except Exception as exc:  # infrastructure failure: recorded, never "success"
        record.update(success=False, error=f"{type(exc).__name__}: {exc}",
                      verdict="benchmark infrastructure error", traceback=traceback.format_exc()[-2000:])
    record["wall_s"] = round(time.perf_counter() - t0, 3)
    return record


def _trace_path(config: BenchConfig, job: Job) -> Path:
    name = f"{job.cell.replace('/', '')}-t{job.template_id:02d}-{job.trial:03d}.json"
    return Path(config.out) / "traces" / name


def _run_reference(instance, layout_seed: int, job: Job, config: BenchConfig, record: dict) -> None:
    code = instance.reference_policy()
    reset = ResetConfig(layout_seed, instance.scene)
    from codebot.checks.check import template_check
    from codebot.sandbox.snapshots import relative_snapshots

    path = _trace_path(config, job)
    snapshot = str((path.parent / "snapshots" / path.stem / "attempt1").resolve()) if config.snapshots else None
    # The template's checker runs in the sim server, on its own world state after the program ended.
    result = _pool().run(code, reset=reset, timeout_s=config.timeout_s,
                         call_budget=config.call_budget,
                         check=template_check(instance), snapshot=snapshot)
    relative_snapshots(result, str(path.parent))
    if result.ok and not result.safety_violations and result.verdict:
        verdict = result.verdict
        record.update(success=bool(verdict["success"]) and verdict["source"] == "checker",
                      verdict=verdict["reason"], details=verdict.get("details", {}))
    else:
        error = result.error or {}
        record.update(success=False, verdict=f"the program did not finish ({result.exit_reason})",
                      error=error.get("message") or "; ".join(result.safety_violations))
    record.update(turns=1, success_at_turn=1 if record["success"] else None,
                  sandbox_s=round(result.timings.get("total_s", 0.0), 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    trace = {"record": {k: v for k, v in record.items()}, "code": code,
             "reset": replace(reset, robot=config.robot).to_plain(), "result": result.to_plain()}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(trace, default=str, indent=1))
    tmp.replace(path)
    record["trace"] = str(path)


def _run_agent(instance, layout_seed: int, config: BenchConfig, record: dict) -> None:
    agent = _agent()
    agent.config.seed = layout_seed
    episode = agent.run(instance.instruction, scene=instance.scene)
    turns = [asdict(t) if not isinstance(t, dict) else t for t in episode.turns]
    first = next((t["turn"] for t in turns if t["success"]), None)
    record.update(success=bool(episode.success), verdict=episode.verdict, turns=len(turns),
                  success_at_turn=first, error=episode.error, trace=episode.trace_path,
                  trace_id=episode.trace_id, code=episode.code,
                  llm_s=round(episode.timings.get("llm_s", 0.0), 3),
                  turn_verdicts=[{"turn": t["turn"], "success": t["success"],
                                  "reason": (t.get("outcome") or {}).get("reason")} for t in turns])


def close_worker() -> None:
    for key in ("pool", "agent"):
        obj = _STATE.pop(key, None)
        if obj is not None:
            try:
                obj.close()
            except Exception:
                pass
