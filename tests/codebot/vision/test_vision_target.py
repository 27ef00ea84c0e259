"""The vision primitives and the vision target: registration, the primitives on a bound backend, files
and directories, the annotated image, and a perception program run in the real sandbox worker."""
from __future__ import annotations

import numpy as np
import pytest

from codebot.vision.errors import ImageSourceError, NoRobotError, VisionUnavailableError
from codebot.primitives import context
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.registry import allowed_names, check_primitives, render_api, specs

VISION_PRIMITIVES = {"detect", "segment", "ask_image", "match_image", "image_size"}


def _write_png(path, rgb):
    from PIL import Image

    Image.fromarray(rgb).save(path)
    return str(path)


@pytest.fixture
def scene_png(tmp_path, rng):
    return _write_png(tmp_path / "scene.png", rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))


@pytest.fixture
def target(tiny_models, scene_png, tmp_path):
    from codebot.vision.target import VisionTarget

    t = VisionTarget({"image": scene_png, "models": tiny_models, "threshold": 0.0, "device": "cpu",
                      "output_dir": str(tmp_path / "out")})
    yield t
    context.bind(None)
    t.close()


def test_vision_primitives_are_registered_and_conform():
    import codebot.vision  # noqa: F401

    assert VISION_PRIMITIVES <= {s.name for s in specs(["vision"])}
    assert not VISION_PRIMITIVES & {s.name for s in specs(["core"])}  # opt-in group only
    assert check_primitives(groups=["vision"]) == []
    api = render_api(["vision"])
    assert "detect(query: str, threshold: float = 0.1) -> list[Detection]" in api


def test_every_vision_example_runs_on_the_vision_backend(target):
    context.bind(target.backend())
    names = allowed_names(("core", "vision"))
    for spec in specs(["vision"]):
        for example in spec.examples:
            namespace = {**names, "np": np, "print": lambda *a: None}
            exec(compile(example, f"<example of {spec.name}>", "exec"), namespace)


def test_detect_returns_named_tuples_with_world_positions(target):
    from codebot.vision.primitives import detect

    context.bind(target.backend())
    found = detect("red cup, blue bowl")
    assert found and all(d.name in ("red cup", "blue bowl") for d in found)
    for name, box, score, position in found:
        assert len(box) == 4 and 0.0 <= score <= 1.0 and len(position) == 3
        assert position[2] == 0.0  # no depth: on the table plane


def test_segment_ask_and_match(target):
    from codebot.vision.primitives import ask_image, image_size, match_image, segment

    context.bind(target.backend())
    mask = segment("red cup")
    assert mask.shape == (120, 160) and mask.dtype == bool
    assert ask_image("what colour is the cup?", ["red", "green"], about="cup") in ("red", "green")
    probs = match_image(["a table", "a dog", "a cat"])
    assert set(probs) == {"a table", "a dog", "a cat"} and abs(sum(probs.values()) - 1) < 1e-3
    assert image_size() == (160, 120)
    with pytest.raises(InvalidArgumentError, match="two choices"):
        ask_image("which?", ["red"])


def test_vision_primitives_without_a_vision_backend_say_what_is_missing():
    from codebot.vision.primitives import detect

    context.bind(None)
    with pytest.raises(RuntimeError):
        detect("cup")
    from codebot.primitives.context import Backend
    from codebot.vision.no_robot import NoRobot

    context.bind(Backend(robot=NoRobot(), perception=None))
    try:
        with pytest.raises(VisionUnavailableError, match="--target vision"):
            detect("cup")
    finally:
        context.bind(None)


def test_a_role_not_loaded_names_its_option(tiny_models, scene_png, tmp_path):
    from codebot.vision.primitives import segment
    from codebot.vision.target import VisionTarget

    t = VisionTarget({"image": scene_png, "models": {"detector": tiny_models["detector"]}, "threshold": 0.0,
                      "output_dir": str(tmp_path)})
    try:
        context.bind(t.backend())
        with pytest.raises(VisionUnavailableError, match="--vision-segmenter") as info:
            segment("cup")
        assert info.value.to_dict()["kind"] == "vision_unavailable"
    finally:
        context.bind(None)
        t.close()


def test_the_vision_target_has_no_robot(target):
    backend = target.backend()
    for call in (lambda r: r.move_ee((0, -0.5, 0.1)), lambda r: r.close_gripper(), lambda r: r.home()):
        with pytest.raises(NoRobotError, match="no robot") as info:
            call(backend.robot)
        assert info.value.kind == "no_robot"
    assert backend.robot.joint_names() == [] and not backend.robot.is_grasping()


def test_observe_gives_objects_and_writes_the_annotated_image(target, tmp_path):
    from PIL import Image

    target.backend()
    objects = target.observe()
    assert objects and all(o.name.split()[-1] in ("block", "bowl") for o in objects)
    assert len({o.name for o in objects}) == len(objects)
    path = target.artifacts()["annotated_image"]
    assert path.startswith(str(tmp_path / "out"))
    with Image.open(path) as im:
        assert im.size == (160, 120)
        drawn = np.asarray(im)
    assert (drawn != np.asarray(Image.open(target.artifacts()["image"]))).any()  # boxes were drawn


def test_directory_input_steps_through_images(tiny_models, tmp_path, rng):
    from codebot.vision.target import VisionTarget

    folder = tmp_path / "imgs"
    folder.mkdir()
    for i in range(3):
        _write_png(folder / f"{i}.png", rng.integers(0, 255, (60 + 10 * i, 80, 3), dtype=np.uint8))
    (folder / "notes.txt").write_text("not an image")
    t = VisionTarget({"image": str(folder), "models": {"detector": tiny_models["detector"]},
                      "output_dir": str(tmp_path / "out"), "threshold": 0.0})
    try:
        assert t.image_count() == 3
        seen = []
        for i in range(3):
            t.reset({"index": i})
            t.backend()
            t.observe()
            seen.append((t.artifacts()["image"], t.service.frame().rgb.shape[0], t.artifacts()["annotated_image"]))
        assert [s[1] for s in seen] == [60, 70, 80]
        assert len({s[2] for s in seen}) == 3
        with pytest.raises(InvalidArgumentError, match="outside"):
            t.reset({"index": 3})
    finally:
        t.close()


def test_bad_inputs_are_clear_errors(tiny_models, tmp_path):
    from codebot.vision.target import VisionTarget

    with pytest.raises(ImageSourceError, match="does not exist"):
        VisionTarget({"image": str(tmp_path / "missing.png"), "models": tiny_models})
    with pytest.raises(InvalidArgumentError, match="exactly one input"):
        VisionTarget({"models": tiny_models})
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    t = VisionTarget({"image": str(bad), "models": {"detector": tiny_models["detector"]}})
    try:
        with pytest.raises(ImageSourceError, match="cannot read image"):
            t.backend()
    finally:
        t.close()


def test_depth_file_gives_depth_positions(tiny_models, tmp_path, rng):
    from codebot.vision.primitives import detect
    from codebot.vision.target import VisionTarget

    rgb = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    np.save(tmp_path / "d.npy", np.full((60, 80), 0.9, dtype=np.float32))  # a plane 10 cm above the table
    t = VisionTarget({"image": _write_png(tmp_path / "c.png", rgb), "depth": str(tmp_path / "d.npy"),
                      "models": {"detector": tiny_models["detector"]}, "threshold": 0.0, "output_dir": str(tmp_path)})
    try:
        context.bind(t.backend())
        found = detect("box")
        assert found and all(abs(d.position[2] - 0.05) < 0.01 for d in found)  # extruded 0..0.1 m
    finally:
        context.bind(None)
        t.close()


@pytest.mark.slow
def test_perception_program_runs_in_the_sandbox_and_returns_a_result(tiny_models, scene_png, tmp_path):
    from codebot.sandbox.pool import WorkerPool

    config = {"image": scene_png, "models": tiny_models, "threshold": 0.0, "device": "cpu",
              "annotated_path": str(tmp_path / "answer.png")}
    program = ("cups = detect('red cup')\n"
               "result = {'count': len(cups), 'where': [list(c.position) for c in cups],\n"
               "          'colour': ask_image('what colour?', ['red', 'blue'], about='cup')}\n")
    with WorkerPool("vision", config, size=1) as pool:
        out = pool.run(program, timeout_s=120)
        assert out.ok, out.error
        assert out.has_result and out.result["count"] == len(out.result["where"]) > 0
        assert out.result["colour"] in ("red", "blue")
        assert [c["name"] for c in out.call_log] == ["detect", "ask_image"]
        assert (tmp_path / "answer.png").stat().st_size > 0
        moved = pool.run("home()\n", timeout_s=60)
        assert not moved.ok and moved.error["kind"] == "no_robot"
