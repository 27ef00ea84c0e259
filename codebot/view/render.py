"""HTML of the viewer's pages (Jinja2, autoescape on: every instruction, program, verdict and log line is
text, never markup). The same templates serve `codebot view` (one page per request, images by URL) and
`codebot report` (one self-contained file: every page a section, images inlined as data URIs)."""
from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from codebot.extras import require
from codebot.view.load import Episode, Site

MAX_INLINE_BYTES = 2 * 2**20  # an image or video larger than this is named, not inlined into the report
_MEDIA_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}
FILTER_SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("filters");
  if (!form) { return; }
  function apply(event) {
    if (event) { event.preventDefault(); }
    var outcome = form.elements.outcome.value, template = form.elements.template.value;
    document.querySelectorAll("tr.episode").forEach(function (row) {
      var show = (!outcome || row.dataset.outcome === outcome) && (!template || row.dataset.template === template);
      row.hidden = !show;
    });
  }
  form.addEventListener("submit", apply);
  form.addEventListener("change", apply);
});
"""


def environment():
    jinja2 = require("jinja2", "view")
    env = jinja2.Environment(loader=jinja2.PackageLoader("codebot.view", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["outcome"] = outcome
    return env


def outcome(success) -> str:
    return "success" if success is True else "failure" if success is False else "unknown"


def filtered(episodes: list[Episode], outcome_wanted: str = "", template: str = "") -> list[Episode]:
    return [e for e in episodes if (not outcome_wanted or outcome(e.success) == outcome_wanted)
            and (not template or e.template == template)]


def templates_of(site: Site) -> list[str]:
    return sorted({e.template for e in site.episodes if e.template})


def bench_context(site: Site) -> dict | None:
    """The bench page's figures and plots (None for a trace directory)."""
    if site.bench is None:
        return None
    from codebot.view import plots

    summary = site.bench.get("summary") or {}
    config = summary.get("config") if isinstance(summary.get("config"), dict) else {}
    attempts = int(config.get("attempts") or 1)
    records = site.bench.get("records") or []
    walls = [r.get("wall_s") for r in records]
    failed = [e for e in site.episodes if e.success is not True]
    return {"summary": summary, "config": config, "attempts": attempts, "failed": failed,
            "cells": [c for c in (summary.get("cells") or {}).values() if isinstance(c, dict)],
            "templates": [t for t in (summary.get("templates") or {}).values() if isinstance(t, dict)],
            "overall": summary.get("overall") if isinstance(summary.get("overall"), dict) else {},
            "plot_templates": plots.template_success(summary.get("templates") or {}, attempts),
            "plot_cells": plots.cell_success(summary.get("cells") or {}, attempts),
            "plot_walls": plots.histogram(walls, "wall time per trial")}


# ------------------------------------------------------------------------------------------ the server's
def server_media(site: Site) -> Callable[[str | None], str | None]:
    base = site.root.resolve()

    def media(path: str | None) -> str | None:
        if not path:
            return None
        try:
            return "/files/" + quote(Path(path).relative_to(base).as_posix())
        except ValueError:
            return None
    return media


def server_link(kind: str, key: str = "") -> str:
    return {"list": "/", "bench": "/bench"}.get(kind) or f"/episode/{quote(key, safe='')}"


def page(site: Site, which: str, key: str = "", outcome_wanted: str = "", template: str = "") -> str | None:
    """One page of `codebot view`: "list", "episode" (None for an unknown key) or "bench"."""
    env = environment()
    ctx = {"site": site, "link": server_link, "media": server_media(site), "page": which, "title": "codebot episodes",
           "report": False, "script_hash": ""}
    if which == "episode":
        episode = site.find(key)
        if episode is None:
            return None
        ctx.update(episode=episode, detail=episode.detail(), title=f"episode {episode.key}")
    elif which == "bench":
        ctx.update(bench=bench_context(site), title="codebot bench")
    else:
        ctx.update(episodes=filtered(site.episodes, outcome_wanted, template), templates=templates_of(site),
                   outcome_wanted=outcome_wanted, template=template)
    return env.get_template("page.html").render(**ctx)


# ------------------------------------------------------------------------------------------ the report's
def inline_media(path: str | None) -> str | None:
    """A data URI of an image or video file (small ones only; the caller shows a note otherwise)."""
    if not path:
        return None
    try:
        file = Path(path)
        if file.stat().st_size > MAX_INLINE_BYTES:
            return None
        data = file.read_bytes()
    except OSError:
        return None
    kind = next((t for magic, t in _MEDIA_TYPES.items() if data.startswith(magic)), None)
    if kind is None and file.suffix.lower() == ".mp4":
        kind = "video/mp4"
    if kind is None:
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def report_link(kind: str, key: str = "") -> str:
    return {"list": "#list", "bench": "#bench"}.get(kind) or f"#ep-{quote(key, safe='')}"


def report(site: Site, episodes: list[Episode], progress: Callable[[int], None] | None = None) -> str:
    """The whole site as one HTML file; `episodes` are those whose pages it embeds (the list shows all)."""
    env = environment()
    pages = []
    for n, episode in enumerate(episodes, 1):
        pages.append((episode, episode.detail()))
        if progress:
            progress(n)
    embedded = {e.key for e, _ in pages}
    script_hash = base64.b64encode(hashlib.sha256(FILTER_SCRIPT.encode()).digest()).decode()
    return env.get_template("report.html").render(
        site=site, link=report_link, media=inline_media, report=True, pages=pages, embedded=embedded,
        episodes=site.episodes, templates=templates_of(site), outcome_wanted="", template="",
        bench=bench_context(site), title=f"codebot report: {site.root.name}", filter_script=FILTER_SCRIPT,
        script_hash=script_hash, page="report")
