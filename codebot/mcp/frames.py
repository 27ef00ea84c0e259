"""Frames of a recorded episode video as PNG bytes, for MCP image resources."""
from __future__ import annotations

import io

from codebot.extras import require


def _frames(path: str) -> list:
    iio = require("imageio", "sim")
    reader = iio.get_reader(path)
    try:
        return [frame for frame in reader]
    finally:
        reader.close()


def video_frame_count(path: str) -> int:
    return len(_frames(path))


def read_frame(path: str, index: int) -> bytes:
    """Frame `index` of the video at `path`, encoded as PNG."""
    iio = require("imageio", "sim")
    frames = _frames(path)
    buf = io.BytesIO()
    iio.imwrite(buf, frames[index], format="png")
    return buf.getvalue()
