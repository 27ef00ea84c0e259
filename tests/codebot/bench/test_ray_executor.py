"""The Ray executor on a real local Ray cluster (2 CPUs, 127.0.0.1 only, no dashboard, no usage reports):
per-trial results identical to the process executor's, an actor killed mid-trial loses nothing and
counts nothing twice, and its run directory resumes under either executor. Without ray the executor
names the extra to install."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from codebot.bench import BenchConfig
from codebot.bench.ledger import ledger_path
from worker_killer import WorkerKiller

# Everything about a trial that does not depend on timing or on where it ran.
KEYS = ("cell", "template_id", "trial", "seed", "layout_seed", "layouts_rejected", "instruction", "params",
        "scene", "success", "success_at_turn", "turns", "verdict", "error", "details")


def _fields(records):
    return [{k: r.get(k) for k in KEYS} for r in records]


def _slice(tmp_path, name, **kw):
    return BenchConfig(templates=(1, 7), splits=("SA/SI",), trials=2, workers=2, out=str(tmp_path / name), **kw)


@pytest.fixture(scope="module")
def ray_cluster():
    pytest.importorskip("pybullet")
    from codebot.bench.ray_executor import LOCAL_OBJECT_STORE_BYTES, QUIET_ENV

    for key, value in QUIET_ENV.items():  # before Ray starts: no usage reports
        os.environ.setdefault(key, value)
    ray = pytest.importorskip("ray")
    temp = tempfile.mkdtemp(prefix="cbray", dir="/tmp")  # short: Ray's socket paths must fit 107 bytes
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             _node_ip_address="127.0.0.1", object_store_memory=LOCAL_OBJECT_STORE_BYTES, _temp_dir=temp)
    try:
        yield ray
    finally:
        ray.shutdown()
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def process_records(tmp_path_factory):
    pytest.importorskip("pybullet")
    from codebot.bench import run_suite

    return run_suite(_slice(tmp_path_factory.mktemp("process"), "process"))


@pytest.mark.slow
def test_ray_trials_are_identical_to_the_process_executors(ray_cluster, process_records, tmp_path):
    from codebot.bench import run_suite

    records = run_suite(_slice(tmp_path, "ray", executor="ray"))
    assert _fields(records) == _fields(process_records)
    assert [(r["template_id"], r["trial"]) for r in records] == [(1, 0), (1, 1), (7, 0), (7, 1)]
    assert all(r["success"] for r in records), records
    assert all(os.path.isfile(r["trace"]) for r in records)  # traces under --out, made absolute for the actors


@pytest.mark.slow
def test_a_killed_ray_actor_loses_no_trial_counts_none_twice_and_the_run_resumes(ray_cluster, process_records,
                                                                                  tmp_path):
    from codebot.bench import run_suite
    from codebot.bench.process_executor import ProcessExecutor
    from codebot.bench.ray_executor import RayExecutor

    executor = RayExecutor()
    config = _slice(tmp_path, "killed", executor="ray")
    with WorkerKiller(executor) as killer:
        records = run_suite(config, executor=executor)
    assert killer.killed and executor.retried == 1
    assert _fields(records) == _fields(process_records)
    lines = [json.loads(x) for x in ledger_path(config).read_text().splitlines()[1:]]
    assert sorted(tuple(x["key"]) for x in lines) == sorted({tuple(x["key"]) for x in lines}) and len(lines) == 4

    class Counting(ProcessExecutor):
        ran = []

        def run(self, config, jobs):
            self.ran.extend(jobs)
            yield from super().run(config, jobs)

    # The run directory a Ray run left resumes under the process executor: nothing is run again.
    resumed_with = Counting()
    config.resume, config.executor = True, "process"
    assert _fields(run_suite(config, executor=resumed_with)) == _fields(process_records)
    assert resumed_with.ran == []


def test_without_ray_the_executor_names_the_extra():
    code = ("import sys; sys.modules['ray'] = None\n"
            "import codebot, codebot.cli, codebot.bench, codebot.bench.executors\n"
            "from codebot.bench.ray_executor import import_ray\n"
            "from codebot.extras import MissingExtraError\n"
            "try:\n    import_ray()\nexcept MissingExtraError as e:\n    print('MISSING', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "MISSING" in out.stdout and "codebot[ray]" in out.stdout, out.stdout


def test_cli_rejects_unknown_executor_and_a_stray_ray_address(tmp_path):
    from typer.testing import CliRunner

    from codebot.cli import app

    res = CliRunner().invoke(app, ["bench", "--executor", "slurm", "--out", str(tmp_path)])
    assert res.exit_code != 0 and "executor" in res.output
    res = CliRunner().invoke(app, ["bench", "--ray-address", "auto", "--out", str(tmp_path)])
    assert res.exit_code != 0 and "--executor ray" in res.output
