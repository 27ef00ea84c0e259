"""The tabletop workspace (table frame, metres), shared by sim, primitives and the safety gate."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Workspace:
    """Axis-aligned box the tool may reach; z is up from the table top. The robot base sits at the
    origin. As in Code as Policies, 'left'/'right' are -x/+x and 'top'/'bottom' are +y/-y, so the
    top side (y=-0.2) is the one nearest the robot base."""

    x: tuple[float, float] = (-0.3, 0.3)
    y: tuple[float, float] = (-0.8, -0.2)
    z: tuple[float, float] = (0.0, 0.5)
    table_z: float = 0.0

    def contains(self, xyz, margin: float = 0.0) -> bool:
        x, y, z = (float(v) for v in xyz[:3])
        return (self.x[0] - margin <= x <= self.x[1] + margin
                and self.y[0] - margin <= y <= self.y[1] + margin
                and self.z[0] - margin <= z <= self.z[1] + margin)

    def violation(self, xyz, margin: float = 0.0) -> str | None:
        """Human-readable reason `xyz` is outside, e.g. 'x=0.52 > 0.30', or None when inside."""
        for axis, value, (lo, hi) in zip("xyz", xyz[:3], (self.x, self.y, self.z)):
            value = float(value)
            if not np.isfinite(value):
                return f"{axis}={value} is not a finite number"
            if value < lo - margin:
                return f"{axis}={value:.2f} < {lo:.2f}"
            if value > hi + margin:
                return f"{axis}={value:.2f} > {hi:.2f}"
        return None

    @property
    def center(self) -> np.ndarray:
        return np.array([sum(self.x) / 2, sum(self.y) / 2, self.table_z])


DEFAULT_WORKSPACE = Workspace()
