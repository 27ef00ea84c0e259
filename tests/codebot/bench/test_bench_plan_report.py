"""The benchmark plan (seeds) and the report maths, without running a simulator."""
import csv
import json

import pytest

from codebot.bench import BenchConfig, plan_jobs, summarize, write_reports
from codebot.bench.report import markdown


def test_plan_seeds_depend_only_on_base_seed_template_cell_and_trial():
    a = plan_jobs(BenchConfig(trials=3, workers=1))
    b = plan_jobs(BenchConfig(trials=3, workers=4))
    assert a == b
    assert len(a) == (8 + 8 + 6) * 3
    assert len({j.seed for j in a}) == len(a)
    sub = plan_jobs(BenchConfig(trials=3, templates=(6,), splits=("UA/SI",)))
    assert [j.seed for j in sub] == [j.seed for j in a if j.template_id == 6 and j.cell == "UA/SI"]
    assert plan_jobs(BenchConfig(trials=3, seed=1))[0].seed != a[0].seed
    assert a[0].layout_seed(0, 0) != a[0].layout_seed(0, 1)
    assert all(j.split == ("seen" if j.cell == "SA/SI" else "unseen") for j in a)


@pytest.mark.parametrize("bad", [dict(splits=("XX",)), dict(trials=0), dict(suite="nope"),
                                 dict(templates=(12,), splits=("SA/SI",))])
def test_plan_rejects_bad_configs(bad):
    with pytest.raises(ValueError):
        plan_jobs(BenchConfig(**bad))


def _record(cell, category, tid, trial, success, first, turns, wall=1.0):
    return {"cell": cell, "category": category, "split": "seen", "template_id": tid, "template": f"t{tid}",
            "trial": trial, "seed": trial, "success": success, "success_at_turn": first, "turns": turns,
            "verdict": "ok" if success else "nope", "wall_s": wall, "error": None}


def test_summary_counts_first_turn_and_final_success(tmp_path):
    config = BenchConfig(trials=4, llm="local", attempts=3, out=str(tmp_path))
    records = [_record("SA/SI", "long_horizon", 1, 0, True, 1, 1),
               _record("SA/SI", "long_horizon", 1, 1, True, 3, 3),
               _record("SA/SI", "long_horizon", 1, 2, False, None, 3),
               _record("SA/SI", "long_horizon", 1, 3, True, 2, 2, wall=5.0)]
    s = summarize(records, config)
    cell = s["cells"]["SA/SI long_horizon"]
    assert cell["success_pct"] == 75.0 and cell["success_at_1_pct"] == 25.0
    assert cell["mean_repair_turns"] == 1.25 and cell["mean_wall_s"] == 2.0
    assert cell["failed_trials"] == [2]
    text = markdown(s)
    assert "re-implementation" in text
    # each figure with its 95 % Wilson interval, the paper's CaP figure printed beside ours
    assert "| Long-horizon | 25.0 [4.6–69.9] | 75.0 [30.1–95.4] | 97.2 |" in text
    assert cell["success_ci95_pct"] == [30.1, 95.4] and cell["success_at_1_ci95_pct"] == [4.6, 69.9]
    paths = write_reports(records, config)
    rows = list(csv.DictReader(paths["csv"].open()))
    assert len(rows) == 4 and rows[2]["success"] == "False"
    data = json.loads(paths["json"].read_text())
    assert data["summary"]["config"]["attempts"] == 3 and len(data["records"]) == 4


def test_wilson_interval_matches_known_values_and_edges():
    from codebot.bench.stats import wilson_interval

    lo, hi = wilson_interval(23, 44)  # 52.3 %: the interval is wide at this sample size
    assert round(lo, 3) == 0.379 and round(hi, 3) == 0.662
    assert wilson_interval(0, 10)[0] == 0.0 and 0.25 < wilson_interval(0, 10)[1] < 0.35  # 0/10 is not "0 %"
    assert wilson_interval(10, 10)[1] == 1.0 and 0.65 < wilson_interval(10, 10)[0] < 0.75
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(5, 4)
