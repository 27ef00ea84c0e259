"""Turn job records into the results: JSON (everything, traceable to seeds and traces), CSV (one row per
trial) and a markdown table in the paper's Table III grid plus one row per template."""
from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from codebot.bench.paper import PAPER, published
from codebot.bench.plan import CELL_NAMES, BenchConfig
from codebot.bench.stats import pct_with_interval, wilson_interval

CATEGORY_TITLES = {"long_horizon": "Long-horizon", "spatial": "Spatial-geometric"}
LABEL = ("codebot re-implementation of the Code-as-Policies simulated tabletop evaluation. The paper's "
         "harness and success checkers were never published: instructions follow the paper's 14 templates "
         "and attribute splits, but scenes, physics, primitives and checkers are ours, so our numbers are "
         "not directly comparable with the paper's.")


def _pct(k: int, n: int) -> float | None:
    return round(100.0 * k / n, 1) if n else None


def _interval(k: int, n: int) -> list[float] | None:
    return [round(100 * v, 1) for v in wilson_interval(k, n)] if n else None


def _group(records: list[dict], attempts: int) -> dict:
    n = len(records)
    ok = sum(bool(r["success"]) for r in records)
    first = sum(r.get("success_at_turn") == 1 for r in records)
    repairs = [max(0, int(r.get("turns") or 0) - 1) for r in records]
    walls = [float(r.get("wall_s") or 0.0) for r in records]
    errors = sum(1 for r in records if r.get("verdict") == "benchmark infrastructure error")
    return {"trials": n, "successes": ok, "successes_at_1": first, "success_pct": _pct(ok, n),
            "success_ci95_pct": _interval(ok, n), "success_at_1_pct": _pct(first, n),
            "success_at_1_ci95_pct": _interval(first, n), f"success_at_{attempts}_pct": _pct(ok, n),
            "mean_repair_turns": round(sum(repairs) / n, 2) if n else None,
            "mean_wall_s": round(sum(walls) / n, 2) if n else None, "infrastructure_errors": errors,
            "failed_trials": [r["trial"] for r in records if not r["success"]]}


def summarize(records: list[dict], config: BenchConfig) -> dict:
    cells, templates = {}, {}
    for cell in CELL_NAMES:
        for category in ("long_horizon", "spatial"):
            group = [r for r in records if r["cell"] == cell and r["category"] == category]
            if group:
                cells[f"{cell} {category}"] = {"cell": cell, "category": category,
                                               "paper": published(cell, category),
                                               **_group(group, config.attempts)}
            for tid in sorted({r["template_id"] for r in group}):
                rows = [r for r in group if r["template_id"] == tid]
                templates[f"{cell} {tid}"] = {"cell": cell, "category": category, "template_id": tid,
                                              "template": rows[0].get("template"),
                                              **_group(rows, config.attempts)}
    return {"label": LABEL, "paper_source": PAPER, "config": config.to_dict(),
            "created_unix": time.time(), "cells": cells, "templates": templates,
            "overall": _group(records, config.attempts) if records else {}}


def markdown(summary: dict) -> str:
    cfg = summary["config"]
    attempts = cfg["attempts"]
    llm = cfg["llm"]
    lines = [f"# Code-as-Policies tabletop suite — {llm}, {attempts} attempt(s)", "", f"> {summary['label']}", "",
             f"Trials per template and cell: {cfg['trials']}; base seed {cfg['seed']}; robot {cfg['robot']}. "
             "Success is only ever the template's checker run on the simulated scene after the program.", ""]
    head = ["Category"]
    for cell in CELL_NAMES:
        head += [f"{cell} ours @1", f"{cell} ours @{attempts}", f"{cell} paper (CaP)"] if attempts > 1 else \
            [f"{cell} ours", f"{cell} paper (CaP)"]
    lines += ["## Table III grid (success %, 95 % interval)", "",
              "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for category in ("long_horizon", "spatial"):
        row = [CATEGORY_TITLES[category]]
        for cell in CELL_NAMES:
            c = summary["cells"].get(f"{cell} {category}")
            ours = [(c["successes_at_1"], c["trials"]), (c["successes"], c["trials"])] if c and attempts > 1 else \
                [(c["successes"], c["trials"]) if c else (0, 0)]
            row += [pct_with_interval(k, n) for k, n in ours]
            row.append(c["paper"] if c else published(cell, category))
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", f"Paper figures: {summary['paper_source']}, measured on the paper's own harness.", "",
              "## Per template", "",
              "| Cell | # | Template | Trials | Success % @1 | Success % @N | Mean repair turns | Mean wall s |"
              " Failed trials |", "|---|---|---|---|---|---|---|---|---|"]
    for t in summary["templates"].values():
        failed = ", ".join(map(str, t["failed_trials"][:12])) + (" …" if len(t["failed_trials"]) > 12 else "")
        lines.append(f"| {t['cell']} | {t['template_id']} | {t['template']} | {t['trials']} | "
                     f"{pct_with_interval(t['successes_at_1'], t['trials'])} | "
                     f"{pct_with_interval(t['successes'], t['trials'])} | {t['mean_repair_turns']:.2f} | "
                     f"{t['mean_wall_s']:.2f} | {failed or '–'} |")
    o = summary.get("overall") or {}
    if o:
        lines += ["", f"Overall: {o['successes']}/{o['trials']} = {pct_with_interval(o['successes'], o['trials'])} % "
                      f"(@1: {pct_with_interval(o['successes_at_1'], o['trials'])} %), "
                      f"infrastructure errors: {o['infrastructure_errors']}."]
    lines += ["", "Brackets: 95 % Wilson confidence interval of each success figure.",
              "", "@1 is the first turn of the same episodes (greedy decoding, so it equals a 1-attempt run); "
                  "@N adds sim-feedback repair turns. Every trial's seeds, instruction, verdict and trace path are "
                  "in results.json / results.csv.", ""]
    return "\n".join(lines)


CSV_FIELDS = ["cell", "category", "split", "template_id", "template", "trial", "seed", "layout_seed",
              "layouts_rejected", "instruction", "llm", "attempts", "success", "success_at_turn", "turns",
              "wall_s", "verdict", "error", "trace"]


def write_reports(records: list[dict], config: BenchConfig, out: str | Path | None = None) -> dict[str, Path]:
    out = Path(out or config.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = summarize(records, config)
    stem = f"cap-tabletop-{config.llm}-a{config.attempts}"
    paths = {"json": out / f"{stem}.json", "csv": out / f"{stem}.csv", "md": out / f"{stem}.md"}
    paths["json"].write_text(json.dumps({"summary": summary, "records": records}, indent=1, default=str))
    with paths["csv"].open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for r in records:
            writer.writerow({k: r.get(k) for k in CSV_FIELDS})
    paths["md"].write_text(markdown(summary))
    return paths
