"""Perception sources side by side on sim renders: ground truth vs segmentation masks vs HSV colour vs a
model detector, scored against the simulator's object poses.

Per source: recall (ground-truth objects found under their name), precision (reported names that exist),
mean and max position error of the matches (m), and time per frame (s).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

import numpy as np

from codebot.primitives.protocols import Frame, ObjectInfo

# A source maps a batch of frames to objects per frame (batched so model sources batch their inference).
SourceFn = Callable[[Sequence[Frame]], list[list[ObjectInfo]]]


@dataclass
class SourceScore:
    source: str
    frames: int = 0
    truth: int = 0
    reported: int = 0
    matched: int = 0
    errors_m: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.reported if self.reported else 0.0

    @property
    def mean_error_m(self) -> float | None:
        return float(np.mean(self.errors_m)) if self.errors_m else None

    @property
    def max_error_m(self) -> float | None:
        return float(np.max(self.errors_m)) if self.errors_m else None

    def summary(self) -> dict:
        out = asdict(self)
        out.pop("errors_m")
        out.update(recall=round(self.recall, 3), precision=round(self.precision, 3),
                   mean_error_m=_r(self.mean_error_m), max_error_m=_r(self.max_error_m),
                   s_per_frame=round(self.seconds / self.frames, 4) if self.frames else None)
        return out


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


def score(truth: list[ObjectInfo], found: list[ObjectInfo], into: SourceScore, max_error_m: float = 0.05) -> None:
    """Add one frame's result: a found object matches the true object of the same name within `max_error_m`."""
    by_name = {o.name: o for o in truth}
    into.frames += 1
    into.truth += len(truth)
    into.reported += len(found)
    for o in found:
        t = by_name.pop(o.name, None)
        if t is None:
            continue
        err = float(np.linalg.norm(np.subtract(o.position[:2], t.position[:2])))  # on the table plane
        if err <= max_error_m:
            into.matched += 1
            into.errors_m.append(err)


def standard_sources(model: SourceFn | None = None) -> dict[str, SourceFn]:
    """Segmentation masks and HSV (primitives' sources on the same frames), plus `model` when given."""
    from codebot.primitives.perception import hsv, rgbd_seg

    sources: dict[str, SourceFn] = {
        "seg_masks": lambda frames: [rgbd_seg.objects_from_frame(f) for f in frames],
        "hsv": lambda frames: [hsv.objects_from_frame(f) for f in frames],
    }
    if model is not None:
        sources["model"] = model
    return sources


def model_source(perception) -> SourceFn:
    """A SourceFn of a `ModelPerception` (its detector batches the frames)."""
    return perception.objects_batch


def compare_on_sim(seeds: Sequence[int], sources: dict[str, SourceFn], camera: str = "top",
                   robot: str = "ur5e", batch: int = 8) -> list[SourceScore]:
    """Render `camera` for each seed's tabletop scene and score every source against ground truth."""
    from codebot import sim

    frames, truths = [], []
    env = sim.make("tabletop", robot=robot, seed=int(seeds[0]) if len(seeds) else 0)
    try:
        for seed in seeds:
            env.reset(seed=int(seed))
            frames.append(env.cameras[camera].capture())
            truths.append([o for o in env.objects() if o.visible])
    finally:
        env.close()
    return compare_frames(frames, truths, sources, batch=batch)


def compare_frames(frames: Sequence[Frame], truths: Sequence[list[ObjectInfo]], sources: dict[str, SourceFn],
                   batch: int = 8) -> list[SourceScore]:
    scores = []
    gt = SourceScore("ground_truth")
    for truth in truths:
        score(truth, truth, gt)
    scores.append(gt)
    for name, fn in sources.items():
        s = SourceScore(name)
        for start in range(0, len(frames), batch):
            chunk = frames[start:start + batch]
            t0 = time.perf_counter()
            found = fn(chunk)
            s.seconds += time.perf_counter() - t0
            for truth, objs in zip(truths[start:start + batch], found):
                score(truth, objs, s)
        scores.append(s)
    return scores


def render_table(scores: Sequence[SourceScore]) -> str:
    head = f"{'source':<14}{'recall':>8}{'precision':>11}{'mean err m':>12}{'max err m':>11}{'s/frame':>10}"
    lines = [head, "-" * len(head)]
    for s in scores:
        d = s.summary()
        fmt = lambda v: "-" if v is None else f"{v:.4f}"  # noqa: E731
        lines.append(f"{s.source:<14}{d['recall']:>8.3f}{d['precision']:>11.3f}{fmt(d['mean_error_m']):>12}"
                     f"{fmt(d['max_error_m']):>11}{fmt(d['s_per_frame']):>10}")
    return "\n".join(lines)
