"""Loading vision models: once per process, on the right device, offline unless the user allows downloads.

A model source is a local directory (`save_pretrained` output) or a Hugging Face hub id. Hub ids are
read from the local cache only (`local_files_only=True`) unless `allow_download=True` or the
environment sets CODEBOT_VISION_ALLOW_DOWNLOAD=1; a miss raises WeightsNotFoundError that says how to
get the weights.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codebot.extras import require
from codebot.vision.errors import UnsupportedModelError, WeightsNotFoundError
from codebot.primitives.errors import InvalidArgumentError

ALLOW_DOWNLOAD_ENV = "CODEBOT_VISION_ALLOW_DOWNLOAD"

# Role -> default hub id (what a user downloads once) and the architectures that role accepts.
DEFAULT_SOURCES = {
    "detector": "google/owlv2-base-patch16-ensemble",
    "matcher": "openai/clip-vit-base-patch32",
    "segmenter": "facebook/sam-vit-base",
}
ROLE_ARCHITECTURES = {
    "detector": {"owlvit": "OwlViTForObjectDetection", "owlv2": "Owlv2ForObjectDetection"},
    "matcher": {"clip": "CLIPModel"},
    "segmenter": {"sam": "SamModel"},
}
# How the CLI spells the flag that points a role at local weights.
ROLE_FLAGS = {"detector": "--vision-model", "matcher": "--vision-matcher", "segmenter": "--vision-segmenter"}

# Environment variables naming weights per role when the config leaves `models` unset.
SOURCE_ENV = {"detector": "CODEBOT_VISION_DETECTOR", "matcher": "CODEBOT_VISION_MATCHER",
              "segmenter": "CODEBOT_VISION_SEGMENTER"}


def configured_sources(models: dict[str, str | None] | None) -> tuple[dict[str, str], set[str]]:
    """(role -> source to load, roles whose absence is fine). An explicit `models` dict loads exactly
    its roles with a non-empty source; None loads the detector (env var or default, required) and the
    matcher and segmenter (env var -> required, default id -> optional)."""
    if models is not None:
        unknown = set(models) - set(ROLE_ARCHITECTURES)
        if unknown:
            raise InvalidArgumentError(f"unknown model roles {sorted(unknown)}; use {sorted(ROLE_ARCHITECTURES)}")
        return {r: str(s) for r, s in models.items() if s}, set()
    sources: dict[str, str] = {}
    optional: set[str] = set()
    for role in ("detector", "matcher", "segmenter"):
        env = os.environ.get(SOURCE_ENV[role], "").strip()
        sources[role] = env or DEFAULT_SOURCES[role]
        if not env and role != "detector":
            optional.add(role)
    return sources, optional


_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def torch():
    return require("torch", "vision")


def transformers():
    return require("transformers", "vision")


def select_device(preference: str = "auto") -> str:
    """'auto' -> 'cuda' when a CUDA GPU is visible, else 'cpu'. An explicit 'cuda' without one is an error."""
    pref = (preference or "auto").strip().lower()
    t = torch()
    if pref == "auto":
        return "cuda" if t.cuda.is_available() else "cpu"
    if pref.startswith("cuda"):
        if not t.cuda.is_available():
            raise InvalidArgumentError(f"device {preference!r} asked for, but no CUDA GPU is visible; "
                                       "use device='auto' or 'cpu'", device=preference)
        return pref
    if pref == "cpu":
        return "cpu"
    raise InvalidArgumentError(f"unknown device {preference!r}; use 'auto', 'cpu' or 'cuda[:N]'", device=preference)


def select_dtype(device: str, half: bool = True):
    """fp16 on a GPU (when `half`), fp32 on the CPU (CPU fp16 kernels are slow or missing)."""
    t = torch()
    return t.float16 if half and device.startswith("cuda") else t.float32


def downloads_allowed(allow_download: bool | None = None) -> bool:
    if allow_download is not None:
        return bool(allow_download)
    return os.environ.get(ALLOW_DOWNLOAD_ENV, "").strip().lower() in ("1", "true", "yes")


@dataclass
class LoadedModel:
    """One model with its processor, ready for inference on `device` in `dtype`."""

    role: str
    source: str
    model_type: str  # config.model_type: "owlv2", "owlvit", "clip", "sam"
    model: Any
    processor: Any
    device: str
    dtype: Any


_CACHE: dict[tuple, LoadedModel] = {}
_LOCK = threading.Lock()


def load_model(role: str, source: str | os.PathLike | None = None, device: str = "auto", half: bool = True,
               allow_download: bool | None = None, cache_dir: str | os.PathLike | None = None) -> LoadedModel:
    """The model for `role` ('detector' | 'matcher' | 'segmenter') from `source` (local dir or hub id;
    None -> the role's default hub id). Hub ids come from the Hugging Face cache (`cache_dir`, default
    the user's cache). Loaded once per (role, source, device, dtype) and shared."""
    if role not in ROLE_ARCHITECTURES:
        raise InvalidArgumentError(f"unknown model role {role!r}; one of {sorted(ROLE_ARCHITECTURES)}", role=role)
    source = str(source) if source else DEFAULT_SOURCES[role]
    dev = select_device(device)
    dtype = select_dtype(dev, half)
    location, local_only = _resolve(role, source, allow_download)
    cache = str(cache_dir) if cache_dir else None
    key = (role, location, dev, str(dtype), cache)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        loaded = _load(role, source, location, local_only, dev, dtype, cache)
        _CACHE[key] = loaded
        return loaded


def clear_cache() -> None:
    """Forget loaded models (tests; a long-lived process that switches models)."""
    with _LOCK:
        _CACHE.clear()


def _resolve(role: str, source: str, allow_download: bool | None) -> tuple[str, bool]:
    """(what to pass to from_pretrained, local_files_only)."""
    path = Path(source).expanduser()
    if path.is_dir():
        return str(path.resolve()), True
    looks_like_path = source.startswith((".", "/", "~")) or os.sep in source.strip("/").replace("/", "", 1)
    if path.exists() or looks_like_path or not _HUB_ID.match(source):
        raise WeightsNotFoundError(
            f"{role} weights: {source!r} is not a model directory (a save_pretrained folder with config.json) "
            f"nor a hub id like {DEFAULT_SOURCES[role]!r}", role=role, source=source)
    return source, not downloads_allowed(allow_download)


def _missing_weights(role: str, source: str, local_only: bool, exc: Exception) -> WeightsNotFoundError:
    flag = ROLE_FLAGS[role]
    if local_only:
        how = (f"downloads are off. Get them once with `huggingface-cli download {source}` (or `hf download "
               f"{source} --local-dir DIR` and pass {flag} DIR or set {SOURCE_ENV[role]}=DIR), or allow "
               f"downloading with {ALLOW_DOWNLOAD_ENV}=1")
        where = "not in the Hugging Face cache"
    else:
        how = f"the download failed ({type(exc).__name__}); check the id and the network, or pass {flag} DIR"
        where = "not available"
    return WeightsNotFoundError(f"{role} weights {source!r} are {where}; {how}", role=role, source=source,
                                cause=str(exc)[:300])


def _load(role: str, source: str, location: str, local_only: bool, device: str, dtype,
          cache_dir: str | None) -> LoadedModel:
    tf = transformers()
    tf.utils.logging.disable_progress_bar()
    where = {"local_files_only": local_only, "cache_dir": cache_dir}
    try:
        config = tf.AutoConfig.from_pretrained(location, **where)
    except (OSError, ValueError) as exc:
        raise _missing_weights(role, source, local_only, exc) from None
    model_type = getattr(config, "model_type", "")
    class_name = ROLE_ARCHITECTURES[role].get(model_type)
    if class_name is None:
        raise UnsupportedModelError(
            f"{source!r} is a {model_type!r} model; the {role} needs one of {sorted(ROLE_ARCHITECTURES[role])}",
            role=role, source=source, model_type=model_type)
    try:
        processor = tf.AutoProcessor.from_pretrained(location, **where)
        model = getattr(tf, class_name).from_pretrained(location, dtype=dtype, **where)
    except OSError as exc:
        raise _missing_weights(role, source, local_only, exc) from None
    model.to(device)
    model.eval()
    return LoadedModel(role, source, model_type, model, processor, device, dtype)


def to_device(batch, loaded: LoadedModel) -> dict:
    """Move a processor's BatchFeature to the model's device; floating tensors take the model's dtype."""
    t = torch()
    out = {}
    for name, value in batch.items():
        if isinstance(value, t.Tensor):
            if value.is_floating_point() and name.endswith("pixel_values"):
                value = value.to(loaded.device, dtype=loaded.dtype, non_blocking=True)
            else:
                value = value.to(loaded.device, non_blocking=True)
        out[name] = value
    return out
