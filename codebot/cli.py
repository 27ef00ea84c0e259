"""`codebot` command line: run an instruction (sim first), print the primitive API, replay a trace.
Other parts plug in lazily (`codebot bench`, `codebot vision ...`, `codebot ros NODE`), so a missing
optional module never breaks the CLI."""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="LLM-written robot programs, verified in PyBullet before they reach a robot.")


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _printer(console, quiet: bool, show_spec: bool = False):
    from rich.markup import escape
    from rich.syntax import Syntax

    from codebot.feedback import one_line

    def on_event(kind: str, payload: dict) -> None:
        if kind == "check" and show_spec and quiet:  # --show-spec prints the check even with -q
            console.print(f"Check: {one_line(payload.get('description', ''), 400)}", markup=False)
        if quiet:
            return
        if kind == "scene":
            names = ", ".join(o["name"] for o in payload["objects"])
            task = f" (task template: {payload['task']})" if payload.get("task") else ""
            console.print(f"[bold]Scene[/bold]{task}: {names}")
        elif kind == "layout":
            why = escape(one_line("; ".join(payload["why"]), 200))
            console.print(f"[bold]Layout[/bold]: seed {payload['seed']}, since on seed {payload['instead_of']}: {why}")
        elif kind == "check":
            console.print(f"[bold]Check[/bold]: {escape(one_line(payload.get('description', ''), 400))}")
        elif kind == "code":
            cand = f", candidate {payload['candidate'] + 1}" if payload["candidate"] else ""
            console.rule(f"attempt {payload['turn']}{cand}: code")
            console.print(Syntax(shown_code(payload["code"]), "python", line_numbers=True, theme="ansi_dark"))
        elif kind == "repeat":
            console.print(f"[dim]attempt {payload['turn']} repeated a program already run; sampling another[/dim]")
        elif kind == "repeat_skipped":
            console.print(f"[dim]attempt {payload['turn']} kept repeating a program already run; not run again[/dim]")
        elif kind == "feedback":
            style = "green" if payload["success"] else "yellow"
            console.rule(f"attempt {payload['turn']}: feedback", style=style)
            console.print(payload["feedback"], markup=False)
    return on_event


def shown_code(code: str) -> str:
    """A program as listed to the person: its control characters escaped line by line, so a carriage
    return or an escape sequence in the LLM's text cannot draw over the report."""
    from codebot.feedback import one_line

    return "\n".join(one_line(line, 10_000) for line in code.split("\n"))


@app.command()
def run(
    instruction: str = typer.Argument(..., help='What to do, e.g. "put the red block in the blue bowl".'),
    robot: str = typer.Option("ur5e", help="A registered robot: ur5e | panda | a plugin's (`codebot plugins`)."),
    seed: int = typer.Option(0, help="Scene layout seed."),
    llm: str = typer.Option("local", help="LLM backend: local | openai | replay"),
    attempts: int = typer.Option(3, min=1, help="Feedback/repair turns (first attempt included)."),
    candidates: int = typer.Option(1, min=1, help="Programs per turn, ranked by outcome."),
    repair_candidates: Optional[int] = typer.Option(
        None, min=1, help="Programs per repair turn (default: --candidates); the first turn writes --candidates."),
    video: Optional[Path] = typer.Option(None, help="Write a video of the final sim run (.mp4 or .gif)."),
    target: str = typer.Option("sim", help="sim | vision (ros: verify in sim, then `codebot ros`)."),
    image: Optional[Path] = typer.Option(None, help="Vision target: an image file or a directory of images."),
    topic: Optional[str] = typer.Option(None, help="Vision target: a ROS 2 image topic instead of --image."),
    vision_model: Optional[str] = typer.Option(
        None, help="Vision target: detector weights (local dir or cached hub id)."),
    out_dir: Path = typer.Option(Path("codebot_vision"), help="Vision target: where annotated images go."),
    model: Optional[str] = typer.Option(None, help="GGUF path for the local backend (default: Qwen2.5-Coder-1.5B)."),
    base_url: Optional[str] = typer.Option(None, help="OpenAI-compatible server URL (env CODEBOT_OPENAI_BASE_URL)."),
    api_key: Optional[str] = typer.Option(None, help="API key (env CODEBOT_OPENAI_API_KEY / OPENAI_API_KEY)."),
    openai_model: Optional[str] = typer.Option(None, help="Model name on the OpenAI-compatible server."),
    replay_file: Optional[Path] = typer.Option(None, help="Recorded completions for --llm replay."),
    record: bool = typer.Option(False, help="With --llm replay: record misses from the local model."),
    grammar: bool = typer.Option(False, help="Constrain the local model with a loose GBNF grammar."),
    goal: Optional[str] = typer.Option(None, help="Goal spec that decides success, e.g. 'in(red block, blue bowl)' "
                                                  "(validated against the scene before the program runs)."),
    write_goals: bool = typer.Option(False, help="When neither the phrase parser nor the LLM's restatement reads the "
                                                 "instruction, let the LLM write a goal spec in the spec language "
                                                 "(validated). Off: such runs are unchecked (its specs were wrong "
                                                 "more often than right on the tuning set)."),
    restate_goals: bool = typer.Option(True, help="Without a task template or --goal, let the LLM restate the "
                                                  "instruction in the phrase parser's wording and use the parser's "
                                                  "reading (validated, grounded, two samples agreeing)."),
    goal_in_prompt: bool = typer.Option(True, help="Show the chosen check to the program writer as a `# goal:` "
                                                   "spec line, with what its selectors pick on this scene."),
    examples: int = typer.Option(4, "--examples", min=0, max=20,
                                 help="Show the K library examples most similar to the instruction; 0: the fixed "
                                      "examples instead."),
    show_spec: bool = typer.Option(False, help="Print the check (template or goal spec) even with -q."),
    trace_dir: Path = typer.Option(Path("traces"), help="Where episode traces (JSONL) go."),
    snapshots: bool = typer.Option(True, help="Top-camera images before and after each attempt, rendered in the "
                                              "sim server, under TRACE_DIR/snapshots/ (`codebot view` shows them)."),
    timeout: float = typer.Option(60.0, help="Wall-clock limit per program run (s)."),
    call_budget: int = typer.Option(200, help="Primitive calls allowed per program run."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the verdict."),
    sandbox_test_hooks: bool = typer.Option(False, hidden=True,
                                            help="Sandbox tests only: crash helpers and a simulated Python escape."),
) -> None:
    """Write a program for INSTRUCTION, verify it in simulation, repair it from feedback."""
    from codebot.agent_factory import agent_config, build_agent, llm_options
    from codebot.targets import target_traits

    console = _console()
    traits = target_traits(target)
    target_config: dict[str, Any] = {}
    if image is not None:
        if not image.exists():
            console.print(f"[red]image {image} does not exist[/red]")
            raise typer.Exit(2)
        target_config["image"] = str(image.resolve())
    if topic:
        target_config["topic"] = topic
    if traits.annotates_images:
        target_config["output_dir"] = str(out_dir.resolve())
        if vision_model:
            target_config["models"] = {"detector": vision_model}
    if video is not None and traits.records_video:
        video = video.resolve()
        video.parent.mkdir(parents=True, exist_ok=True)
    config = agent_config(llm=llm, llm_opts=llm_options(llm, model=model, base_url=base_url, api_key=api_key,
                                                        openai_model=openai_model, record=record,
                                                        replay_file=str(replay_file) if replay_file else None),
                          robot=robot, seed=seed, attempts=attempts, candidates=candidates,
                          repair_candidates=repair_candidates, target=target,
                          target_config=target_config, trace_dir=str(trace_dir),
                          video=str(video) if video else None, snapshots=snapshots, timeout_s=timeout,
                          call_budget=call_budget,
                          grammar=grammar, test_hooks=sandbox_test_hooks, goal=goal, write_goals=write_goals,
                          restate_goals=restate_goals,
                          goal_in_prompt=goal_in_prompt, example_retrieval=examples)
    try:
        with build_agent(config, on_event=_printer(console, quiet, show_spec)) as agent:
            episode = agent.run(instruction)
            if traits.annotates_images and image is not None and image.is_dir() and episode.success:
                _run_on_other_images(agent, episode, instruction, console)
    except Exception as exc:  # missing extras, model, server: one clear line, not a traceback
        console.print(f"[red]error:[/red] {type(exc).__name__}: {exc}")
        raise typer.Exit(2)
    _print_episode(console, episode, quiet)
    if traits.annotates_images:
        console.print(f"annotated images: {out_dir.resolve()}")
    raise typer.Exit(exit_code(episode))


EXIT_VERIFIED, EXIT_FAILED, EXIT_ERROR, EXIT_UNCHECKED = 0, 1, 2, 3


def exit_code(episode) -> int:
    """0 for a success a checker verified in simulation (or a perception program that ran on the
    vision target, which has no sim to check it); 3 when nothing could check the run; else 1."""
    if episode.success:  # on the sim target the agent reports success only with a checker's verdict
        return EXIT_VERIFIED
    return EXIT_UNCHECKED if episode.check is None else EXIT_FAILED


def _run_on_other_images(agent, episode, instruction: str, console) -> None:
    """A directory: the program written (and run) for the first image runs unchanged on the rest."""
    from codebot.vision.sources import list_images

    paths = list_images(agent.config.target_config["image"])
    for index in range(1, len(paths)):
        agent.config.target_config["index"] = index
        rerun = agent.check_program(episode.code, instruction)
        result = rerun.turns[-1].result if rerun.turns else {}
        answer = result.get("result") if result.get("has_result") else rerun.verdict
        console.print(f"{paths[index].name}: {answer!r}", markup=False)


def _print_episode(console, episode, quiet: bool) -> None:
    from rich.syntax import Syntax

    if not quiet:
        console.rule("final program")
        console.print(Syntax(shown_code(episode.code), "python", line_numbers=True, theme="ansi_dark"))
    from rich.markup import escape

    from codebot.feedback import one_line

    if episode.success and episode.verdict_source in ("checker", "goal spec"):
        mark = f"[bold green]VERIFIED SUCCESS[/bold green] ({escape(episode.checker)})"
    elif episode.success:  # e.g. a perception program on the vision target: ran, nothing to check it
        mark = "[bold green]FINISHED[/bold green] (no checker on this target)"
    elif episode.check is None:
        mark = "[bold yellow]UNCHECKED[/bold yellow] (nothing can verify this instruction)"
    else:
        mark = f"[bold red]NOT VERIFIED[/bold red] ({escape(episode.checker)})"
    console.print(f"{mark} after {len(episode.turns)} attempt(s): {escape(one_line(episode.verdict, 600))}",
                  markup=True)
    t = episode.timings
    console.print(f"time: total {t.get('total_s', 0):.2f} s | LLM {t.get('llm_s', 0):.2f} s | "
                  f"sandbox {t.get('sandbox_s', 0):.2f} s | without LLM {t.get('non_llm_s', 0):.2f} s")
    if episode.video_path:
        console.print(f"video: {episode.video_path}")
    result = episode.turns[-1].result if episode.turns else {}
    if result.get("has_result"):
        console.print(f"result: {one_line(repr(result.get('result')), 2000)}", markup=False)
    if episode.trace_path:
        console.print(f"trace: {episode.trace_path}#{episode.trace_id}")


@app.command()
def primitives(groups: str = typer.Option("core", help="Comma-separated primitive groups.")) -> None:
    """Print the primitive API text the LLM sees."""
    from codebot import primitives as prims
    from codebot.primitives.registry import REGISTRY, render_api

    prims.load_all()
    wanted = tuple(g.strip() for g in groups.split(",") if g.strip())
    if set(wanted) - {spec.group for spec in REGISTRY.values()}:  # a group the core modules do not register
        try:
            import codebot.vision  # noqa: F401  (registers the vision group when installed)
        except Exception:
            pass
    typer.echo(render_api(wanted), nl=False)


@app.command()
def plugins() -> None:
    """List every registry entry (robots, envs, tasks, targets, LLM backends, perception sources, detectors,
    bench executors) with its entry point and where it came from: built in, an installed package's entry
    point, or run time."""
    from codebot.registry import registries

    for group, registry in sorted(registries().items()):
        for name in sorted(registry):
            spec = registry[name]
            dist = spec.metadata.get("distribution")
            typer.echo(f"{group:21} {name:27} {spec.entry_point}  ({spec.source}{f': {dist}' if dist else ''})")


@app.command()
def replay(
    trace: Path = typer.Argument(..., help="Trace file (episodes.jsonl), optionally FILE#EPISODE_ID."),
    index: int = typer.Option(-1, help="Which record when no id is given (default: the last)."),
    code_only: bool = typer.Option(False, help="Only re-run the recorded final program and re-check it."),
    video: Optional[Path] = typer.Option(None, help="Write a video of the re-run."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Re-run a recorded episode: the whole loop with the recorded completions (deterministic), or
    only its final program (--code-only). Exit 0 when the re-run is verified again."""
    from codebot.replay_trace import replay_episode

    console = _console()
    try:
        episode = replay_episode(str(trace), index=index, code_only=code_only,
                                 video=str(video.resolve()) if video else None,
                                 on_event=_printer(console, quiet))
    except (OSError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    _print_episode(console, episode, quiet)
    raise typer.Exit(exit_code(episode))


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def ros(ctx: typer.Context,
        node: str = typer.Argument(..., help="Node module in codebot.ros.nodes, e.g. codebot_node "
                                                  "(or a tool of codebot.ros.tools / .recording).")) -> None:
    """Run a ROS 2 node of codebot (python -m codebot.ros.nodes.NODE ARGS...)."""
    import importlib.util

    if not node.replace("_", "").isalnum():
        typer.echo(f"not a node name: {node!r}", err=True)
        raise typer.Exit(2)
    # the node entry points first, then the command-line tools (launch_xml, install_package, bag_journal)
    module = next((m for m in (f"codebot.ros.{wing}.{node}" for wing in ("nodes", "tools", "recording"))
                   if importlib.util.find_spec(m) is not None), None)
    if module is None:
        typer.echo(f"no ROS node codebot.ros.nodes.{node} (install codebot[ros])", err=True)
        raise typer.Exit(2)
    # Ctrl-C is the child's to handle (a node shuts down cleanly, `codebot ros send` cancels its goal first):
    # subprocess.call would kill it 0.25 s after a KeyboardInterrupt, so wait and forward the signal instead
    child = subprocess.Popen([sys.executable, "-m", module, *ctx.args])
    while True:
        try:
            raise typer.Exit(child.wait())
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)


def _mount_optional() -> None:
    """Commands other parts provide; each one is skipped (with a stub that explains) if it fails to load."""
    from codebot.extras import load_object

    try:
        bench = load_object("codebot.bench.cli:bench")
        app.command("bench", help=getattr(bench, "__doc__", None))(bench)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"

        @app.command("bench", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
        def bench_missing() -> None:
            """Benchmark (not available in this install)."""
            typer.echo(f"codebot bench is not available: {reason}", err=True)
            raise typer.Exit(2)
    try:  # the shared OpenAI-compatible LLM server for benchmark workers (`codebot serve-llm`)
        serve_llm = load_object("codebot.llm.serve:serve_llm")
        app.command("serve-llm", help=getattr(serve_llm, "__doc__", None))(serve_llm)
    except Exception:
        pass
    try:  # the MCP server (`codebot mcp`); without the mcp extra it explains what to install
        mcp_command = load_object("codebot.mcp.cli:mcp")
        app.command("mcp", help=getattr(mcp_command, "__doc__", None))(mcp_command)
    except Exception:
        pass
    for name in ("view", "report"):  # the episode and bench viewer; without the view extra it names it
        try:
            command = load_object(f"codebot.view.cli:{name}")
            app.command(name, help=getattr(command, "__doc__", None))(command)
        except Exception:
            pass
    try:
        vision_app = load_object("codebot.vision.cli:app")
        app.add_typer(vision_app, name="vision", help="Perception programs on vision models.")
    except Exception:
        pass


_mount_optional()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
