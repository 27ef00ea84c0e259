"""`codebot mcp`: serve codebot's tools to an MCP client over stdio (the client starts the server) or
streamable HTTP on a loopback address. Mounted by codebot.cli; also `python -m codebot.mcp`."""
from __future__ import annotations

import ipaddress
import signal
import sys
from pathlib import Path
from typing import Optional

import typer

LOOPBACK_NAMES = ("localhost",)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _colours(text: Optional[str]) -> Optional[list[str]]:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


def mcp(
    transport: str = typer.Option("stdio", help="stdio (the client starts this process) | http (streamable HTTP)."),
    target: str = typer.Option("sim", help="Where dispatch goes: sim (a persistent sim robot) | ros (a ROS 2 robot)."),
    robot: str = typer.Option("ur5e", help="ur5e | panda"),
    host: str = typer.Option("127.0.0.1", help="HTTP: loopback address to listen on."),
    port: int = typer.Option(8765, min=1, max=65535, help="HTTP: port."),
    seed: int = typer.Option(0, help="Sim robot: scene layout seed."),
    blocks: Optional[str] = typer.Option("red,green,yellow", help="Sim robot: block colours, comma-separated."),
    bowls: Optional[str] = typer.Option("blue,red", help="Sim robot: bowl colours, comma-separated."),
    namespace: str = typer.Option("", help="ROS: the robot's namespace, e.g. /robot."),
    controller: str = typer.Option("arm_controller", help="ROS: the trajectory controller's name."),
    llm: str = typer.Option("local", help="LLM for run_instruction: local | openai | replay"),
    model: Optional[str] = typer.Option(None, help="GGUF path for the local backend."),
    base_url: Optional[str] = typer.Option(None, help="OpenAI-compatible server URL."),
    api_key: Optional[str] = typer.Option(None, help="API key for --llm openai."),
    openai_model: Optional[str] = typer.Option(None, help="Model name on the OpenAI-compatible server."),
    replay_file: Optional[Path] = typer.Option(None, help="Recorded completions for --llm replay."),
    max_attempts: int = typer.Option(5, min=1, max=10, help="Most repair turns a run_instruction may ask for."),
    timeout: float = typer.Option(60.0, help="Wall-clock limit per sandboxed sim run (s)."),
    call_budget: int = typer.Option(200, help="Primitive calls allowed per program run."),
    work_dir: Path = typer.Option(Path("runs/mcp"), help="Traces, twin state and videos go here."),
) -> None:
    """Serve codebot over the Model Context Protocol: an outside agent checks programs in the sim twin
    and dispatches only what a checker verified."""
    if transport not in ("stdio", "http"):
        typer.echo(f"--transport must be stdio or http, got {transport!r}", err=True)
        raise typer.Exit(2)
    from codebot.targets import TARGETS, target_traits

    if not target_traits(target).mcp_robot:
        robots = " or ".join(name for name in TARGETS if target_traits(name).mcp_robot)
        typer.echo(f"--target must be {robots}, got {target!r}", err=True)
        raise typer.Exit(2)
    if transport == "http" and not _is_loopback(host):
        typer.echo(f"--host {host} is not a loopback address: this server moves a robot and has no "
                   "authentication, so it listens on loopback only (127.0.0.1, ::1, localhost)", err=True)
        raise typer.Exit(2)
    from codebot.agent_factory import llm_options
    from codebot.extras import MissingExtraError

    try:
        from codebot.mcp.server import build_server
    except MissingExtraError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    from codebot.mcp.session import GateSession, ServerConfig

    scene = {"blocks": _colours(blocks) or [], "bowls": _colours(bowls) or []} if (blocks or bowls) else None
    config = ServerConfig(target=target, robot=robot, seed=seed, scene=scene, llm=llm,
                          llm_opts=llm_options(llm, model=model, base_url=base_url, api_key=api_key,
                                               openai_model=openai_model, record=False,
                                               replay_file=str(replay_file) if replay_file else None),
                          max_attempts=max_attempts, timeout_s=timeout, call_budget=call_budget,
                          work_dir=str(work_dir), namespace=namespace, controller=controller)

    def _terminate(signum, frame):  # close the sandbox workers on SIGTERM too
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _terminate)
    session = GateSession(config)
    try:
        session.agent()  # start the twin's sandbox workers now, while the client connects
        server = build_server(session)
        if transport == "stdio":
            server.run("stdio")
        else:
            print(f"codebot mcp: streamable HTTP on http://{host}:{port}/mcp", file=sys.stderr, flush=True)
            server.run("streamable-http", host=host, port=port)
    except KeyboardInterrupt:
        pass
    finally:
        session.close()


def main() -> None:
    app = typer.Typer(add_completion=False)
    app.command()(mcp)
    app()


if __name__ == "__main__":
    main()
