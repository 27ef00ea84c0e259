"""Runs one `codebot run` as a child of a subreaper and reports what it left behind.

    python attack_harness.py TIMEOUT -- codebot-args...

Prints one JSON line: {"rc", "stdout", "stderr", "leftover": [{"pid", "cmdline", "uid"}]}. Every process
the run started and did not end (however it detached: new session, double fork) is re-parented to
this process, listed, and killed.
"""
import ctypes
import json
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def describe(pid: int) -> dict:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
        uid = os.stat(f"/proc/{pid}").st_uid
    except OSError:
        cmdline, uid = "?", -1
    return {"pid": pid, "cmdline": cmdline, "uid": uid}


def main() -> int:
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    timeout = float(sys.argv[1])
    args = sys.argv[sys.argv.index("--") + 1:]
    proc = subprocess.Popen([sys.executable, "-m", "codebot.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        rc = "hung"
    # Processes the run killed at its end are still exiting: wait (bounded) for none to be left, and
    # report whatever still runs then. Returns as soon as the last one is gone.
    deadline = time.monotonic() + 15
    while True:
        left = [p for p in descendants(os.getpid()) if describe(p)["cmdline"] not in ("", "?")]
        if not left or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    report = [describe(p) for p in left]
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    while True:  # reap what was re-parented here
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    print(json.dumps({"rc": rc, "stdout": stdout, "stderr": stderr, "leftover": report}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
