"""The heartbeat's scheduling priority (codebot.ros.plumbing.liveliness): a beat process and a robot's heartbeat
receiver thread run niced, where the machine allows it."""
from __future__ import annotations

import os
import threading


def heartbeat_nice() -> int:
    """The nice value of the beat process and of a robot's heartbeat receiver thread: -10 (CODEBOT_HEARTBEAT_NICE
    overrides; 0 leaves them as they are). Under more load than two CPU hogs a beat process at the default
    priority was descheduled for over 0.5 s (a spurious commander_lost); it does almost nothing, so a higher
    priority costs the machine nothing."""
    try:
        return int(os.environ.get("CODEBOT_HEARTBEAT_NICE", "-10"))
    except ValueError:
        return -10


def raise_priority(nice: int, thread: bool = False) -> bool:
    """Set this process's (or only this thread's) nice value; False where not permitted (no CAP_SYS_NICE):
    the heartbeat then runs at the default priority, as before."""
    if nice == 0:
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id() if thread else 0, nice)
        return True
    except OSError:
        return False


def session_nice(pid: int | str = "self") -> int | None:
    """The nice value of a process's session (its autogroup); None where the kernel shows none: no
    /proc/<pid>/autogroup, or one that reads empty (seen on a CI machine's kernel)."""
    try:
        with open(f"/proc/{pid}/autogroup") as f:
            return int(f.read().split()[-1])
    except (OSError, IndexError, ValueError):
        return None


def raise_session_priority(nice: int) -> bool:
    """Set the nice value of this process's session as a whole (its autogroup); False where the kernel has no
    autogroups or it is not permitted. Where the kernel groups CPU time by session (sched_autogroup_enabled=1,
    common on desktop and VM kernels), a thread's nice value counts only against threads of its own session:
    sessions share the CPU equally whatever their threads' nice values. Measured in a flake hunt: the beat
    process, at nice -10 but in its commander's busy session, woke 0.68 s late beside two CPU hogs. So the beat
    process runs in a session of its own, and raises that session's priority here."""
    if nice == 0:
        return False
    try:
        with open("/proc/self/autogroup", "w") as f:
            f.write(str(nice))
        return True
    except OSError:
        return False
