"""Perception programs on vision models: open-vocabulary detection (OWL-ViT / OWLv2), image-text
matching (CLIP) and box-prompted segmentation (SAM) with `transformers`, lifted to world coordinates
with depth and camera intrinsics, exposed as `vision` primitives and as the `vision` dispatch target.

Nothing here imports torch or transformers at package import time: `codebot.vision.models` does it on
first use through `codebot.extras.require(..., "vision")`, so a missing extra names itself.

Modules: models (load once, device, dtype, offline weights), detector / matcher / segmenter (batched
inference), geometry (pixels -> world), service (the bundle primitives reach through
Backend.services["vision"]), primitives (detect, segment, ask_image, ...), perception (a model-backed
`Perception` source), sources + ros_image (image files, directories, ROS 2 image topics), annotate,
target (the `vision` target), compare (perception sources side by side), tiny (random tiny models for
tests and benchmarks).

Importing the package registers the vision primitives (torch-free), as `codebot primitives --groups
core,vision` and the agent's prompt for `--target vision` expect.
"""
from codebot.vision import primitives as _primitives  # registers the "vision" group
from codebot.primitives.perception.model import DETECTORS as _DETECTORS

# The "model" perception source finds this detector by name (codebot.primitives.perception.model.DETECTORS).
_DETECTORS.builtin("owl", "codebot.vision.perception:ModelDetector")
