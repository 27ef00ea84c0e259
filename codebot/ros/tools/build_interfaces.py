"""Build codebot's ROS 2 interface packages (`codebot_interfaces` and the `control_msgs` subset, sources in
`launch/interfaces/`) into this Python's venv, so rclpy imports them with no setup.bash and no environment.

    python -m codebot.ros.tools.build_interfaces            # what `make setup` runs
    python -m codebot.ros.tools.build_interfaces --force    # rebuild even if nothing changed

Plain cmake per package (no colcon): rosidl generate, compile, install with CMAKE_INSTALL_PREFIX = the venv, in a
temporary build folder deleted afterwards (~50 s on 2 cores). Before building, one idempotent text patch: the
message wheels bake the wheel builder's Python and numpy include folders into their
`export_*__rosidl_generator_pyExport.cmake`, which cmake rejects; they are rewritten to this interpreter's.

Skipped when nothing changed: a hash of the inputs (the interface sources, the ROS/build wheels' versions, the
interpreter) is kept in `<venv>/.codebot-interfaces.json` with the list of installed files. A tarball of the
installed files keyed by the same hash (`~/.cache/codebot/interfaces/`, or `$CODEBOT_CACHE_DIR/interfaces/`)
restores a fresh venv in well under a second. On any failure it says which step failed, shows its output and
exits 1, and leaves no valid stamp: the next run builds again.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from pathlib import Path

import codebot.launch

INTERFACES_DIR = Path(codebot.launch.__file__).resolve().parent / "interfaces"
PACKAGES = ("control_msgs", "codebot_interfaces")  # build order (neither depends on the other)
STAMP_NAME = ".codebot-interfaces.json"
FORMAT = 1  # bump when what is built or how changes in a way the inputs below do not show
DEFAULT_TIMEOUT_S = 900.0
# Installed distributions whose versions go into the hash: everything ROS, and the generators' Python helpers.
_DIST_PREFIXES = ("ros_", "catkin_pkg", "empy", "lark_parser", "numpy")
# What the message wheels' builder baked into their generator_py export files (manylinux paths).
_BAKED_PYTHON_INCLUDE = re.compile(r"/opt/python/cp3\d+-cp3\d+/include/python3\.\d+")
_BAKED_NUMPY_INCLUDE = re.compile(r"/opt/python/cp3\d+-cp3\d+/lib/python3\.\d+/site-packages/numpy/_core/include")


class BuildError(RuntimeError):
    """One step failed; the message names it and carries the tail of its output."""


# --- inputs and the skip -------------------------------------------------------------------------
def _site_packages(prefix: Path) -> Path:
    return Path(sysconfig.get_path("purelib", vars={"base": str(prefix), "platbase": str(prefix)}))


def input_hash(prefix: Path, interfaces_dir: Path | None = None, packages=PACKAGES) -> str:
    """sha256 of everything a build depends on: every file of the package sources (path and bytes), the
    versions of the installed ROS/generator distributions, and the interpreter (version, base install). Not the
    prefix itself, so the tarball cache serves any venv of the same interpreter."""
    interfaces_dir = interfaces_dir or INTERFACES_DIR
    h = hashlib.sha256(f"codebot-interfaces/{FORMAT}\n".encode())
    for pkg in packages:
        root = interfaces_dir / pkg
        for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            data = f.read_bytes()
            h.update(f"{f.relative_to(interfaces_dir).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
    site = _site_packages(prefix)
    dists = sorted(n for n in (os.listdir(site) if site.is_dir() else ())
                   if n.endswith(".dist-info") and n.lower().startswith(_DIST_PREFIXES))
    h.update(("\n".join(dists) + "\n").encode())
    h.update(f"{sys.version}\n{os.path.realpath(sys.base_prefix)}\n{sysconfig.get_platform()}\n".encode())
    return h.hexdigest()


def read_stamp(prefix: Path) -> dict | None:
    try:
        stamp = json.loads((prefix / STAMP_NAME).read_text())
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def up_to_date(prefix: Path, digest: str) -> bool:
    """The stamp holds this hash and every file it lists is still installed."""
    stamp = read_stamp(prefix)
    if not stamp or stamp.get("hash") != digest or not isinstance(stamp.get("files"), list):
        return False
    return all((prefix / rel).exists() for rel in stamp["files"])


def write_stamp(prefix: Path, digest: str, files: list[str]) -> None:
    tmp = prefix / (STAMP_NAME + ".tmp")
    tmp.write_text(json.dumps({"hash": digest, "packages": list(PACKAGES), "files": sorted(files)}, indent=1))
    os.replace(tmp, prefix / STAMP_NAME)


# --- the patch -----------------------------------------------------------------------------------
def patch_exports(prefix: Path, python_include: str | None = None, numpy_include: str | None = None) -> list[Path]:
    """Rewrite the manylinux include folders baked into the message wheels' generator_py export files to this
    interpreter's (idempotent: a patched file no longer matches). Returns the files changed."""
    if python_include is None:
        python_include = sysconfig.get_paths()["include"]
    if numpy_include is None:
        import numpy

        numpy_include = numpy.get_include()
    changed = []
    for f in sorted((prefix / "share").glob("*/cmake/export_*__rosidl_generator_pyExport.cmake")):
        text = f.read_text()
        new = _BAKED_NUMPY_INCLUDE.sub(lambda _m: numpy_include, text)
        new = _BAKED_PYTHON_INCLUDE.sub(lambda _m: python_include, new)
        if new != text:
            f.write_text(new)
            changed.append(f)
    return changed


# --- the tarball cache ---------------------------------------------------------------------------
def cache_dir() -> Path:
    base = os.environ.get("CODEBOT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "codebot")
    return Path(base) / "interfaces"


CACHE_MANIFEST = "codebot-interfaces-cache.json"  # inside each tarball: the prefix it was built for, its files


def save_cache(prefix: Path, digest: str, files: list[str], where: Path | None = None) -> Path | None:
    """Tar the installed files (paths relative to the prefix) with a manifest naming the prefix they were built
    for. A cache that cannot be written is not an error (the build itself succeeded)."""
    where = where or cache_dir()
    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".part")
        os.close(fd)
        manifest = json.dumps({"prefix": str(prefix), "files": sorted(files)}).encode()
        with tarfile.open(tmp, "w:gz", compresslevel=1) as tar:
            info = tarfile.TarInfo(CACHE_MANIFEST)
            info.size, info.mtime = len(manifest), int(time.time())
            tar.addfile(info, io.BytesIO(manifest))
            for rel in sorted(files):
                tar.add(prefix / rel, arcname=rel, recursive=False)
        final = where / f"{digest}.tar.gz"
        os.replace(tmp, final)
        return final
    except OSError as exc:
        print(f"build_interfaces: could not write the cache in {where}: {exc}", file=sys.stderr)
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        return None


def restore_cache(prefix: Path, digest: str, where: Path | None = None) -> list[str] | None:
    """Unpack the tarball for `digest` into the prefix and point the few text files that name the prefix they
    were built in (cmake exports, local_setup.sh) at this one. Returns the files restored, or None when there is
    no tarball or it is unreadable (a miss: the caller builds)."""
    tarball = (where or cache_dir()) / f"{digest}.tar.gz"
    if not tarball.is_file():
        return None
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            manifest = json.loads(tar.extractfile(CACHE_MANIFEST).read())
            files, built_in = list(manifest["files"]), str(manifest["prefix"])
            members = [tar.getmember(rel) for rel in files]
            tar.extractall(prefix, members=members, filter="data")
    except (OSError, KeyError, ValueError, TypeError, tarfile.TarError) as exc:
        print(f"build_interfaces: ignoring a broken cache {tarball}: {exc}", file=sys.stderr)
        return None
    if built_in != str(prefix):
        old, new = built_in.encode(), str(prefix).encode()
        for rel in files:
            f = prefix / rel
            if rel.startswith("share/") and f.is_file() and not f.is_symlink():
                data = f.read_bytes()
                if old in data:
                    f.write_bytes(data.replace(old, new))
    return files


# --- the build -----------------------------------------------------------------------------------
def _run(argv: list[str], what: str, deadline: float, env: dict, cwd: Path, log: Path) -> None:
    """Run one step in its own process group under the overall deadline; on failure raise BuildError naming the
    step with the tail of its output."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise BuildError(f"{what}: out of time before it started")
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(argv)}\n".encode())
        out.flush()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = proc.wait(timeout=left)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = None
    if rc != 0:
        tail = log.read_text(errors="replace")[-6000:]
        why = "timed out" if rc is None else f"exited {rc}"
        raise BuildError(f"{what} {why}: {' '.join(argv)}\n--- last output ---\n{tail}")


def build(prefix: Path, interfaces_dir: Path | None = None, packages=PACKAGES, timeout_s: float = DEFAULT_TIMEOUT_S,
          jobs: int | None = None) -> list[str]:
    """Generate, compile and install each package into `prefix`; returns the installed files relative to it."""
    interfaces_dir = interfaces_dir or INTERFACES_DIR
    for tool in ("cmake",):
        if shutil.which(tool) is None:
            raise BuildError(f"'{tool}' is not on PATH (it and a C/C++ compiler are needed to build interfaces)")
    if not (prefix / "share" / "rosidl_default_generators").is_dir():
        raise BuildError(f"no rosidl_default_generators in {prefix}: pip install 'codebot[ros-build]'")
    if not Path(sysconfig.get_paths()["include"], "Python.h").is_file():
        raise BuildError(f"no Python.h in {sysconfig.get_paths()['include']}: install this Python's headers "
                         "(e.g. python3.11-dev)")
    patch_exports(prefix)
    deadline = time.monotonic() + timeout_s
    env = {**os.environ, "CMAKE_PREFIX_PATH": str(prefix), "AMENT_PREFIX_PATH": str(prefix)}
    env.pop("PYTHONPATH", None)
    env["PATH"] = f"{prefix / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    jobs = jobs or max(1, min(4, os.cpu_count() or 1))
    installed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="codebot-interfaces-") as tmp:
        log = Path(tmp) / "build.log"
        for pkg in packages:
            src, bld = Path(tmp) / "src" / pkg, Path(tmp) / "build" / pkg
            shutil.copytree(interfaces_dir / pkg, src, ignore=shutil.ignore_patterns("__pycache__"))
            _run(["cmake", "-S", str(src), "-B", str(bld), f"-DCMAKE_INSTALL_PREFIX={prefix}",
                  f"-DCMAKE_PREFIX_PATH={prefix}", f"-DPython3_EXECUTABLE={sys.executable}",
                  "-DBUILD_TESTING=OFF", "-DCMAKE_BUILD_TYPE=Release"], f"{pkg}: cmake configure", deadline, env,
                 Path(tmp), log)
            _run(["cmake", "--build", str(bld), "-j", str(jobs)], f"{pkg}: build", deadline, env, Path(tmp), log)
            _run(["cmake", "--install", str(bld)], f"{pkg}: install", deadline, env, Path(tmp), log)
            manifest = bld / "install_manifest.txt"
            installed += [str(Path(line).relative_to(prefix)) for line in manifest.read_text().splitlines() if line]
    return sorted(set(installed))


def ensure(prefix: Path | None = None, force: bool = False, timeout_s: float = DEFAULT_TIMEOUT_S,
           use_cache: bool = True) -> str:
    """Make the interface packages current in `prefix` (default: this venv). Returns what it did: "skipped",
    "restored" or "built". Raises BuildError on failure."""
    prefix = Path(prefix or sys.prefix).resolve()
    if prefix == Path(sys.base_prefix).resolve() and prefix == Path(sys.prefix).resolve():
        raise BuildError(f"{sys.executable} is not in a venv: refusing to install into {prefix} "
                         "(run it with the venv's python, or pass --prefix)")
    digest = input_hash(prefix)
    if not force and up_to_date(prefix, digest):
        if use_cache and not (cache_dir() / f"{digest}.tar.gz").is_file():  # e.g. built with --no-cache
            save_cache(prefix, digest, read_stamp(prefix)["files"])
        return "skipped"
    old = read_stamp(prefix) or {}
    old_files = [f for f in old.get("files") or [] if isinstance(f, str)]
    write_stamp(prefix, "", old_files)  # no hash matches while the files change; the old list stays for clean-up
    files = restore_cache(prefix, digest) if use_cache and not force else None
    action = "restored"
    if files is None:
        files = build(prefix, timeout_s=timeout_s)
        action = "built"
        if use_cache:
            save_cache(prefix, digest, files)
    remove_stale(prefix, set(old_files) - set(files))
    write_stamp(prefix, digest, files)
    return action


def remove_stale(prefix: Path, stale: set[str]) -> None:
    """Delete files an earlier build installed and this one did not (an interface removed or renamed)."""
    for rel in sorted(stale):
        f = prefix / rel
        if (f.is_file() or f.is_symlink()) and f.resolve().is_relative_to(prefix):
            f.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="codebot-build-interfaces", description=__doc__.split("\n\n")[0])
    ap.add_argument("--prefix", type=Path, default=None, help="install prefix (default: this venv)")
    ap.add_argument("--force", action="store_true", help="rebuild even when the inputs did not change")
    ap.add_argument("--no-cache", action="store_true", help="neither read nor write the tarball cache")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds for the whole build")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    try:
        action = ensure(args.prefix, force=args.force, timeout_s=args.timeout, use_cache=not args.no_cache)
    except BuildError as exc:
        print(f"build_interfaces: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"build_interfaces: {', '.join(PACKAGES)} {action} in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
