"""Template checkers and goal specs agree on reference-policy trials in the sim: one trial per
template (SA/SI for 1-8, UA/UI for 9-14), through the same sandbox the suite uses."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("pybullet")

ROOT = Path(__file__).resolve().parents[2]


def _benchmark():
    spec = importlib.util.spec_from_file_location("spec_agreement", ROOT / "benchmarks" / "spec_agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_one_reference_trial_per_template_agrees():
    from codebot.bench.plan import BenchConfig

    bench = _benchmark()
    result = bench.agreement(BenchConfig(splits=("SA/SI", "UA/UI"), trials=1, seed=0))
    records = result["records"]
    assert sorted({r["template_id"] for r in records}) == list(range(1, 15))
    assert result["judged"] == 14
    disagreements = [(r["template"], r["checker_reason"], r["spec_reason"]) for r in records if not r["agree"]]
    assert disagreements == []
    assert result["checker_successes"] >= 12  # the reference policies mostly succeed: agreement is not all-fail
