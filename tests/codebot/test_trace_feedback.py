"""Traces are appended atomically (concurrent writers never interleave) and read back; the feedback
report says what happened in words an LLM can act on."""
import json
import multiprocessing

from codebot.feedback import Outcome, report, scene_diff
from codebot.sandbox.result import ProgramResult
from codebot.trace import append_record, find_record, read_records


def _writer(path, n, tag):
    for i in range(n):
        append_record(path, {"id": f"{tag}-{i}", "payload": "x" * 20000})


def test_concurrent_appends_never_interleave(tmp_path):
    path = tmp_path / "t" / "episodes.jsonl"
    procs = [multiprocessing.get_context("spawn").Process(target=_writer, args=(path, 20, t)) for t in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    records = list(read_records(path))
    assert len(records) == 40 and all(len(r["payload"]) == 20000 for r in records)
    assert find_record(path, "b-7")["id"] == "b-7"
    assert find_record(f"{path}#a-3")["id"] == "a-3"
    assert find_record(path)["id"] == records[-1]["id"]


def test_report_names_error_line_calls_verdict_and_scene_diff():
    bowl = {"name": "blue bowl", "position": [0.0, -0.6, 0.02]}
    before = [{"name": "red block", "position": [0.1, -0.4, 0.02]}, bowl]
    after = [{"name": "red block", "position": [0.0, -0.6, 0.03]}, bowl]
    result = ProgramResult(ok=False, exit_reason="exception", objects_before=before, objects_after=after,
                           error={"type": "GraspFailedError", "kind": "grasp_failed",
                                  "message": "fingers closed on nothing", "line": 3,
                                  "source_line": "pick('red block')"},
                           call_log=[{"name": "pick", "args": ["red block"],
                                      "error": {"type": "GraspFailedError", "message": "fingers closed on nothing"}}],
                           safety_violations=["move_to: outside_workspace: x=0.52 > 0.30"])
    text = report(result, Outcome(False, "red block is not in blue bowl", "checker"), turn=1)
    assert "FAILED" in text and "line 3" in text and "`pick('red block')`" in text
    assert "GraspFailedError (grasp_failed): fingers closed on nothing" in text
    assert "pick('red block') raised GraspFailedError" in text
    assert "x=0.52 > 0.30" in text and "Verdict (checker): red block is not in blue bowl" in text
    assert "red block moved 22 cm" in text and "blue bowl moved" not in text
    assert scene_diff(before, before) == []
    json.dumps(result.to_plain())


def test_report_notes_a_block_the_program_moved_more_than_once():
    # the local model put one block in each bowl in turn: only its last place counts, which the note says
    calls = [{"name": "get_bowls", "args": [], "result": ["purple bowl", "orange bowl"]},
             {"name": "put_first_on_second", "args": ["pink block", "purple bowl"]},
             {"name": "put_first_on_second", "args": ["pink block", "orange bowl"]},
             {"name": "put_first_on_second", "args": ["cyan block", "orange bowl"]}]
    result = ProgramResult(ok=True, exit_reason="ok", call_log=calls)
    text = report(result, Outcome(False, "purple bowl holds no block", "goal spec"), turn=1)
    assert "Note: pink block was moved 2 times" in text and "only its last place counts" in text
    assert "cyan block was moved" not in text
