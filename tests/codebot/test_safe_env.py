"""The audit guard refuses (and names) fork/exec/file access while program code runs, in front of
the program process's seccomp filter; the numpy facade exposes no way to the file system or native code."""
import subprocess
import sys
import textwrap

from codebot.sandbox.safe_env import numpy_facade, safe_builtins


def test_numpy_facade_has_no_file_or_native_access():
    np_ = numpy_facade()
    for name in ("load", "save", "fromfile", "memmap", "ctypeslib", "lib", "testing", "frombuffer"):
        assert not hasattr(np_, name)
    assert np_.linalg.norm([3, 4]) == 5.0


def test_safe_builtins_lack_escape_hatches():
    table = safe_builtins(print)
    for name in ("open", "eval", "exec", "__import__", "getattr", "type", "globals", "compile", "input"):
        assert name not in table


def test_audit_guard_blocks_fork_exec_and_open_only_while_active():
    # Run in a child: audit hooks cannot be removed from the process that installs them.
    script = textwrap.dedent("""
        import os, subprocess
        from codebot.sandbox.safe_env import AuditGuard
        g = AuditGuard(); g.install()
        results = []
        g.program_active = True
        for name, action in [("fork", os.fork), ("system", lambda: os.system("true")),
                             ("popen", lambda: subprocess.Popen(["true"])),
                             ("open", lambda: open("/etc/hostname")),
                             ("posix_spawn", lambda: os.posix_spawn("/bin/true", ["true"], {}))]:
            try:
                action()
                results.append(name + ":allowed")
            except PermissionError:
                results.append(name + ":blocked")
        g.program_active = False
        open("/etc/hostname").close()
        print(",".join(results))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "fork:blocked,system:blocked,popen:blocked,open:blocked,posix_spawn:blocked"
