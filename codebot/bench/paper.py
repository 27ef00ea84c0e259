"""The paper's published Table III figures (Liang et al. 2022, "Code as Policies", arXiv 2209.07753),
printed beside ours and labelled as the paper's numbers on the paper's (unpublished) harness.

PUBLISHED maps (cell, category) -> success % of the paper's CaP method (50 trials per template there
too). Provenance: the stored copies of the paper hold only its opening, so these were read from two
independent reading notes that transcribe Table III of the arXiv PDF (they agree on every cell; a third
agrees where it overlaps). A None would print as "n/a (see paper)"; nothing here is estimated.
"""
from __future__ import annotations

PAPER = "Liang et al. 2022, Code as Policies, arXiv:2209.07753, Table III (CaP)"
PUBLISHED: dict[tuple[str, str], float | None] = {
    ("SA/SI", "long_horizon"): 97.2,
    ("SA/SI", "spatial"): 89.3,
    ("UA/SI", "long_horizon"): 97.6,
    ("UA/SI", "spatial"): 73.3,
    ("UA/UI", "long_horizon"): 80.0,
    ("UA/UI", "spatial"): 62.0,
}


def published(cell: str, category: str) -> str:
    value = PUBLISHED.get((cell, category))
    return "n/a (see paper)" if value is None else f"{value:.1f}"
