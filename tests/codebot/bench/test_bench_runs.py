"""Real runs of a small slice in PyBullet: reference policies pass, results are reproducible and do not
depend on the number of worker processes; the CLI writes its reports."""
import json

import pytest

pytest.importorskip("pybullet")

from codebot.bench import BenchConfig, run_suite  # noqa: E402

KEYS = ("cell", "template_id", "trial", "seed", "layout_seed", "instruction", "success", "verdict")


def _slice(tmp_path, workers):
    config = BenchConfig(templates=(1, 7), splits=("SA/SI",), trials=2, workers=workers,
                         out=str(tmp_path / f"w{workers}"))
    return [{k: r.get(k) for k in KEYS} for r in run_suite(config)]


@pytest.mark.slow
def test_same_seeds_same_results_whatever_the_worker_count(tmp_path):
    first = _slice(tmp_path, 1)
    again = _slice(tmp_path, 1)
    parallel = _slice(tmp_path, 2)
    assert first == again == parallel
    assert [(r["template_id"], r["trial"]) for r in first] == [(1, 0), (1, 1), (7, 0), (7, 1)]
    assert all(r["success"] for r in first), first


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
