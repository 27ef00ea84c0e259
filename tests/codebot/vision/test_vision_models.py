"""Loading: local directories through from_pretrained(local_files_only), one shared copy, device and
dtype choice, and clear errors for missing weights, wrong roles and an absent GPU."""
from __future__ import annotations

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from codebot.vision import models
from codebot.vision.errors import UnsupportedModelError, WeightsNotFoundError
from codebot.primitives.errors import InvalidArgumentError


def test_local_directory_loads_each_role_on_cpu_in_fp32(tiny_models):
    import torch

    for role, path in tiny_models.items():
        m = models.load_model(role, path, device="cpu")
        assert m.role == role and m.device == "cpu" and m.dtype == torch.float32
        assert m.model_type == {"detector": "owlv2", "matcher": "clip", "segmenter": "sam"}[role]
        assert not m.model.training
        assert next(m.model.parameters()).dtype == torch.float32


def test_models_are_loaded_once_and_shared(tiny_models):
    a = models.load_model("detector", tiny_models["detector"], device="cpu")
    b = models.load_model("detector", tiny_models["detector"] + "/", device="cpu")  # same dir, other spelling
    assert a is b


def test_owlvit_detector_loads_too(tiny_owlvit):
    m = models.load_model("detector", tiny_owlvit, device="cpu")
    assert m.model_type == "owlvit"


def test_hub_id_missing_from_cache_names_how_to_get_weights(monkeypatch, tmp_path):
    monkeypatch.delenv(models.ALLOW_DOWNLOAD_ENV, raising=False)
    with pytest.raises(WeightsNotFoundError) as info:  # an empty cache
        models.load_model("detector", "google/owlv2-base-patch16-ensemble", device="cpu", cache_dir=tmp_path)
    text = str(info.value)
    assert "huggingface-cli download google/owlv2-base-patch16-ensemble" in text
    assert "--vision-model" in text and models.ALLOW_DOWNLOAD_ENV in text
    assert info.value.to_dict()["kind"] == "weights_not_found"


def test_nonexistent_path_is_a_clear_error():
    with pytest.raises(WeightsNotFoundError, match="not a model directory"):
        models.load_model("matcher", "./no/such/dir", device="cpu")


def test_a_model_of_the_wrong_role_is_refused(tiny_models):
    with pytest.raises(UnsupportedModelError, match="'clip' model"):
        models.load_model("detector", tiny_models["matcher"], device="cpu")


def test_unknown_role_and_device_are_refused(tiny_models):
    with pytest.raises(InvalidArgumentError):
        models.load_model("tracker", tiny_models["detector"])
    with pytest.raises(InvalidArgumentError, match="unknown device"):
        models.select_device("tpu")


def test_auto_device_follows_cuda_and_fp16_only_on_gpu():
    expected = "cuda" if _cuda() else "cpu"
    assert models.select_device("auto") == expected
    import torch

    assert models.select_dtype("cpu", half=True) == torch.float32
    assert models.select_dtype("cuda", half=True) == torch.float16
    assert models.select_dtype("cuda", half=False) == torch.float32


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="checks the no-GPU error")
def test_asking_for_cuda_without_a_gpu_says_so():
    with pytest.raises(InvalidArgumentError, match="no CUDA GPU"):
        models.select_device("cuda")


def test_default_sources_come_from_env_vars(monkeypatch, tiny_models):
    monkeypatch.setenv("CODEBOT_VISION_DETECTOR", tiny_models["detector"])
    monkeypatch.delenv("CODEBOT_VISION_MATCHER", raising=False)
    sources, optional = models.configured_sources(None)
    assert sources["detector"] == tiny_models["detector"]
    assert optional == {"matcher", "segmenter"}
    explicit, none_optional = models.configured_sources({"detector": "a/b", "segmenter": None})
    assert explicit == {"detector": "a/b"} and none_optional == set()
    with pytest.raises(InvalidArgumentError, match="unknown model roles"):
        models.configured_sources({"tracker": "x"})


def test_default_optional_roles_are_skipped_when_not_cached(monkeypatch, tmp_path, tiny_models):
    from codebot.vision.service import VisionModels

    monkeypatch.setenv("CODEBOT_VISION_DETECTOR", tiny_models["detector"])
    for var in ("CODEBOT_VISION_MATCHER", "CODEBOT_VISION_SEGMENTER"):
        monkeypatch.delenv(var, raising=False)
    loaded = VisionModels.load(None, device="cpu", cache_dir=str(tmp_path))  # an empty cache
    assert loaded.detector is not None and loaded.matcher is None and loaded.segmenter is None


@pytest.mark.gpu
def test_gpu_loads_in_fp16_and_detects(tiny_models):
    import numpy as np
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no CUDA GPU")
    from codebot.vision.detector import OpenVocabDetector

    m = models.load_model("detector", tiny_models["detector"], device="cuda")
    assert next(m.model.parameters()).dtype == torch.float16 and m.device == "cuda"
    out = OpenVocabDetector(m).detect([np.zeros((64, 64, 3), np.uint8)] * 3, ["red cup"], threshold=0.0)
    assert len(out) == 3


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def test_hub_id_loads_offline_from_the_hugging_face_cache(monkeypatch, tmp_path, tiny_models):
    """A hub id resolves through the local cache layout (models--org--name/snapshots/REV) with no network."""
    import shutil

    snapshot = tmp_path / "models--codebot-test--tiny-owlv2" / "snapshots" / ("0" * 40)
    shutil.copytree(tiny_models["detector"], snapshot)
    (snapshot.parents[1] / "refs").mkdir()
    (snapshot.parents[1] / "refs" / "main").write_text("0" * 40)
    monkeypatch.delenv(models.ALLOW_DOWNLOAD_ENV, raising=False)
    m = models.load_model("detector", "codebot-test/tiny-owlv2", device="cpu", cache_dir=tmp_path)
    assert m.model_type == "owlv2" and m.source == "codebot-test/tiny-owlv2"
