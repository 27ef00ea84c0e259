"""Before/after top-camera images: rendered by the sim server (not the program process), written where
the orchestrator said, small, and recorded in the run result; the agent records them relative to its
trace directory."""
import json
import struct
import subprocess
import sys

import pytest

from codebot.sandbox import snapshots

pytestmark = pytest.mark.slow


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_sim_server_writes_before_and_after_images(tmp_path):
    pytest.importorskip("pybullet")
    from codebot.sandbox import WorkerPool

    prefix = tmp_path / "snaps" / "ep" / "attempt1"
    with WorkerPool("sim", {"robot": "ur5e", "seed": 1, "scene": {"blocks": ["red"], "bowls": ["blue"]}},
                    size=1) as pool:
        result = pool.run("put_first_on_second('red block', 'blue bowl')", snapshot=str(prefix))
        plain = pool.run("say('hi')")
    assert result.ok, result.error
    shots = result.snapshots
    before, after = tmp_path / "snaps/ep/attempt1_before.png", tmp_path / "snaps/ep/attempt1_after.png"
    assert shots["before"] == str(before) and shots["after"] == str(after)
    assert png_size(before) == snapshots.SIZE and png_size(after) == snapshots.SIZE
    assert before.read_bytes() != after.read_bytes()  # the block (and the arm) moved
    assert max(before.stat().st_size, after.stat().st_size) < 64_000
    assert 0 < shots["render_ms"] < 10_000
    assert plain.snapshots is None  # off unless asked


def test_a_target_without_a_camera_writes_nothing(tmp_path):
    result: dict = {}
    snapshots.take(object(), str(tmp_path / "a"), "before", result)
    assert result == {} and not list(tmp_path.iterdir())


def test_a_failed_render_is_reported_not_raised(tmp_path):
    class Broken:
        def snapshot_rgb(self, size):
            raise RuntimeError("renderer gone")

    result: dict = {}
    snapshots.take(Broken(), str(tmp_path / "a"), "after", result)
    assert "renderer gone" in result["snapshots"]["after_error"] and "after" not in result["snapshots"]


def test_codebot_run_records_snapshot_paths_relative_to_the_trace(tmp_path):
    pytest.importorskip("pybullet")
    replay = tmp_path / "r.jsonl"
    replay.write_text(json.dumps({"when_contains": ["# put the red block in the blue bowl."],
                                  "completion": "put_first_on_second('red block', 'blue bowl')"}) + "\n")
    traces = tmp_path / "traces"
    out = subprocess.run([sys.executable, "-m", "codebot.cli", "run", "put the red block in the blue bowl",
                          "--llm", "replay", "--replay-file", str(replay), "--trace-dir", str(traces), "--seed", "1",
                          "-q"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    record = json.loads((traces / "episodes.jsonl").read_text().splitlines()[-1])
    shots = record["turns"][0]["result"]["snapshots"]
    assert shots["before"] == f"snapshots/{record['id']}/attempt1_before.png"
    assert png_size(traces / shots["after"]) == snapshots.SIZE
