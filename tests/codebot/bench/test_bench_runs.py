"""Real runs of a small slice in PyBullet: reference policies pass, results are reproducible and do not
depend on the number of worker processes; the CLI writes its reports."""
import json

import pytest

pytest.importorskip("pybullet")

from codebot.bench import BenchConfig, plan_jobs, run_suite

KEYS = ("cell", "template_id", "trial", "seed", "layout_seed", "instruction", "success", "verdict", "error")


def _slice(tmp_path, workers):
    config = BenchConfig(templates=(1, 7), splits=("SA/SI",), trials=2, workers=workers,
                         out=str(tmp_path / f"w{workers}"))
    return [{k: r.get(k) for k in KEYS} for r in run_suite(config)]


@pytest.mark.slow
def test_same_seeds_same_results_whatever_the_worker_count(tmp_path):
    first = _slice(tmp_path, 1)
    again = _slice(tmp_path, 1)
    parallel = _slice(tmp_path, 2)
    assert first == again, [(a, b) for a, b in zip(first, again) if a != b]
    assert first == parallel, [(a, b) for a, b in zip(first, parallel) if a != b]
    assert [(r["template_id"], r["trial"]) for r in first] == [(1, 0), (1, 1), (7, 0), (7, 1)]
    assert all(r["success"] for r in first), first


# Trials of the full reference run that once failed on physics/primitives, not checkers: a block
# swinging out of rigid finger pads (UA/SI 2 #12, SA/SI 1 #18), a block dropped mid-carry and then
# "placed" from an empty hand (UA/SI 3 #2), a corner already holding a block (UA/SI 3 #10, UA/UI 13
# #39), a corner holding a bowl (UA/UI 9 #29), a gripper read as empty for one step (UA/SI 3 #11).
ONCE_FAILED = {("UA/SI", 2, 12), ("SA/SI", 1, 18), ("UA/SI", 3, 2), ("UA/SI", 3, 10), ("UA/UI", 13, 39),
               ("UA/UI", 9, 29), ("UA/SI", 3, 11)}


@pytest.mark.slow
def test_reference_policies_pass_trials_that_once_failed(tmp_path):
    config = BenchConfig(trials=50, out=str(tmp_path / "hard"))
    jobs = [j for j in plan_jobs(config) if (j.cell, j.template_id, j.trial) in ONCE_FAILED]
    assert len(jobs) == len(ONCE_FAILED)
    records = run_suite(config, jobs)
    failed = [(r["cell"], r["template_id"], r["trial"], r["verdict"], r["error"]) for r in records if not r["success"]]
    assert not failed, failed


@pytest.mark.slow
def test_cli_writes_json_csv_markdown_and_traces(tmp_path):
    from typer.testing import CliRunner

    from codebot.cli import app

    out = tmp_path / "results"
    res = CliRunner().invoke(app, ["bench", "--split", "UA/UI", "--template", "13", "--trials", "1",
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads((out / "cap-tabletop-reference-a1.json").read_text())
    record = data["records"][0]
    assert record["template_id"] == 13 and record["success"], record
    trace = json.loads(open(record["trace"]).read())
    assert trace["code"] and trace["reset"]["seed"] == record["layout_seed"]
    assert (out / "cap-tabletop-reference-a1.md").read_text().count("re-implementation") >= 1
    assert (out / "cap-tabletop-reference-a1.csv").exists()


def test_cli_rejects_unknown_llm_and_split(tmp_path):
    from typer.testing import CliRunner

    from codebot.cli import app

    res = CliRunner().invoke(app, ["bench", "--llm", "magic", "--out", str(tmp_path)])
    assert res.exit_code != 0
    res = CliRunner().invoke(app, ["bench", "--split", "ZZ", "--out", str(tmp_path)])
    assert res.exit_code != 0


@pytest.mark.slow
def test_llm_path_records_first_turn_and_repaired_success(tmp_path):
    """A replay LLM whose first program does nothing and whose repair (asked with the first program
    and its feedback in the prompt) stacks the blocks: @1 fails, @3 succeeds, one repair turn."""
    from codebot.checks.tasks import get_task

    stack_code = get_task(2).sample(__import__("numpy").random.default_rng(0), "seen").reference_policy()
    replay = tmp_path / "replay.jsonl"
    entries = [
        {"when_contains": ["stack all the blocks", "# attempt-one"], "completion": stack_code},
        {"when_contains": ["stack all the blocks"], "completion": "# attempt-one\nsay('thinking')\n"},
    ]
    replay.write_text("\n".join(json.dumps(e) for e in entries) + "\n")
    config = BenchConfig(templates=(2,), splits=("SA/SI",), trials=1, llm="replay",
                         llm_opts={"path": str(replay)}, attempts=3, out=str(tmp_path / "out"))
    (record,) = run_suite(config)
    assert record["success"] is True and record["success_at_turn"] == 2 and record["turns"] == 2, record
    assert [t["success"] for t in record["turn_verdicts"]] == [False, True]
    from codebot.bench import summarize

    cell = summarize([record], config)["cells"]["SA/SI long_horizon"]
    assert cell["success_at_1_pct"] == 0.0 and cell["success_pct"] == 100.0 and cell["mean_repair_turns"] == 1.0
