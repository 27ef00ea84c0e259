"""`codebot view` and `codebot report` (mounted by codebot.cli from "codebot.view.cli:view" / ":report")."""
from __future__ import annotations

import time
from pathlib import Path

import typer

EPISODE_CHOICES = ("auto", "all", "failed", "none")


def _site(path: Path):
    from codebot.extras import MissingExtraError, require
    from codebot.view.load import ViewInputError
    from codebot.view.site import load

    try:
        for module in ("jinja2", "starlette", "uvicorn"):
            require(module, "view")
        return load(path)
    except (MissingExtraError, ViewInputError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def view(path: Path = typer.Argument(Path("traces"), help="A trace directory (episodes.jsonl) or a bench run "
                                     "directory (codebot bench --out DIR)."),
         port: int = typer.Option(8000, min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")) -> None:
    """Browse episodes and bench results in a local web app (127.0.0.1 only)."""
    from codebot.view.server import serve

    site = _site(path)
    typer.echo(f"{len(site.episodes)} episode(s) in {path} ({site.kind}); Ctrl-C stops the server")
    serve(path, port, on_ready=lambda url: typer.echo(f"serving on {url}", err=False))


def report(path: Path = typer.Argument(Path("traces"), help="A trace directory or a bench run directory."),
           out: Path = typer.Option(Path("report.html"), "-o", "--out", help="The HTML file to write."),
           episodes: str = typer.Option("auto", help="Whose pages to embed: all | failed | none | auto (all for "
                                        "a trace directory, failed trials for a bench run).")) -> None:
    """Write the viewer's pages as one self-contained HTML file (opens offline, images inlined)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from codebot.view.render import report as render_report

    if episodes not in EPISODE_CHOICES:
        raise typer.BadParameter(f"--episodes must be one of {', '.join(EPISODE_CHOICES)}")
    t0 = time.perf_counter()
    site = _site(path)
    choice = episodes if episodes != "auto" else ("failed" if site.kind == "bench" else "all")
    chosen = {"all": site.episodes, "none": []}.get(choice) or [e for e in site.episodes if e.success is not True]
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        bar = progress.add_task(f"report: {len(site.episodes)} episode(s), embedding {len(chosen)}",
                                total=len(chosen) + 1)
        html = render_report(site, chosen, progress=lambda n: progress.update(bar, completed=n))
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(out)
        progress.update(bar, completed=len(chosen) + 1)
    typer.echo(f"report: {out} ({out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.2f} s)")
