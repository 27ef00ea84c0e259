"""The viewer's pages from hand-made inputs: bad input (a corrupt trace line, a missing image, a huge
program, a directory that is neither kind) gives a visible note or a clear error, never a crash; a bench
run read from its ledger alone; the view extra named when missing; the server refuses paths outside
its directory and binds loopback only."""
from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from urllib.parse import urlparse

import pytest

from codebot.view import render
from codebot.view.load import ViewInputError
from codebot.view.site import load


def record(i: int, **over) -> dict:
    r = {"id": f"ep-{i}", "time": 1.7e9 + i, "instruction": f"put block {i} in the bowl", "success": i % 2 == 0,
         "verdict": "fine" if i % 2 == 0 else "not in the bowl", "verdict_source": "checker",
         "checker": "template checker (pick_place)", "task": "pick_place" if i < 3 else "stack_all_blocks",
         "check": {"kind": "template", "template_id": 1, "params": {"block": "red block"}},
         "turns": [{"turn": 1, "code": "say('a')\nsay(1/0)", "feedback": "Result of attempt 1: ERROR",
                    "success": False, "result": {"error": {"type": "ZeroDivisionError", "message": "division by zero",
                                                           "line": 2}, "call_log": [], "safety_violations": []}}],
         "timings": {"total_s": 1.5}}
    r.update(over)
    return r


def write_trace(root, lines: list) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "episodes.jsonl").write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))


def test_a_corrupt_line_becomes_a_visible_placeholder(tmp_path):
    write_trace(tmp_path, [record(0), '{"id": "half a li', record(1), "[1, 2]"])
    site = load(tmp_path)
    assert [e.key for e in site.episodes] == ["ep-0", "line2", "ep-1", "line4"]
    assert "line 2 of episodes.jsonl is not a trace record" in site.episodes[1].problem
    listing = render.page(site, "list")
    assert "(unreadable record)" in listing and "ep-1" in listing
    broken = render.page(site, "episode", key="line2")
    assert "is not a trace record" in broken
    page = render.page(site, "episode", key="ep-1")
    assert '<span class="line failing"><span class="n">2</span>say(1/0)</span>' in page
    assert "template checker #1 (pick_place) with block=red block. Success:" in page
    assert render.page(site, "episode", key="nope") is None


def test_filters_by_outcome_and_template(tmp_path):
    write_trace(tmp_path, [record(i) for i in range(5)])
    site = load(tmp_path)
    assert [e.key for e in render.filtered(site.episodes, "success")] == ["ep-0", "ep-2", "ep-4"]
    assert [e.key for e in render.filtered(site.episodes, "", "stack_all_blocks")] == ["ep-3", "ep-4"]
    page = render.page(site, "list", outcome_wanted="failure", template="pick_place")
    assert "ep-1" in page and "ep-0" not in page and "ep-3" not in page


def test_missing_images_and_huge_programs_show_notes(tmp_path):
    huge = "\n".join(f"say('{i}')" for i in range(50_000)) + "\n" + "x = 1  # " + "y" * 100_000
    shots = {"before": "snapshots/ep-0/attempt1_before.png", "after_error": "RuntimeError: renderer gone"}
    write_trace(tmp_path, [record(0, turns=[{"turn": 1, "code": huge, "success": True, "feedback": "",
                                             "result": {"snapshots": shots}}])])
    t0 = time.perf_counter()
    site = load(tmp_path)
    page = render.page(site, "episode", key="ep-0")
    report = render.report(site, site.episodes)
    assert time.perf_counter() - t0 < 10
    assert "before: image missing (it is not in this directory)" in page
    assert "after: not rendered: RuntimeError: renderer gone" in page
    assert "48001 more lines not shown" in page and len(page) < 2_000_000
    assert "image missing" in report


@pytest.mark.slow
def test_neither_kind_of_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ViewInputError, match="holds neither episodes.jsonl"):
        load(tmp_path)
    with pytest.raises(ViewInputError, match="is not a directory"):
        load(tmp_path / "absent")
    out = subprocess.run([sys.executable, "-m", "codebot.cli", "report", str(tmp_path), "-o", str(tmp_path / "r.html")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "holds neither" in out.stderr and "Traceback" not in out.stderr


def bench_record(cell: str, category: str, tid: int, trial: int, ok: bool) -> dict:
    return {"cell": cell, "category": category, "split": "seen", "template_id": tid, "template": f"t{tid}",
            "trial": trial, "seed": trial, "instruction": f"do t{tid} #{trial}", "params": {}, "llm": "reference",
            "attempts": 1, "success": ok, "success_at_turn": 1 if ok else None, "turns": 1,
            "verdict": "ok" if ok else "missed", "error": None, "wall_s": 0.5 + trial / 10,
            "trace": f"/elsewhere/traces/SASI-t{tid:02d}-{trial:03d}.json"}


def test_a_bench_run_from_its_ledger_alone(tmp_path):
    rows = [bench_record("SA/SI", "long_horizon", 1, t, t != 3) for t in range(10)]
    lines = [{"ledger": 1, "fingerprint": {"llm": "reference", "robot": "ur5e", "seed": 0}}]
    lines += [{"key": [0, r["template_id"], r["trial"]], "record": r} for r in rows]
    write_trace(tmp_path, [])
    (tmp_path / "cap-tabletop-reference-a1.trials.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    (tmp_path / "traces").mkdir()
    (tmp_path / "traces" / "SASI-t01-003.json").write_text(json.dumps(
        {"record": rows[3], "code": "pick_place('red block', 'blue bowl')", "result": {"ok": True}}))
    site = load(tmp_path)
    assert site.kind == "bench" and len(site.episodes) == 10
    assert site.bench["summary"]["overall"]["successes"] == 9
    page = render.page(site, "bench")
    assert page.count("<svg") == 3 and "97.2" in page and 'href="/episode/SASI-t01-003"' in page
    failed = render.page(site, "episode", key="SASI-t01-003")
    assert "pick_place(&#39;red block&#39;, &#39;blue bowl&#39;)" in failed  # found under traces/ after a move
    assert "not in the run directory" in render.page(site, "episode", key="SASI-t01-004")


def test_missing_view_extra_names_it(monkeypatch):
    from codebot.extras import MissingExtraError

    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(MissingExtraError, match=r"codebot\[view\]"):
        render.environment()


@pytest.mark.slow
def test_codebot_help_works_without_the_view_extra():
    code = ("import sys; sys.modules.update({m: None for m in ('jinja2', 'starlette', 'uvicorn')}); "
            "sys.argv = ['codebot', '--help']; from codebot.cli import main; main()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "run" in out.stdout, out.stderr
    code = code.replace("'--help'", "'report', '.'")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "codebot[view]" in out.stderr


def listening_on(port: int) -> set[str]:
    """The local addresses of the listening TCP sockets on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))) if len(address) == 8
                          else f"v6:{address}")
    return found


@pytest.mark.slow
def test_server_refuses_paths_outside_its_directory_and_binds_loopback(tmp_path):
    from view_helpers import view_server

    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    served = tmp_path / "served"
    write_trace(served, [record(0)])
    (served / "snapshots").mkdir()
    (served / "snapshots" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nfine")
    (served / "notes.txt").write_text("not media")
    with view_server(served) as url:
        parsed = urlparse(url)
        assert parsed.hostname == "127.0.0.1"
        assert listening_on(parsed.port) == {"127.0.0.1"}  # the socket itself, not just the printed URL

        def get(path: str) -> tuple[int, bytes]:
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            conn.request("GET", path)  # sent as written: no client-side normalisation of ..
            response = conn.getresponse()
            return response.status, response.read()

        assert get("/files/snapshots/a.png") == (200, b"\x89PNG\r\n\x1a\nfine")
        for path in ("/files/../outside.png", "/files/%2e%2e/outside.png", "/files/..%2foutside.png",
                     f"/files/{tmp_path}/outside.png", "/files//etc/passwd", "/files/notes.txt",
                     "/files/episodes.jsonl", "/files/snapshots/../../outside.png"):
            status, body = get(path)
            assert status == 404 and b"secret" not in body, path
        status, body = get("/episode/ep-0")
        assert status == 200 and b"say(1/0)" in body
        assert get("/bench")[0] == 404 and get("/episode/%3Cscript%3E")[0] == 404
        assert get("/episode/ep-1")[0] == 404
        with open(served / "episodes.jsonl", "a") as fh:  # a run appends an episode while the server runs
            fh.write(json.dumps(record(1)) + "\n")
        assert get("/episode/ep-1")[0] == 200


def test_a_video_inside_the_directory_is_shown_and_one_outside_is_named(tmp_path):
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "run.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    write_trace(tmp_path, [record(0, video_path=str(tmp_path / "videos" / "run.mp4")),
                           record(1, video_path="/somewhere/else.mp4")])
    site = load(tmp_path)
    assert '<video controls width="480" src="/files/videos/run.mp4">' in render.page(site, "episode", key="ep-0")
    assert "the recorded video is outside this directory" in render.page(site, "episode", key="ep-1")
    assert 'src="data:video/mp4;base64,' in render.report(site, site.episodes[:1])
