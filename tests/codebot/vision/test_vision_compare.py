"""Model perception and the perception-source comparison on sim renders. A detector that reads boxes
off the true segmentation checks the box -> world path of the model source; the tiny random detector
checks that a real model runs through the comparison (its scores mean nothing)."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pybullet")
pytestmark = pytest.mark.slow


class TrueBoxDetector:
    """Test double of OpenVocabDetector.detect: boxes of the true masks of one sim frame."""

    def __init__(self, frame):
        self.frame = frame

    def detect(self, images, queries, threshold: float = 0.1):
        from codebot.vision.detector import Detection2D

        out = []
        for obj_id, name in self.frame.seg_labels.items():
            vs, us = np.nonzero(self.frame.seg == obj_id)
            if name in queries and len(vs) >= 50:
                out.append(Detection2D(name, (float(us.min()), float(vs.min()), float(us.max() + 1),
                                              float(vs.max() + 1)), 0.9))
        return [out for _ in images]


@pytest.fixture(scope="module")
def sim_frame():
    from codebot import sim

    env = sim.make("tabletop", seed=2)
    try:
        return env.cameras["top"].capture(), {o.name: o for o in env.objects()}
    finally:
        env.close()


def test_model_perception_puts_true_boxes_on_the_true_objects(sim_frame):
    from codebot.vision.perception import ModelDetector, ModelPerception

    frame, truth = sim_frame
    perception = ModelPerception(lambda: frame, ModelDetector(TrueBoxDetector(frame)), threshold=0.5)
    objects = perception.objects()
    assert {o.name for o in objects} == {n for n in truth if (frame.seg == _id(frame, n)).sum() >= 50}
    for o in objects:
        t = truth[o.name]
        assert np.linalg.norm(np.subtract(o.position, t.position)) < 0.015, (o.name, o.position, t.position)
        assert o.kind == t.kind and o.color == t.color and o.score == pytest.approx(0.9)


def test_without_depth_model_perception_uses_the_table_plane(sim_frame):
    from dataclasses import replace

    from codebot.vision.perception import ModelDetector, ModelPerception

    frame, truth = sim_frame
    flat = replace(frame, depth=np.full_like(frame.depth, np.nan))
    objects = ModelPerception(lambda: flat, ModelDetector(TrueBoxDetector(frame)), threshold=0.5).objects()
    assert objects
    for o in objects:
        assert o.position[2] == 0.0
        assert np.linalg.norm(np.subtract(o.position[:2], truth[o.name].position[:2])) < 0.02


def test_comparison_scores_every_source_against_ground_truth(loaded):
    from codebot.vision.compare import compare_on_sim, model_source, render_table, standard_sources
    from codebot.vision.perception import ModelDetector, ModelPerception

    model = ModelPerception(lambda: None, ModelDetector(loaded.detector, threshold=0.0), threshold=0.0)
    scores = {s.source: s for s in compare_on_sim([0, 1], standard_sources(model_source(model)), batch=2)}
    assert set(scores) == {"ground_truth", "seg_masks", "hsv", "model"}
    assert scores["ground_truth"].recall == 1.0 and scores["ground_truth"].mean_error_m == 0.0
    seg = scores["seg_masks"]
    assert seg.recall >= 0.9 and seg.precision >= 0.9 and seg.mean_error_m < 0.01
    assert scores["hsv"].recall >= 0.5
    # Random weights: the model row proves the batched model path runs and is timed, not its quality.
    assert scores["model"].frames == 2 and scores["model"].truth == seg.truth and scores["model"].seconds > 0
    table = render_table(scores.values())
    assert len(table.splitlines()) == 6 and "seg_masks" in table


def _id(frame, name):
    return next(i for i, n in frame.seg_labels.items() if n == name)
