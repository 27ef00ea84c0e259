"""Where the vision target's frames come from: an image file, a directory of images, or a ROS 2 image
topic. Each source is a `Camera` (capture() -> Frame) so perception code treats them alike.

Files carry no calibration, so the camera model comes from the config: `intrinsics` (3x3) or `fov_deg`
(vertical, default 45), and `camera_to_world` (4x4, OpenCV axes) or the default, a camera 1 m above the
workspace centre looking straight down (image right = +x, image up = +y), as the sim's top camera.
`depth` (a .npy in metres or a 16-bit PNG in mm) gives real 3-D positions; without it positions lie on the
table plane.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from codebot.vision.errors import ImageSourceError
from codebot.vision.geometry import check_camera, intrinsics_from_fov, look_at
from codebot.vision.images import as_rgb
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import Frame
from codebot.primitives.workspace import DEFAULT_WORKSPACE

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff")
DEFAULT_CAMERA_HEIGHT = 1.0
DEFAULT_FOV_DEG = 45.0  # vertical; the sim's top camera, so its renders locate right with no calibration


def default_camera_to_world(table_z: float = DEFAULT_WORKSPACE.table_z) -> np.ndarray:
    c = DEFAULT_WORKSPACE.center
    return look_at((c[0], c[1], table_z + DEFAULT_CAMERA_HEIGHT), (c[0], c[1], table_z))


def camera_model(config: dict[str, Any], width: int, height: int, K=None) -> tuple[np.ndarray, np.ndarray]:
    """(K, camera_to_world) from the config, falling back to `K` (e.g. CameraInfo) and the defaults."""
    if config.get("intrinsics") is not None:
        K = config["intrinsics"]
    elif K is None:
        K = intrinsics_from_fov(width, height, float(config.get("fov_deg", DEFAULT_FOV_DEG)))
    T = config.get("camera_to_world")
    if T is None:
        T = default_camera_to_world(float(config.get("table_z", DEFAULT_WORKSPACE.table_z)))
    return check_camera(K, T)


def list_images(path: str | Path) -> list[Path]:
    """An image file, or the image files of a directory in name order."""
    p = Path(path).expanduser()
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        if not files:
            raise ImageSourceError(f"directory {str(p)!r} holds no images ({', '.join(IMAGE_SUFFIXES)})", path=str(p))
        return files
    if p.is_file():
        return [p]
    raise ImageSourceError(f"image path {str(p)!r} does not exist", path=str(p))


def read_rgb(path: str | Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            return as_rgb(np.asarray(im.convert("RGB")), str(path))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageSourceError(f"cannot read image {str(path)!r}: {exc}", path=str(path)) from None


def read_depth(path: str | Path, shape: tuple[int, int]) -> np.ndarray:
    """Depth in metres from a .npy (metres) or a 16-bit PNG (millimetres, 0 = unknown)."""
    p = Path(path).expanduser()
    try:
        if p.suffix.lower() == ".npy":
            depth = np.load(p, allow_pickle=False).astype(np.float32)
        else:
            from PIL import Image

            with Image.open(p) as im:
                raw = np.asarray(im)
            depth = raw.astype(np.float32) / 1000.0
            depth[raw == 0] = np.nan
    except (OSError, ValueError) as exc:
        raise ImageSourceError(f"cannot read depth {str(p)!r}: {exc}", path=str(p)) from None
    if depth.shape != tuple(shape):
        raise ImageSourceError(f"depth {str(p)!r} is {depth.shape}, the image is {tuple(shape)}", path=str(p))
    return depth


class FileSource:
    """Frames from image files. `index` picks the image of a directory; `select(i)` moves to another."""

    def __init__(self, config: dict[str, Any]):
        self.config = dict(config)
        self.paths = list_images(config["image"])
        self.depth_paths = list_images(config["depth"]) if config.get("depth") else []
        if self.depth_paths and len(self.depth_paths) != len(self.paths):
            raise ImageSourceError(f"{len(self.depth_paths)} depth files for {len(self.paths)} images")
        self.index = 0
        self.select(int(config.get("index", 0)))
        self.name = "file"

    def select(self, index: int) -> None:
        if not 0 <= index < len(self.paths):
            raise InvalidArgumentError(f"image index {index} is outside 0..{len(self.paths) - 1}")
        self.index = index

    @property
    def path(self) -> Path:
        return self.paths[self.index]

    def capture(self) -> Frame:
        rgb = read_rgb(self.path)
        h, w = rgb.shape[:2]
        self.width, self.height = w, h
        if self.depth_paths:
            depth = read_depth(self.depth_paths[self.index], (h, w))
        else:
            depth = np.full((h, w), np.nan, dtype=np.float32)
        K, T = camera_model(self.config, w, h)
        return Frame(rgb=rgb, depth=depth, intrinsics=K, camera_to_world=T, name=self.path.name,
                     stamp=time.time())

    def close(self) -> None:
        pass


class TopicSource:
    """Frames from a ROS 2 image topic (plus optional depth topic and CameraInfo topic)."""

    def __init__(self, config: dict[str, Any]):
        from codebot.vision.ros_image import ImageTopicSubscriber

        self.config = dict(config)
        self.timeout = float(config.get("timeout_s", 10.0))
        self.subscriber = ImageTopicSubscriber(config["topic"], depth_topic=config.get("depth_topic"),
                                               info_topic=config.get("camera_info_topic"),
                                               domain_id=config.get("domain_id"))
        self.name = config["topic"]
        try:  # the first image now: a silent topic fails here, and the executor's threads exist before
            self.subscriber.wait(self.timeout)  # a sandbox worker applies its process limits
        except BaseException:
            self.subscriber.close()
            raise

    def capture(self) -> Frame:
        rgb, depth, K, _ = self.subscriber.wait(self.timeout)  # the latest image; waits for the first
        h, w = rgb.shape[:2]
        self.width, self.height = w, h
        K, T = camera_model(self.config, w, h, K)
        if depth is None:
            depth = np.full((h, w), np.nan, dtype=np.float32)
        return Frame(rgb=rgb, depth=depth, intrinsics=K, camera_to_world=T, name=self.name, stamp=time.time())

    def close(self) -> None:
        self.subscriber.close()


def open_source(config: dict[str, Any]):
    """FileSource for config['image'], TopicSource for config['topic']; exactly one of them."""
    if bool(config.get("image")) == bool(config.get("topic")):
        raise InvalidArgumentError("the vision target needs exactly one input: 'image' (a file or directory) "
                                   "or 'topic' (a ROS 2 sensor_msgs/Image topic)")
    return FileSource(config) if config.get("image") else TopicSource(config)
