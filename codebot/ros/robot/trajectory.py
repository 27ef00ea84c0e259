"""Joint trajectories without ROS: time parameterisation under velocity/acceleration limits,
limit checks, and sampling (what a joint trajectory controller does with the points)."""
from __future__ import annotations

import numpy as np

from codebot.primitives.errors import InvalidArgumentError, JointLimitError, VelocityLimitError

MIN_SEGMENT_S = 0.01


def time_parameterize(waypoints: np.ndarray, vel_limits: np.ndarray, speed_scale: float = 1.0,
                      acc_limit: float = 4.0, start_time: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Times for each waypoint and velocities at each, so no joint exceeds `speed_scale * vel_limits`.

    Each segment lasts long enough for its slowest joint; the first and last segments also respect
    `acc_limit` (rad/s^2) from and to rest, so a trajectory starts and ends smoothly.
    Returns (times (N,), velocities (N, J)); times[0] == start_time, velocities 0 at both ends.
    """
    q = np.asarray(waypoints, dtype=float)
    v = np.asarray(vel_limits, dtype=float) * float(speed_scale)
    if q.ndim != 2 or len(q) < 1 or q.shape[1] != v.shape[0]:
        raise InvalidArgumentError("waypoints must be (N, J) with J velocity limits",
                                   shape=list(q.shape), limits=int(v.shape[0]))
    if not (0.0 < speed_scale <= 1.0):
        raise InvalidArgumentError(f"speed_scale must be in (0, 1], got {speed_scale}")
    if np.any(v <= 0) or not np.all(np.isfinite(q)):
        raise InvalidArgumentError("velocity limits must be positive and waypoints finite")
    dq = np.abs(np.diff(q, axis=0))
    seg = np.max(dq / v, axis=1) if len(dq) else np.zeros(0)
    seg = np.maximum(seg, MIN_SEGMENT_S)
    if len(seg):
        # from rest: covering d at constant acc a takes sqrt(2 d / a); take the largest joint move
        for idx in {0, len(seg) - 1}:
            d = float(np.max(dq[idx]))
            seg[idx] = max(seg[idx], np.sqrt(2.0 * d / acc_limit))
    times = start_time + np.concatenate([[0.0], np.cumsum(seg)])
    vel = np.zeros_like(q)
    if len(q) > 2:
        # central differences, clipped to the limit; ends stay at rest
        vel[1:-1] = (q[2:] - q[:-2]) / (times[2:] - times[:-2])[:, None]
        vel[1:-1] = np.clip(vel[1:-1], -v, v)
    return times, vel


def check_limits(times: np.ndarray, positions: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                 vel_limits: np.ndarray, start: np.ndarray | None = None, tolerance: float = 0.05,
                 joint_names: list[str] | None = None) -> None:
    """Raise JointLimitError / VelocityLimitError when a trajectory (optionally starting at `start`
    at t=0) leaves the joint box or moves a joint faster than its limit (+`tolerance` fraction)."""
    names = joint_names or [f"joint{i}" for i in range(positions.shape[1])]
    lo_bad = positions < np.asarray(lower) - 1e-6
    hi_bad = positions > np.asarray(upper) + 1e-6
    if lo_bad.any() or hi_bad.any():
        j = int(np.argwhere(lo_bad | hi_bad)[0][1])
        raise JointLimitError(f"trajectory takes {names[j]} outside [{lower[j]:.3f}, {upper[j]:.3f}]",
                              joint=names[j])
    t, q = np.asarray(times, float), np.asarray(positions, float)
    if start is not None:
        t, q = np.concatenate([[0.0], t]), np.vstack([np.asarray(start, float), q])
    if len(t) < 2:
        return
    dt = np.diff(t)
    if np.any(dt <= 0):
        raise InvalidArgumentError("trajectory times must increase")
    speed = np.abs(np.diff(q, axis=0)) / dt[:, None]
    ratio = speed / np.asarray(vel_limits, float)
    if np.max(ratio) > 1.0 + tolerance:
        i, j = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
        raise VelocityLimitError(
            f"trajectory moves {names[j]} at {speed[i, j]:.2f} rad/s > limit {vel_limits[j]:.2f}",
            joint=names[j], speed=float(speed[i, j]), limit=float(vel_limits[j]))


def sample(times: np.ndarray, positions: np.ndarray, t: float) -> tuple[np.ndarray, np.ndarray]:
    """Position and velocity of the piecewise-linear trajectory at time t (at rest past the ends)."""
    times = np.asarray(times, float)
    if t <= times[0] or len(times) < 2:
        return positions[0].copy(), np.zeros_like(positions[0])
    if t >= times[-1]:
        return positions[-1].copy(), np.zeros_like(positions[-1])
    i = int(np.searchsorted(times, t, side="right")) - 1
    span = times[i + 1] - times[i]
    a = (t - times[i]) / span
    return (1 - a) * positions[i] + a * positions[i + 1], (positions[i + 1] - positions[i]) / span


def knot_velocities(times: np.ndarray, positions: np.ndarray, vel_limits: np.ndarray | None = None) -> np.ndarray:
    """Velocities at the knots of a timed path: central differences, at rest at both ends."""
    t, q = np.asarray(times, float), np.asarray(positions, float)
    vel = np.zeros_like(q)
    if len(q) > 2:
        vel[1:-1] = (q[2:] - q[:-2]) / (t[2:] - t[:-2])[:, None]
        if vel_limits is not None:
            vel[1:-1] = np.clip(vel[1:-1], -np.asarray(vel_limits), np.asarray(vel_limits))
    return vel
