"""The viewer in a real headless Chromium: the episode page of a real replayed run (through the real sim
server) shows its programs with the failing line marked, the verdict and the before/after images; a
trace an attacker wrote renders its <script> as text (no injected script runs, in the served page or
the report file); the bench page of a real bench run (with --snapshots) draws its plots and its trials' images."""
from __future__ import annotations

import html
import json
import re
import struct
import urllib.request

import pytest
from view_helpers import FIRST_PROGRAM, REPAIR, browser, codebot, view_server

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(1800)]  # a first apt install
MARK = "XY" + "ZQ"  # what an injected script would write into the DOM; never in any source text
INJECTED = ("<script>document.body.dataset.p='XY'+'ZQ'</script>"
            "<img src=x onerror=\"document.body.dataset.q='XY'+'ZQ'\">")


def text_of(dom: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", dom))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_episode_page_of_a_replayed_run(replayed_run, chromium):
    traces, record = replayed_run
    with view_server(traces) as url:
        dom = browser(chromium, "--dump-dom", f"{url}episode/{record['id']}")
        listing = browser(chromium, "--dump-dom", f"{url}?outcome=success")
        failures = browser(chromium, "--dump-dom", f"{url}?outcome=failure")
        images = re.findall(r'<img src="(/files/[^"]+)"', dom)
        fetched = [urllib.request.urlopen(url.rstrip("/") + src, timeout=30).read() for src in images]
    text = text_of(dom)
    assert "put the red block in the blue bowl" in text
    assert REPAIR in text and FIRST_PROGRAM.splitlines()[1] in text  # both attempts' programs
    assert re.search(r'id="verdict"><span class="success">success</span>', dom), dom[:3000]
    assert "template checker (pick_place)" in text
    failing = re.findall(r'<span class="line failing"><span class="n">(\d+)</span>([^<]*)</span>', dom)
    assert [(n, html.unescape(t)) for n, t in failing] == [("2", FIRST_PROGRAM.splitlines()[1])]
    assert "put_first_on_second(" in text and "Feedback" in text and "Result of attempt 1" in text
    assert len(images) == 4 and all(src.endswith(("_before.png", "_after.png")) for src in images)
    assert all(png_size(data) == (256, 192) for data in fetched)
    assert record["id"] in listing and record["id"] not in failures


def test_report_file_opens_offline_with_the_images_inlined(replayed_run, chromium, tmp_path):
    traces, record = replayed_run
    out = tmp_path / "report.html"
    done = codebot("report", str(traces), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    dom = browser(chromium, "--dump-dom", f"{out.as_uri()}#ep-{record['id']}")
    section = dom.split(f'id="ep-{record["id"]}">', 1)[1].split("</section>", 1)[0]
    assert len(re.findall(r'<img src="data:image/png;base64,', section)) == 4
    assert REPAIR in text_of(section) and "http://" not in out.read_text()  # nothing fetched from anywhere


def hostile_trace(root) -> str:
    """A trace record as an attacker could write it (the LLM wrote the program and can echo the instruction)."""
    root.mkdir(parents=True, exist_ok=True)
    record = {"id": "evil-1", "time": 1.7e9, "instruction": f"put {INJECTED} away", "success": False,
              "verdict": INJECTED, "verdict_source": "checker", "checker": INJECTED, "task": INJECTED,
              "check": {"kind": "goal", "spec": INJECTED, "provenance": INJECTED},
              "turns": [{"turn": 1, "code": f"say('{INJECTED}')\n{INJECTED}", "feedback": INJECTED, "success": False,
                         "result": {"error": {"type": INJECTED, "message": INJECTED, "line": 2},
                                    "call_log": [{"name": INJECTED, "args": [INJECTED], "result": INJECTED}],
                                    "safety_violations": [INJECTED], "said": [INJECTED],
                                    "snapshots": {"before": "../../../../etc/passwd", "after": "/etc/hostname"}}}],
              "timings": {"total_s": 1.0}, "video_path": "../../../etc/shadow"}
    (root / "episodes.jsonl").write_text(json.dumps(record) + "\n")
    return record["id"]


def test_script_in_a_trace_renders_as_text_not_code(chromium, tmp_path):
    control = tmp_path / "control.html"  # the check itself works: a script that does run leaves its mark
    control.write_text("<html><body><script>document.body.dataset.p='XY'+'ZQ'</script></body></html>")
    assert MARK in browser(chromium, "--dump-dom", control.as_uri())

    traces = tmp_path / "evil"
    key = hostile_trace(traces)
    report = tmp_path / "evil.html"
    assert codebot("report", str(traces), "-o", str(report)).returncode == 0
    with view_server(traces) as url:
        pages = {"page": browser(chromium, "--dump-dom", f"{url}episode/{key}"),
                 "list": browser(chromium, "--dump-dom", url)}
    pages["report"] = browser(chromium, "--dump-dom", f"{report.as_uri()}#ep-{key}")
    for name, dom in pages.items():
        assert MARK not in dom, f"an injected script ran in the {name}"
        assert "put <script>document.body.dataset.p" in text_of(dom), f"the instruction is not shown as text ({name})"
        assert not re.search(r'<img[^>]*src="x"', dom), f"the injected image became an element ({name})"
        assert "<video" not in dom and not re.search(r'<img[^>]*src="[^"]*etc', dom), name
    episode = text_of(pages["page"])
    assert f"say('{INJECTED}')" in episode  # the program, as written
    assert episode.count("image missing") == 2  # snapshot paths outside the directory: refused, with a note


def test_bench_page_of_a_real_bench_run(chromium, tmp_path):
    pytest.importorskip("pybullet")
    out = tmp_path / "bench"
    done = codebot("bench", "--split", "SA/SI", "--template", "1", "--template", "8", "--trials", "2",
                   "--snapshots", "--out", str(out), timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    with view_server(out) as url:
        dom = browser(chromium, "--dump-dom", f"{url}bench")
        first = browser(chromium, "--dump-dom", f"{url}episode/SASI-t01-000")
        images = re.findall(r'<img src="(/files/[^"]+)"', first)
        fetched = [urllib.request.urlopen(url.rstrip("/") + src, timeout=30).read() for src in images]
    assert dom.count("<svg") == 3 and 'aria-label="success per template and cell' in dom
    assert "SA/SI #1 pick_place" in text_of(dom) and "SA/SI #8 nth_block_to_place" in text_of(dom)
    assert "97.2" in text_of(dom)  # the paper's figure for SA/SI long-horizon, beside ours
    assert "template checker #1 (pick_place)" in text_of(first) and "put_first_on_second" in text_of(first)
    assert images == ["/files/traces/snapshots/SASI-t01-000/attempt1_before.png",
                      "/files/traces/snapshots/SASI-t01-000/attempt1_after.png"]  # --snapshots: rendered, shown
    assert all(png_size(data) == (256, 192) for data in fetched)
