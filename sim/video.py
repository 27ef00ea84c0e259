"""Video/GIF export of a rollout: grab a camera frame every n physics steps, write with imageio."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from codebot.extras import require
from codebot.primitives.errors import InvalidArgumentError


class Recorder:
    def __init__(self, world, camera, fps: int = 24, every_n_steps: int = 10, size=None):
        if isinstance(fps, bool) or not isinstance(fps, (int, np.integer)) or not 1 <= fps <= 120:
            raise InvalidArgumentError(f"fps must be an integer in [1, 120], got {fps!r}")
        if isinstance(every_n_steps, bool) or not isinstance(every_n_steps, (int, np.integer)) or every_n_steps < 1:
            raise InvalidArgumentError(f"every_n_steps must be a positive integer, got {every_n_steps!r}")
        self.world, self.camera, self.fps, self.every = world, camera, int(fps), int(every_n_steps)
        self.frames: list[np.ndarray] = []
        self.world.add_hook(self._on_step)
        self.frames.append(self.camera.rgb())

    def _on_step(self, step: int) -> None:
        if step % self.every == 0:
            self.frames.append(self.camera.rgb())

    def finish(self, path) -> str | None:
        """Stop grabbing; write the frames to `path` (.mp4 or .gif) and return it (None: discard)."""
        self.world.remove_hook(self._on_step)
        if path is None:
            return None
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".mp4", ".gif"):
            raise InvalidArgumentError(f"video path must end in .mp4 or .gif, got {str(path)!r}")
        iio = require("imageio", "sim")
        path.parent.mkdir(parents=True, exist_ok=True)
        frames = self.frames or [self.camera.rgb()]
        if suffix == ".gif":
            iio.mimsave(str(path), frames, duration=1000.0 / self.fps, loop=0)
        else:
            require("imageio_ffmpeg", "sim")
            # macro_block_size=1 keeps odd render sizes as they are instead of resizing
            iio.mimsave(str(path), frames, fps=self.fps, codec="libx264", macro_block_size=1,
                        quality=7, pixelformat="yuv420p" if frames[0].shape[0] % 2 == 0
                        and frames[0].shape[1] % 2 == 0 else None)
        return str(path)
