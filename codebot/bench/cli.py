"""`codebot bench` (mounted by codebot.cli from "codebot.bench.cli:bench")."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from codebot.bench.plan import CELL_NAMES, LLM_CHOICES, SUITES, BenchConfig


def _llm_opts(pairs: list[str]) -> dict:
    opts = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"--llm-opt takes KEY=VALUE, got {pair!r}")
        opts[key] = value
    return opts


def bench(
    suite: str = typer.Option("cap-tabletop", help=f"Benchmark suite: {', '.join(SUITES)}."),
    split: Optional[List[str]] = typer.Option(None, "--split", help=f"Table III column(s) to run "
                                              f"({', '.join(CELL_NAMES)}); repeat for several; default all."),
    template: Optional[List[int]] = typer.Option(None, "--template", help="Only these template ids (1-14)."),
    trials: int = typer.Option(50, min=1, help="Trials per template and cell."),
    llm: str = typer.Option("reference", help=f"Policy source: {', '.join(LLM_CHOICES)} "
                            "(reference = the hand-written reference policy of each template)."),
    llm_opt: Optional[List[str]] = typer.Option(None, "--llm-opt", help="LLM backend option KEY=VALUE "
                                                "(e.g. model=/path.gguf, path=replay.jsonl, base_url=...)."),
    attempts: int = typer.Option(1, min=1, help="Turns per episode (first attempt + sim-feedback repairs). "
                                 "The report shows success at turn 1 beside success within N turns."),
    workers: int = typer.Option(1, min=1, help="Parallel worker processes, each with its own sim."),
    seed: int = typer.Option(0, help="Base seed; every trial's seeds derive from it, template and trial."),
    robot: str = typer.Option("ur5e", help="Simulated robot: ur5e, panda or a plugin's (`codebot plugins`)."),
    timeout_s: float = typer.Option(120.0, help="Wall-clock limit per program run."),
    out: Path = typer.Option(Path("results"), help="Directory for JSON, CSV, markdown and traces."),
    executor: str = typer.Option("process", help="Where trials run: process (worker processes on this host) "
                                 "or ray (Ray actors; install codebot[ray])."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="--executor ray: the cluster to join "
                                              "(auto, ray://host:10001); default: start a local one."),
    resume: bool = typer.Option(True, "--resume/--no-resume", help="Skip the trials --out already records as "
                                "finished (its .trials.jsonl); --no-resume runs every trial afresh."),
    retries: int = typer.Option(2, min=0, help="Re-runs of a trial whose worker died under it."),
    snapshots: bool = typer.Option(False, help="Top-camera images before/after each attempt beside the traces, "
                                   "for `codebot view` (off by default: ~0.15 s a trial, 2 images each)."),
) -> None:
    """Run the Code-as-Policies tabletop suite (our re-implementation) and write its Table III report."""
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
        TimeRemainingColumn

    from codebot.bench.executors import EXECUTORS
    from codebot.bench.ledger import LedgerMismatchError, RunLedger
    from codebot.bench.plan import plan_jobs
    from codebot.bench.report import summarize, markdown, write_reports
    from codebot.bench.runner import run_suite

    if llm not in LLM_CHOICES:
        raise typer.BadParameter(f"--llm must be one of {', '.join(LLM_CHOICES)}")
    if executor not in EXECUTORS:
        raise typer.BadParameter(f"--executor must be one of {', '.join(EXECUTORS)}")
    if ray_address and executor != "ray":
        raise typer.BadParameter("--ray-address goes with --executor ray")
    if executor == "ray":  # before the bar: a missing extra is named at once
        from codebot.bench.ray_executor import import_ray
        from codebot.extras import MissingExtraError

        try:
            import_ray()
        except MissingExtraError as exc:
            typer.echo(f"--executor ray: {exc}", err=True)
            raise typer.Exit(2) from None
    config = BenchConfig(suite=suite, splits=tuple(split) if split else CELL_NAMES,
                         templates=tuple(template) if template else None, trials=trials, seed=seed, llm=llm,
                         llm_opts=_llm_opts(llm_opt), attempts=attempts if llm != "reference" else 1,
                         workers=workers, robot=robot, timeout_s=timeout_s, out=str(out), executor=executor,
                         ray_address=ray_address, resume=resume, max_retries=retries, snapshots=snapshots)
    try:
        jobs = plan_jobs(config)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    try:  # trials --out already holds: the bar starts there, so its ETA counts only the trials still to run
        already = RunLedger(config).finished(jobs) if resume else {}
    except LedgerMismatchError as exc:
        raise typer.BadParameter(str(exc)) from None
    console = Console(stderr=True)
    if already:
        console.print(f"resuming {out}: {len(already)} of {len(jobs)} trials already finished")
    ok = {"n": sum(bool(r.get("success")) for r in already.values())}
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=console) as progress:
        bar = progress.add_task(f"{suite} ({llm}, {executor}, {workers} worker(s))", total=len(jobs), rate="",
                                completed=len(already))

        def advance(record: dict, done: int, total: int) -> None:
            if done <= len(already):
                return  # a resumed trial, already on the bar
            ok["n"] += bool(record["success"])
            progress.update(bar, completed=done, rate=f"success {100 * ok['n'] / done:.1f} %")

        try:
            records = run_suite(config, jobs, progress=advance)
        except LedgerMismatchError as exc:
            raise typer.BadParameter(str(exc)) from None
    paths = write_reports(records, config)
    Console().print(Markdown(markdown(summarize(records, config))))
    for kind, path in paths.items():
        typer.echo(f"{kind}: {path}")
