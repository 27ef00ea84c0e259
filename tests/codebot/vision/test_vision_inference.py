"""Batched inference on tiny random models: preprocessing shapes, batch-size invariance, per-image
queries, box sanity, masks and probabilities. Random weights: the path is tested, not the quality."""
from __future__ import annotations

import numpy as np
import pytest

from codebot.vision.detector import OpenVocabDetector, box_iou, nms
from codebot.vision.matcher import ImageTextMatcher
from codebot.vision.segmenter import BoxSegmenter
from vision_helpers import random_images
from codebot.primitives.errors import InvalidArgumentError


def test_preprocessing_resizes_every_image_to_the_model_input(loaded, rng):
    det = loaded.detector
    images = random_images(rng, 3)
    inputs = det.preprocess(images, [["red cup", "blue bowl"]] * 3)
    assert tuple(inputs["pixel_values"].shape) == (3, 3, 64, 64)  # the tiny model's 64 px input
    assert tuple(inputs["input_ids"].shape) == (6, 16)  # queries flattened per image, padded to 16 tokens
    assert inputs["pixel_values"].dtype == det.loaded.dtype


def test_detections_do_not_depend_on_the_batch_size(loaded, rng):
    images = random_images(rng, 5)
    one = OpenVocabDetector(loaded.detector.loaded, batch_size=1).detect(images, "red cup, blue bowl", threshold=0.0)
    many = OpenVocabDetector(loaded.detector.loaded, batch_size=4).detect(images, "red cup, blue bowl", threshold=0.0)
    assert len(one) == len(many) == 5
    for a, b in zip(one, many):
        assert [d.label for d in a] == [d.label for d in b]
        np.testing.assert_allclose([d.box for d in a], [d.box for d in b], atol=1e-2)
        np.testing.assert_allclose([d.score for d in a], [d.score for d in b], atol=1e-4)


def test_boxes_lie_inside_their_image_and_come_best_first(loaded, rng):
    images = random_images(rng, 3)
    for im, dets in zip(images, loaded.detector.detect(images, ["red cup", "blue bowl"], threshold=0.0)):
        assert dets, "a random model at threshold 0 still proposes boxes"
        h, w = im.shape[:2]
        for d in dets:
            x0, y0, x1, y1 = d.box
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
            assert d.label in ("red cup", "blue bowl") and 0 <= d.score <= 1
        scores = [d.score for d in dets]
        assert scores == sorted(scores, reverse=True)


def test_per_image_query_lists_of_different_lengths(loaded, rng):
    images = random_images(rng, 2)
    out = loaded.detector.detect(images, [["red cup"], ["blue bowl", "green block", "yellow bowl"]], threshold=0.0)
    assert {d.label for d in out[0]} <= {"red cup"}  # the padding queries never leak out as labels
    assert {d.label for d in out[1]} <= {"blue bowl", "green block", "yellow bowl"}


def test_threshold_filters_scores(loaded, rng):
    images = random_images(rng, 2)
    all_ = loaded.detector.detect(images, "red cup", threshold=0.0, nms_iou=1.0)
    some = loaded.detector.detect(images, "red cup", threshold=0.5, nms_iou=1.0)
    for a, s in zip(all_, some):
        assert all(d.score > 0.5 for d in s)
        assert len(s) == sum(d.score > 0.5 for d in a)


def test_bad_inputs_raise_structured_errors(loaded, rng):
    det = loaded.detector
    with pytest.raises(InvalidArgumentError):
        det.detect([np.zeros((10, 10), dtype=object)], "cup")
    with pytest.raises(InvalidArgumentError, match="empty"):
        det.detect(random_images(rng, 1), " , ")
    with pytest.raises(InvalidArgumentError):
        det.detect(random_images(rng, 1), "cup", threshold=1.5)
    with pytest.raises(InvalidArgumentError, match="query lists"):
        det.detect(random_images(rng, 2), [["cup"]])
    with pytest.raises(InvalidArgumentError, match="no images"):
        det.detect([], "cup")


def test_nms_keeps_the_best_of_overlapping_boxes_per_label():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [0, 0, 10, 10], [50, 50, 60, 60]], dtype=float)
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    labels = np.array([0, 0, 1, 0])
    assert nms(boxes, scores, labels, 0.5) == [0, 2, 3]
    assert box_iou(boxes[:1], boxes[3:]).item() == 0.0


def test_matcher_probabilities_sum_to_one_and_batch_invariantly(loaded, rng):
    images = random_images(rng, 5)
    texts = ["a photo of red", "a photo of blue", "a photo of green"]
    p1 = ImageTextMatcher(loaded.matcher.loaded, batch_size=1).probabilities(images, texts)
    p4 = ImageTextMatcher(loaded.matcher.loaded, batch_size=4).probabilities(images, texts)
    assert p1.shape == (5, 3)
    np.testing.assert_allclose(p1.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(p1, p4, atol=1e-5)
    best, prob = loaded.matcher.best(images[0], texts)
    assert best == texts[int(np.argmax(p1[0]))] and prob == pytest.approx(p1[0].max(), abs=1e-5)


def test_segmenter_masks_match_image_size_and_chunking(loaded, rng):
    image = random_images(rng, 1)[0]
    boxes = [[10, 10, 60, 50], [80, 20, 150, 110], [0, 0, 160, 120]]
    masks, scores = loaded.segmenter.segment(image, boxes)
    assert masks.shape == (3, 120, 160) and masks.dtype == bool and scores.shape == (3,)
    one_by_one, _ = BoxSegmenter(loaded.segmenter.loaded, batch_size=1).segment(image, boxes)
    assert (one_by_one == masks).mean() > 0.999  # same masks whether prompts are batched or not
    empty, _ = loaded.segmenter.segment(image, [])
    assert empty.shape == (0, 120, 160)
    with pytest.raises(InvalidArgumentError):
        loaded.segmenter.segment(image, [[50, 50, 40, 60]])


@pytest.mark.parametrize("fixture", ["tiny_models", "tiny_owlvit"])
def test_fast_preprocessing_matches_the_checkpoint_processor(request, fixture, rng):
    from codebot.vision.models import load_model

    source = request.getfixturevalue(fixture)
    m = load_model("detector", source["detector"] if isinstance(source, dict) else source, device="cpu")
    fast = OpenVocabDetector(m)
    assert fast.images_to_tensor is not None
    slow = OpenVocabDetector(m, fast_preprocess=False)
    images = random_images(rng, 3)
    queries = [["red cup", "blue bowl"]] * 3
    a, b = fast.preprocess(images, queries), slow.preprocess(images, queries)
    assert a["pixel_values"].shape == b["pixel_values"].shape
    assert (a["input_ids"] == b["input_ids"]).all()
    diff = (a["pixel_values"] - b["pixel_values"]).abs()
    # OWLv2: the same gaussian + linear zoom as scipy (float32 vs float64); OWL-ViT: torch's antialiased
    # bicubic vs PIL's, a few thousandths apart in normalised units.
    assert diff.mean().item() < 0.01 and diff.max().item() < (0.001 if fixture == "tiny_models" else 0.15)
