"""Top-camera images of the scene before and after each run, rendered by the sim server (the trusted
side: the program process never renders or writes them) and written beside the episode's trace.

The orchestrator names a path prefix per run (`<trace dir>/snapshots/<episode>/attempt<N>`); the server
writes `<prefix>_before.png` and `<prefix>_after.png` (SIZE pixels, a few tens of kB each) and reports
their paths and its render time in the run result's `snapshots`. A target without `snapshot_rgb` (the
vision target) writes nothing; a render or write that fails is reported, never raised."""
from __future__ import annotations

import os
import time
from pathlib import Path

SIZE = (256, 192)  # width, height: enough to see which block went where, small enough to keep per attempt


def take(target, prefix: str | None, which: str, result: dict) -> None:
    """Render the target's top view to `<prefix>_<which>.png`; record the path (or the error) in
    result["snapshots"]."""
    render = getattr(target, "snapshot_rgb", None)
    if not prefix or render is None:
        return
    shots = result.setdefault("snapshots", {})
    t = time.perf_counter()
    try:
        path = Path(f"{prefix}_{which}.png")
        write_png(path, render(SIZE))
        shots[which] = str(path)
    except Exception as exc:  # a missing image is a placeholder in the viewer, not a failed run
        shots[f"{which}_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    shots["render_ms"] = round(shots.get("render_ms", 0.0) + 1000 * (time.perf_counter() - t), 2)


def write_png(path: Path, rgb) -> None:
    """An RGB uint8 array as a PNG, written to a temporary name and renamed (never half a file)."""
    from codebot.extras import require

    cv2 = require("cv2", "sim")
    ok, data = cv2.imencode(".png", rgb[:, :, ::-1])
    if not ok:
        raise ValueError("PNG encoding failed")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.tobytes())
    tmp.replace(path)


def relative_snapshots(result, trace_dir: str | None) -> None:
    """The trace records snapshot paths relative to its own directory (it can be moved or served)."""
    shots = result.snapshots
    if not shots or not trace_dir:
        return
    base = Path(trace_dir).resolve()
    for which in ("before", "after"):
        if isinstance(shots.get(which), str):
            shots[which] = os.path.relpath(shots[which], base)
