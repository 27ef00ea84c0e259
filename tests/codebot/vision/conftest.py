"""Tiny randomly initialised vision models, built once per test session and loaded through the same
code users run on real weights. Tests that need them skip cleanly without the `vision` extra."""
from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, str]:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from codebot.vision.tiny import build_all

    return build_all(tmp_path_factory.mktemp("tiny-vision"))


@pytest.fixture(scope="session")
def tiny_owlvit(tmp_path_factory) -> str:
    pytest.importorskip("transformers")
    from codebot.vision.tiny import build_detector

    return str(build_detector(tmp_path_factory.mktemp("tiny-owlvit") / "owlvit", kind="owlvit"))


@pytest.fixture(scope="session")
def loaded(tiny_models):
    from codebot.vision.service import VisionModels

    return VisionModels.load(tiny_models, device="cpu", batch_size=4)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)
