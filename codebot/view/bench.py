"""A bench run directory (`codebot bench --out DIR`) as the viewer's Site: its trials as episodes, its
summary (recomputed from the trials when only the ledger is there), and per trial the page of its
trace (a reference trial's own JSON file, or an agent trial's record in the run's episodes.jsonl)."""
from __future__ import annotations

import json
from pathlib import Path

from codebot.view.load import (Episode, Site, agent_detail, clip, number, read_lines, safe_key, text,
                               turn_detail, check_words, template_words)


def load_bench(root: Path) -> Site | None:
    """None when `root` holds no bench run."""
    reports = sorted(p for p in root.glob("cap-tabletop-*.json") if p.is_file())
    ledgers = sorted(p for p in root.glob("*.trials.jsonl") if p.is_file())
    if not reports and not ledgers:
        return None
    summary, records = None, None
    if reports:  # the newest report of the run (codebot.bench.report.write_reports)
        report = max(reports, key=lambda p: p.stat().st_mtime)
        try:
            data = json.loads(report.read_text(encoding="utf-8", errors="replace"))
            summary, records = data.get("summary"), data.get("records")
        except (json.JSONDecodeError, AttributeError):
            summary, records = None, None
    if not isinstance(records, list):
        ledger = max(ledgers, key=lambda p: p.stat().st_mtime) if ledgers else None
        records, head = ledger_records(ledger) if ledger else ([], {})
        summary = summarize(records, head)
    records = [r for r in records if isinstance(r, dict)]
    episodes = [trial_row(r, root) for r in records]
    return Site(root, "bench", episodes, {"summary": summary if isinstance(summary, dict) else {},
                                          "records": records})


def ledger_records(path: Path) -> tuple[list[dict], dict]:
    """The ledger's trials (last one per key wins) and its fingerprint."""
    head, by_key = {}, {}
    for n, line, _problem in read_lines(path):
        if line is None:
            continue
        if "ledger" in line:
            head = line.get("fingerprint") or {}
        elif isinstance(line.get("record"), dict):
            by_key[json.dumps(line.get("key"))] = line["record"]
    return list(by_key.values()), head if isinstance(head, dict) else {}


def summarize(records: list[dict], fingerprint: dict) -> dict:
    from codebot.bench.plan import BenchConfig
    from codebot.bench.report import summarize as bench_summary

    usable = [r for r in records if all(k in r for k in ("cell", "category", "template_id", "trial", "success"))]
    attempts = max([int(r.get("attempts") or 1) for r in usable] or [1])
    config = BenchConfig(llm=str(fingerprint.get("llm", "?")), attempts=attempts,
                         robot=str(fingerprint.get("robot", "?")), seed=int(fingerprint.get("seed") or 0),
                         trials=max([int(r["trial"]) + 1 for r in usable] or [0]))
    return bench_summary(usable, config)


def trial_key(record: dict) -> str:
    cell = str(record.get("cell", "")).replace("/", "")
    try:
        return safe_key(f"{cell}-t{int(record.get('template_id')):02d}-{int(record.get('trial')):03d}", "trial")
    except (TypeError, ValueError):
        return safe_key(None, "trial")


def trial_row(record: dict, root: Path) -> Episode:
    success = record.get("success")
    return Episode(trial_key(record), text(record, "instruction", "(no instruction)"),
                   success if isinstance(success, bool) else None, text(record, "verdict"),
                   "checker" if record.get("verdict") and not record.get("error") else "unchecked",
                   int(record.get("turns") or 0) if isinstance(record.get("turns"), int) else 0,
                   number(record.get("wall_s")), "", text(record, "template"), cell=text(record, "cell"),
                   loader=lambda: trial_detail(record, root))


def local_trace(root: Path, named) -> Path | None:
    """A trace path a record names, found inside the run directory (the run may have been moved)."""
    if not isinstance(named, str) or not named:
        return None
    base = root.resolve()
    path = Path(named)
    for candidate in ([path] if not path.is_absolute() else []) + [path, Path("traces") / path.name,
                                                                       Path(path.name)]:
        full = (base / candidate).resolve() if not candidate.is_absolute() else candidate.resolve()
        if full.is_relative_to(base) and full.is_file():
            return full
    return None


def trial_detail(record: dict, root: Path) -> dict:
    trace = local_trace(root, record.get("trace"))
    if trace is not None and trace.suffix == ".jsonl":  # an agent trial: its record in the run's trace file
        wanted = record.get("trace_id")
        for _n, rec, _problem in read_lines(trace):
            if rec is not None and rec.get("id") == wanted:
                return {**agent_detail(rec, trace.parent), "trial": trial_facts(record)}
        return {**reference_detail(record, None, root), "problem": f"trace {wanted!r} not found in {trace.name}"}
    data = None
    if trace is not None:
        data = json.loads(trace.read_text(encoding="utf-8", errors="replace"))
    return reference_detail(record, data if isinstance(data, dict) else None, root,
                            None if trace is not None else "this trial's trace file is not in the run directory")


def reference_detail(record: dict, trace: dict | None, root: Path, problem: str | None = None) -> dict:
    """A reference-policy trial: one attempt, its program, the server's run result, the template's checker."""
    trace = trace or {}
    result = trace.get("result") if isinstance(trace.get("result"), dict) else {}
    turn = turn_detail({"turn": 1, "success": record.get("success") is True, "code": trace.get("code"),
                        "result": result, "feedback": ""}, (root / "traces") if (root / "traces").is_dir() else root)
    check = {"kind": "template", "template_id": record.get("template_id"), "params": record.get("params")}
    return {"instruction": text(record, "instruction", "(no instruction)"), "success": record.get("success") is True,
            "verdict": text(record, "verdict"), "verdict_source": "checker" if not record.get("error") else "none",
            "checker": f"template checker ({text(record, 'template')})", "check": check_words(check)
            if record.get("template_id") is not None else template_words("?", None),
            "task": text(record, "template"), "error": text(record, "error"), "when": "",
            "timings": {"wall_s": record["wall_s"]} if number(record.get("wall_s")) is not None else {},
            "turns": [turn] if trace else [], "video": None, "video_named": False, "problem": problem,
            "trial": trial_facts(record)}


def trial_facts(record: dict) -> dict:
    return {k: clip(json.dumps(record.get(k), default=str), 300) for k in
            ("cell", "template_id", "template", "trial", "seed", "layout_seed", "layouts_rejected") if k in record}
