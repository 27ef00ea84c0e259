"""What the viewer shows, read from a trace directory (`traces/episodes.jsonl` and its `snapshots/`) or a
bench run directory (`results/DIR`: the report JSON or the trial ledger, and the per-trial traces).

Every file here is untrusted input (an LLM wrote the programs, a run may have died mid-write): a line
that does not parse becomes a placeholder episode saying so, a field of the wrong type is shown as
missing, over-long text is cut with a note, and a path a record names is used only if it stays inside
the served directory. Nothing here renders HTML; the templates escape every value."""
from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

TRACE_FILE = "episodes.jsonl"
MAX_PROGRAM_LINES = 2000
MAX_LINE_CHARS = 400
MAX_TEXT = 20_000
MAX_CALLS_SHOWN = 500
_KEY_OK = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")


class ViewInputError(ValueError):
    """The path is neither a trace directory nor a bench run directory (the message says what it is)."""


@dataclass
class Episode:
    """One row of the episode list; `detail()` reads the rest (the episode page) when it is shown."""
    key: str
    instruction: str
    success: bool | None  # None: unknown (a broken record)
    verdict: str
    verdict_source: str
    attempts: int
    total_s: float | None
    when: str
    template: str
    problem: str | None = None  # why the record could not be read
    cell: str = ""
    loader: Callable[[], dict] | None = field(default=None, repr=False)

    def detail(self) -> dict:
        if self.loader is None:
            return {"problem": self.problem or "no record"}
        try:
            return self.loader()
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            return {"problem": f"the trace of this episode could not be read: {type(exc).__name__}: {clip(exc, 300)}"}


@dataclass
class Site:
    root: Path
    kind: str  # "traces" | "bench"
    episodes: list[Episode]
    bench: dict | None = None  # {"summary": ..., "records": [...]} for a bench run

    def find(self, key: str) -> Episode | None:
        return next((e for e in self.episodes if e.key == key), None)


# ------------------------------------------------------------------------------------------- helpers
def clip(value: Any, limit: int = MAX_TEXT) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + f" … [cut: {len(text) - limit} more characters]"


def text(d: dict, name: str, default: str = "") -> str:
    value = d.get(name)
    return clip(value) if isinstance(value, str) else default


def number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def inside(root: Path, relative: Any) -> Path | None:
    """`root/relative` if that names an existing file inside `root`, else None (absolute paths, `..` and
    links out of the directory are refused)."""
    if not isinstance(relative, str) or not relative or "\x00" in relative:
        return None
    try:
        base = root.resolve()
        path = (base / relative).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return path if path.is_relative_to(base) and path.is_file() else None


def safe_key(raw: Any, fallback: str) -> str:
    return raw if isinstance(raw, str) and _KEY_OK.match(raw) else fallback


def when(stamp: Any) -> str:
    t = number(stamp)
    if t is None:
        return ""
    try:
        return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return ""


# ------------------------------------------------------------------------------------------- loading
def read_lines(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, record or None, problem or None) per non-empty line; a bad line does not stop it."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, None, f"line {n} of {path.name} is not a trace record ({exc.msg})"
                continue
            if not isinstance(record, dict):
                yield n, None, f"line {n} of {path.name} is not a trace record (not a JSON object)"
                continue
            yield n, record, None


def trace_episodes(path: Path, root: Path) -> Iterator[Episode]:
    seen: set[str] = set()
    for n, record, problem in read_lines(path):
        key = safe_key(record.get("id") if record else None, f"line{n}")
        if key in seen:
            key = f"{key}-line{n}"
        seen.add(key)
        if record is None:
            yield Episode(key, "(unreadable record)", None, problem or "", "unreadable", 0, None, "", "",
                          problem=problem)
            continue
        yield episode_row(key, record, root)


def episode_row(key: str, record: dict, root: Path, cell: str = "") -> Episode:
    turns = record.get("turns") if isinstance(record.get("turns"), list) else []
    timings = record.get("timings") if isinstance(record.get("timings"), dict) else {}
    success = record.get("success")
    return Episode(key, text(record, "instruction", "(no instruction)"),
                   success if isinstance(success, bool) else None, text(record, "verdict"),
                   text(record, "verdict_source", "unchecked"), len(turns), number(timings.get("total_s")),
                   when(record.get("time")), text(record, "task"), cell=cell,
                   loader=lambda: agent_detail(record, root))


# ------------------------------------------------------------------------------------------- one page
def agent_detail(record: dict, root: Path) -> dict:
    """The episode page of an agent trace record (codebot.agent_result.trace_record)."""
    turns = [turn_detail(t, root) for t in record.get("turns") or [] if isinstance(t, dict)]
    video = record.get("video_path")
    return {"instruction": text(record, "instruction", "(no instruction)"), "success": record.get("success") is True,
            "verdict": text(record, "verdict"), "verdict_source": text(record, "verdict_source", "unchecked"),
            "checker": text(record, "checker", "none"), "check": check_words(record.get("check")),
            "task": text(record, "task"), "error": text(record, "error"), "when": when(record.get("time")),
            "timings": {k: v for k, v in (record.get("timings") or {}).items() if number(v) is not None},
            "turns": turns, "video": relative_media(root, video), "video_named": isinstance(video, str) and bool(video)}


def turn_detail(turn: dict, root: Path) -> dict:
    result = turn.get("result") if isinstance(turn.get("result"), dict) else {}
    error = result.get("error") if isinstance(result.get("error"), dict) else None
    shots = result.get("snapshots") if isinstance(result.get("snapshots"), dict) else {}
    calls = [c for c in result.get("call_log") or [] if isinstance(c, dict)]
    return {"turn": turn.get("turn") if isinstance(turn.get("turn"), int) else "?",
            "success": turn.get("success") is True,
            "program": program_lines(turn.get("code"), error.get("line") if error else None),
            "error": error_words(error), "feedback": text(turn, "feedback"),
            "calls": [call_words(c) for c in calls[:MAX_CALLS_SHOWN]],
            "calls_cut": max(0, len(calls) - MAX_CALLS_SHOWN),
            "safety": [clip(v, 500) for v in result.get("safety_violations") or [] if isinstance(v, str)],
            "said": [clip(v, 500) for v in result.get("said") or [] if isinstance(v, str)],
            "images": {which: image_ref(root, shots, which) for which in ("before", "after")}}


def image_ref(root: Path, shots: dict, which: str) -> dict:
    """{path (absolute, inside root) | None, note}: what the page shows for one snapshot."""
    named = shots.get(which)
    path = inside(root, named)
    if path is not None:
        return {"path": str(path), "note": ""}
    if isinstance(shots.get(f"{which}_error"), str):
        return {"path": None, "note": f"not rendered: {clip(shots[f'{which}_error'], 200)}"}
    if named:
        return {"path": None, "note": "image missing (it is not in this directory)"}
    return {"path": None, "note": "no image recorded (snapshots were off)"}


def relative_media(root: Path, named: Any) -> str | None:
    if not isinstance(named, str) or not named:
        return None
    base = root.resolve()
    candidate = Path(named)
    if candidate.is_absolute():
        try:
            named = candidate.resolve().relative_to(base).as_posix()
        except ValueError:
            return None
    path = inside(root, named)
    return str(path) if path else None


def program_lines(code: Any, failing: Any) -> dict:
    code = code if isinstance(code, str) else ""
    lines = code.split("\n")
    shown = [{"n": i, "text": clip(line, MAX_LINE_CHARS), "failing": i == failing}
             for i, line in enumerate(lines[:MAX_PROGRAM_LINES], 1)]
    return {"lines": shown, "cut": max(0, len(lines) - MAX_PROGRAM_LINES), "empty": not code.strip()}


def error_words(error: dict | None) -> str:
    if not error:
        return ""
    line = f" (line {error['line']})" if isinstance(error.get("line"), int) else ""
    return clip(f"{error.get('type', 'Error')}{line}: {error.get('message', '')}", 2000)


def call_words(call: dict) -> dict:
    args = ", ".join([json.dumps(a, default=str)[:200] for a in call.get("args") or []] +
                     [f"{k}={json.dumps(v, default=str)[:200]}" for k, v in (call.get("kwargs") or {}).items()])
    error = call.get("error") if isinstance(call.get("error"), dict) else None
    outcome = (f"{error.get('type', 'Error')}: {error.get('message', '')}" if error
               else json.dumps(call.get("result"), default=str))
    return {"call": clip(f"{call.get('name', '?')}({args})", 600), "outcome": clip(outcome, 600),
            "failed": error is not None, "t": number(call.get("t"))}


def check_words(check: Any) -> str:
    """The check in words: a template's checker and what its Success section demands, or the goal spec."""
    if not isinstance(check, dict):
        return "nothing checked this episode (no template matched and no goal spec was valid)"
    if check.get("kind") == "goal":
        return clip(f"{check.get('provenance') or 'goal spec'}: {check.get('spec', '')}", 2000)
    if check.get("kind") == "template":
        return template_words(check.get("template_id"), check.get("params"))
    return clip(f"unknown check: {json.dumps(check, default=str)}", 500)


def template_words(template_id: Any, params: Any) -> str:
    name, success = f"template {template_id}", ""
    try:
        from codebot.checks.tasks import get_task

        task = get_task(int(template_id))
        name = f"template checker #{template_id} ({task.name})"
        doc = task.__class__.__doc__ or ""
        success = " ".join(doc.split("Success:", 1)[1].split()) if "Success:" in doc else ""
    except Exception:  # an unknown id in an old trace: say which
        pass
    shown = ", ".join(f"{k}={v}" for k, v in params.items()) if isinstance(params, dict) else ""
    return clip(f"{name}" + (f" with {shown}" if shown else "") + (f". Success: {success}" if success else ""), 2000)
