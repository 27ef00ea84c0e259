"""The bench page's plots as hand-written SVG, drawn on the server: a dot plot of success rates with their
95 % Wilson intervals (per template and cell at @1 and @N; per cell beside the paper's figure) and a
histogram of trial wall times. Hand-written rather than matplotlib: three simple chart types do not need
a 40 MB dependency whose import alone costs about a second of the report's 10 s budget, and the SVG stays
a few kB inline in the page. Every label is escaped; only numbers go into attributes."""
from __future__ import annotations

import math

from markupsafe import Markup, escape

from codebot.bench.stats import wilson_interval

ROW_H = 16
LEFT = 250
PLOT_W = 420
AT1, ATN, PAPER = "#8a8a8a", "#1f5fbf", "#d0641a"


def _x(pct: float) -> float:
    return LEFT + PLOT_W * max(0.0, min(100.0, pct)) / 100.0


def _axis(height: float) -> list[str]:
    out = []
    for pct in range(0, 101, 20):
        x = _x(pct)
        out.append(f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 18:.1f}" stroke="#ddd"/>'
                   f'<text x="{x:.1f}" y="{height - 4:.1f}" font-size="10" text-anchor="middle">{pct}%</text>')
    return out


def _interval(y: float, k: int, n: int, colour: str, filled: bool, title: str) -> str:
    lo, hi = (100 * v for v in wilson_interval(k, n))
    pct = 100.0 * k / n if n else 0.0
    fill = colour if filled else "white"
    return (f'<g><title>{escape(title)}: {k}/{n} = {pct:.1f} % [{lo:.1f}–{hi:.1f}]</title>'
            f'<line x1="{_x(lo):.1f}" y1="{y:.1f}" x2="{_x(hi):.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="2"/>'
            f'<circle cx="{_x(pct):.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{colour}" stroke-width="1.5"/></g>')


def _legend(items: list[tuple[str, str, bool]]) -> str:
    out, x = [], LEFT
    for label, colour, filled in items:
        out.append(f'<circle cx="{x + 5}" cy="9" r="4" fill="{colour if filled else "white"}" stroke="{colour}"/>'
                   f'<text x="{x + 13}" y="13" font-size="11">{escape(label)}</text>')
        x += 20 + 7 * len(label)
    return "".join(out)


def _svg(height: float, body: list[str], label: str) -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
                  f'width="{LEFT + PLOT_W + 20}" height="{height:.0f}" font-family="sans-serif">'
                  + "".join(body) + "</svg>")


def template_success(templates: dict, attempts: int) -> Markup:
    """One row per (cell, template): success @1 (hollow) and @N (filled), each with its interval."""
    rows = [t for t in templates.values() if isinstance(t, dict) and int(t.get("trials") or 0) > 0]
    height = 40 + ROW_H * len(rows) + 20
    legend = [("@1", AT1, False), (f"@{attempts}", ATN, True)] if attempts > 1 else [("success", ATN, True)]
    body = [_legend(legend), *_axis(height)]
    for i, t in enumerate(rows):
        y = 30 + ROW_H * i + ROW_H / 2
        name = f"{t.get('cell', '')} #{t.get('template_id', '')} {t.get('template') or ''}"
        n = int(t["trials"])
        body.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{escape(name)}</text>')
        if attempts > 1:
            body.append(_interval(y - 3, int(t.get("successes_at_1") or 0), n, AT1, False, f"{name} @1"))
        body.append(_interval(y + (3 if attempts > 1 else 0), int(t.get("successes") or 0), n, ATN, True,
                              f"{name} @{attempts}"))
    return _svg(height, body, "success per template and cell with 95 % Wilson intervals")


def cell_success(cells: dict, attempts: int) -> Markup:
    """Per cell and category: ours @N with its interval, and the paper's published figure (a diamond)."""
    rows = [c for c in cells.values() if isinstance(c, dict) and int(c.get("trials") or 0) > 0]
    height = 40 + 2 * ROW_H * len(rows) + 20
    body = [_legend([(f"ours @{attempts}", ATN, True), ("paper (CaP)", PAPER, True)]), *_axis(height)]
    for i, c in enumerate(rows):
        y = 30 + 2 * ROW_H * i + ROW_H
        name = f"{c.get('cell', '')} {str(c.get('category', '')).replace('_', '-')}"
        body.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{escape(name)}</text>')
        body.append(_interval(y - 4, int(c.get("successes") or 0), int(c["trials"]), ATN, True, f"{name} ours"))
        try:
            paper = float(c.get("paper"))
        except (TypeError, ValueError):
            continue
        x, yp = _x(paper), y + 6
        body.append(f'<g><title>{escape(name)} paper: {paper:.1f} %</title><path d="M{x:.1f} {yp - 5:.1f} '
                    f'L{x + 5:.1f} {yp:.1f} L{x:.1f} {yp + 5:.1f} L{x - 5:.1f} {yp:.1f} Z" fill="{PAPER}"/></g>')
    return _svg(height, body, "success per cell: ours beside the paper's figures")


def histogram(values: list[float], label: str, bins: int = 30) -> Markup:
    """Counts of `values` in equal-width bins from 0 to the largest value."""
    values = [v for v in values if isinstance(v, (int, float)) and math.isfinite(v) and v >= 0]
    height = 180
    if not values:
        return _svg(40, ['<text x="10" y="24" font-size="12">no wall times recorded</text>'], label)
    top = max(values) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int(bins * v / top))] += 1
    peak = max(counts)
    width = (PLOT_W + LEFT - 60) / bins
    body = [f'<text x="10" y="14" font-size="11">{escape(label)}: {len(values)} trials, median '
            f'{sorted(values)[len(values) // 2]:.2f} s, max {top:.2f} s</text>']
    for i, count in enumerate(counts):
        h = (height - 60) * count / peak
        x = 40 + i * width
        body.append(f'<rect x="{x:.1f}" y="{height - 30 - h:.1f}" width="{width - 1:.1f}" height="{h:.1f}" '
                    f'fill="{ATN}"><title>{i * top / bins:.2f}–{(i + 1) * top / bins:.2f} s: {count}</title></rect>')
    for frac in (0, 0.5, 1):
        body.append(f'<text x="{40 + frac * bins * width:.1f}" y="{height - 14}" font-size="10" '
                    f'text-anchor="middle">{frac * top:.2f} s</text>')
    body.append(f'<text x="34" y="{height - 30 - (height - 60) + 4}" font-size="10" text-anchor="end">{peak}</text>')
    return _svg(height, body, label)
