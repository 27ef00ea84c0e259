"""The paper's published Table III figures (Liang et al. 2022, "Code as Policies", arXiv 2209.07753),
printed beside ours and labelled as the paper's numbers on the paper's (unpublished) harness.

PUBLISHED maps (cell, category) -> success % of the paper's CaP method, or None where we could not
read the figure from the paper itself; None prints as "n/a (see paper)". Nothing here is estimated.
"""
from __future__ import annotations

PAPER = "Liang et al. 2022, Code as Policies, arXiv:2209.07753, Table III (CaP)"
PUBLISHED: dict[tuple[str, str], float | None] = {
    ("SA/SI", "long_horizon"): None,
    ("SA/SI", "spatial"): None,
    ("UA/SI", "long_horizon"): None,
    ("UA/SI", "spatial"): None,
    ("UA/UI", "long_horizon"): None,
    ("UA/UI", "spatial"): None,
}


def published(cell: str, category: str) -> str:
    value = PUBLISHED.get((cell, category))
    return "n/a (see paper)" if value is None else f"{value:.1f}"
