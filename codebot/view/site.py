"""Open a directory for the viewer: a bench run directory or a trace directory (or its episodes.jsonl)."""
from __future__ import annotations

from pathlib import Path

from codebot.view.bench import load_bench
from codebot.view.load import TRACE_FILE, Site, ViewInputError, trace_episodes


def load(path: str | Path) -> Site:
    """A trace directory (or its episodes.jsonl) or a bench run directory."""
    path = Path(path)
    if path.is_file() and path.suffix == ".jsonl" and not path.name.endswith(".trials.jsonl"):
        return Site(path.parent, "traces", list(trace_episodes(path, path.parent)))
    if not path.is_dir():
        raise ViewInputError(f"{path} is not a directory (give a trace directory or a bench results directory)")
    bench = load_bench(path)
    if bench is not None:
        return bench
    trace = path / TRACE_FILE
    if trace.is_file():
        return Site(path, "traces", list(trace_episodes(trace, path)))
    raise ViewInputError(f"{path} holds neither {TRACE_FILE} (a trace directory) nor a bench run "
                         "(*.trials.jsonl or cap-tabletop-*.json)")
