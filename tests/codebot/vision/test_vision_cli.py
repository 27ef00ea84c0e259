"""`codebot run --target vision` on a directory: the program written for the first image runs on every
image, answers are printed, and one annotated image per input is written."""
import json
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_run_vision_target_on_a_directory(tiny_models, tmp_path):
    from PIL import Image

    rng = np.random.default_rng(0)
    folder = tmp_path / "imgs"
    folder.mkdir()
    for i in range(2):
        Image.fromarray(rng.integers(0, 255, (90, 120, 3), dtype=np.uint8)).save(folder / f"{i}.png")
    replay = tmp_path / "r.jsonl"
    replay.write_text(json.dumps({"when_contains": ["how many cups"],
                                  "completion": "result = {'count': len(detect('cup', threshold=0.0))}"}) + "\n")
    env = {**__import__("os").environ, "CODEBOT_VISION_DETECTOR": tiny_models["detector"],
           "CODEBOT_VISION_MATCHER": tiny_models["matcher"], "CODEBOT_VISION_SEGMENTER": tiny_models["segmenter"]}
    out_dir = tmp_path / "annotated"
    out = subprocess.run([sys.executable, "-m", "codebot.cli", "run", "how many cups are on the table?",
                          "--target", "vision", "--image", str(folder), "--llm", "replay",
                          "--replay-file", str(replay), "--out-dir", str(out_dir),
                          "--trace-dir", str(tmp_path / "t"), "--attempts", "1"],
                         capture_output=True, text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "result: {'count':" in out.stdout          # first image, from the agent run
    assert "1.png: {'count':" in out.stdout           # second image, same program re-run
    assert sorted(p.name for p in out_dir.iterdir()) == ["0_annotated.png", "1_annotated.png"]
    assert str(out_dir) in out.stdout
