"""Confidence intervals for small-sample success rates."""
from __future__ import annotations

import math


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of a success rate, as fractions in [0, 1].
    Unlike the normal approximation it stays inside [0, 1] and is not zero-width at 0/n or n/n,
    which is what a 2- or 10-trial cell usually shows."""
    if trials <= 0:
        return (0.0, 1.0)
    if not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes out of {trials} trials")
    if successes == 0 or successes == trials:  # closed form at the edges: no rounding off 0 or 1
        bound = trials / (trials + z * z)
        return (0.0, 1 - bound) if successes == 0 else (bound, 1.0)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def pct_with_interval(successes: int, trials: int) -> str:
    """'70.0 [39.7–89.2]': the success percentage and its 95 % Wilson interval."""
    if trials <= 0:
        return "–"
    lo, hi = wilson_interval(successes, trials)
    return f"{100.0 * successes / trials:.1f} [{100 * lo:.1f}–{100 * hi:.1f}]"
