"""OS-level lock-down of a program process (Linux): what holds even if the program escapes Python.

Applied in the forked child, in this order, before any untrusted byte is read:
1. its own session and process group;
2. every file descriptor closed but the channel to the sim server (stdio -> /dev/null);
3. rlimits: address space, CPU seconds, no file writes (FSIZE 0), few descriptors, no core dumps,
   no new processes (NPROC 0 once unprivileged);
4. when running as root: all groups dropped, uid/gid -> nobody (65534); then SIGKILL when its parent
   (the zygote) dies (set after the uid change, which would clear it);
5. PR_SET_NO_NEW_PRIVS, then a seccomp allowlist: memory management, reading/writing already open
   descriptors, signals and clocks for the interpreter itself, exit. Everything else fails with
   EPERM: open/openat, execve, fork/clone/vfork, socket/connect, kill of other processes, ptrace,
   mkfifo/mknod, chmod, unlink, mount, ioctl... Executable mappings are refused too.
"""
from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal

try:  # imported by the zygote, before any child drops privileges (nobody cannot read the venv)
    import pyseccomp as seccomp
except ImportError:  # reported when a program process is locked down
    seccomp = None

NOBODY = 65534
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36
PROT_EXEC = 0x4

# What CPython needs to keep running a program that only computes and talks over one descriptor.
ALLOWED_SYSCALLS = (
    "read", "write", "readv", "writev", "pread64", "close", "lseek", "fstat",
    "brk", "mmap", "munmap", "mremap", "madvise", "mprotect",
    "futex", "sched_yield", "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid",
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "restart_syscall",
    "clock_gettime", "clock_getres", "gettimeofday", "time", "getrusage", "times",
    "getrandom", "poll", "ppoll", "exit", "exit_group",
)

_libc = None


def _prctl(option: int, arg2: int) -> None:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    if _libc.prctl(option, ctypes.c_ulong(arg2), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl({option}) failed: {os.strerror(err)}")


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """The kernel sends `sig` to this process when the thread that forked it exits."""
    _prctl(PR_SET_PDEATHSIG, int(sig))


def become_subreaper() -> None:
    """Orphaned descendants are re-parented to this process (so it can find and kill them)."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)


def close_fds_except(keep: int, devnull: int) -> int:
    """Move `keep` to descriptor 3, point 0-2 at `devnull`, close every other descriptor."""
    if keep != 3:
        os.dup2(keep, 3)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(4, 65536)
    return 3


def set_rlimits(memory_mb: int | None, cpu_s: float | None, max_fds: int = 8) -> None:
    limits = [(resource.RLIMIT_FSIZE, 0), (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NOFILE, max_fds),
              (resource.RLIMIT_MEMLOCK, 0)]
    if cpu_s:  # soft limit: SIGXCPU (reported as cpu_limit); one second later the hard limit kills
        soft = max(1, int(cpu_s + 0.999))
        limits.append((resource.RLIMIT_CPU, (soft, soft + 1)))
    if memory_mb:
        limits.append((resource.RLIMIT_AS, _vm_size_bytes() + int(memory_mb) * 2**20))
    for which, value in limits:
        try:
            resource.setrlimit(which, value if isinstance(value, tuple) else (value, value))
        except (ValueError, OSError):
            pass


def drop_privileges() -> bool:
    """As root: no supplementary groups, gid and uid nobody. Returns whether it dropped."""
    if os.geteuid() != 0:
        return False
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    if os.geteuid() == 0 or os.getuid() == 0:
        raise OSError(errno.EPERM, "could not drop root")
    return True


def no_new_processes() -> None:
    """NPROC 0 refuses fork/clone for the (now unprivileged) uid; seccomp refuses it for root too."""
    try:
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    except (ValueError, OSError):
        pass


def build_seccomp_filter():
    """The allowlist filter for this process (built before privileges drop, loaded after)."""
    if seccomp is None:
        raise OSError(errno.ENOSYS, "pyseccomp is not installed: the sandbox cannot lock down programs")
    fil = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    for name in ALLOWED_SYSCALLS:
        if name in ("mmap", "mprotect"):
            continue
        try:
            fil.add_rule(seccomp.ALLOW, name)
        except OSError:  # not a syscall on this architecture
            pass
    # Memory may be mapped and protected, but never executable: no JIT of shellcode.
    for name in ("mmap", "mprotect"):
        fil.add_rule(seccomp.ALLOW, name, seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, 0))
    # abort() signals itself; nothing else may be signalled.
    pid = os.getpid()
    fil.add_rule(seccomp.ALLOW, "tgkill", seccomp.Arg(0, seccomp.EQ, pid))
    return fil


def install_seccomp(fil) -> None:
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    fil.load()


def lock_down(channel_fd: int, devnull: int, memory_mb: int | None, cpu_s: float | None) -> dict:
    """Everything above, in order; returns the descriptor the channel now has and what was applied."""
    parent = os.getppid()
    os.setsid()
    fd = close_fds_except(channel_fd, devnull)
    fil = build_seccomp_filter()
    set_rlimits(memory_mb, cpu_s)
    dropped = drop_privileges()
    die_with_parent()  # after the uid change: changing credentials clears the parent-death signal
    if os.getppid() != parent:  # the zygote died before the line above
        os._exit(1)
    no_new_processes()
    os.environ.clear()
    install_seccomp(fil)
    return {"fd": fd, "dropped_root": dropped}


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 2 * 2**30
