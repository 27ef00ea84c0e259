"""What a sandboxed program sees: restricted builtins, a numpy facade with only numeric functions,
a math facade, and an audit hook that names the process/file/native-code operations a program tried
(the program process's seccomp filter refuses them anyway; the hook makes the feedback say which)."""
from __future__ import annotations

import builtins
import math
import sys
import warnings
from types import SimpleNamespace

import numpy as np

from codebot.primitives import errors as _errors

PrimitiveError = _errors.PrimitiveError

_BUILTIN_NAMES = (
    "abs", "all", "any", "bool", "dict", "divmod", "enumerate", "filter", "float", "frozenset", "int",
    "isinstance", "iter", "len", "list", "map", "max", "min", "next", "pow", "range", "repr", "reversed",
    "round", "set", "slice", "sorted", "str", "sum", "tuple", "zip", "chr", "ord", "hash", "callable",
    "ArithmeticError", "AssertionError", "Exception", "IndexError", "KeyError", "LookupError",
    "NotImplementedError", "RuntimeError", "StopIteration", "TypeError", "ValueError", "ZeroDivisionError",
    "RecursionError", "MemoryError", "OverflowError", "NameError", "UnboundLocalError", "AttributeError",
    "True", "False", "None",
)

_NUMPY_NAMES = (
    "abs", "absolute", "all", "allclose", "any", "append", "arange", "arccos", "arcsin", "arctan",
    "arctan2", "argmax", "argmin", "argsort", "argwhere", "array", "array_equal", "asarray", "ceil",
    "clip", "concatenate", "copy", "cos", "count_nonzero", "cross", "cumprod", "cumsum", "deg2rad",
    "degrees", "delete", "diff", "dot", "e", "exp", "expand_dims", "eye", "flip", "float32", "float64",
    "floor", "full", "full_like", "hstack", "hypot", "identity", "inf", "insert", "int32", "int64",
    "interp", "isclose", "isfinite", "isnan", "linspace", "log", "matmul", "max", "maximum", "mean",
    "median", "meshgrid", "min", "minimum", "nan", "nonzero", "ones", "ones_like", "outer",
    "percentile", "pi", "power", "prod", "rad2deg", "radians", "repeat", "reshape", "roll", "round",
    "sign", "sin", "sort", "sqrt", "square", "squeeze", "stack", "std", "sum", "tan", "tile",
    "transpose", "unique", "var", "vstack", "where", "zeros", "zeros_like", "newaxis", "float_", "bool_",
)
_MATH_NAMES = ("pi", "e", "tau", "inf", "nan", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan",
               "atan2", "hypot", "degrees", "radians", "floor", "ceil", "fabs", "exp", "log", "log10",
               "isclose", "isfinite", "isnan", "dist", "copysign", "fmod", "prod", "fsum")


def numpy_facade() -> SimpleNamespace:
    """A fresh namespace per run (a program cannot leave changes behind for the next one)."""
    names = {n: getattr(np, n) for n in _NUMPY_NAMES if hasattr(np, n)}
    names["linalg"] = SimpleNamespace(norm=np.linalg.norm, inv=np.linalg.inv, det=np.linalg.det)
    return SimpleNamespace(**names)


def warm_numpy() -> None:
    """Call once in the zygote, before any program process is forked from it. numpy's C code imports some of
    its Python helpers the first time they are needed (array printing, ndarray.max/.sum/..., dtype strings, error
    messages) through `__import__` of the *calling* frame's builtins; in a program those have none, so
    `print(array)` failed with "Unable to configure default ndarray.__str__" and `array.max()` with
    KeyError '__import__'. Called here once, each is cached for every forked program process."""
    a, b = np.arange(3.0), np.zeros(2, dtype=np.int64)
    warm = [lambda: (str(a), repr(a), str(b), repr(b), str(a > 1), str(np.float64(1.5)), repr(np.array(2.0))),
            lambda: (a.max(), a.min(), a.sum(), a.prod(), a.mean(), a.std(), a.var(), a.any(), a.all(),
                     a.clip(0, 1), a.round(1), a.argmax(), a.argmin(), a.cumsum(), np.gcd(b, b), np.lcm(b, b)),
            lambda: np.dtype("f8,i4"),
            lambda: np.zeros(1, dtype=[("x", "f8"), ("y", "f8")]).view(np.float64),
            lambda: np.zeros(1, dtype=[("x", "f8")])[0].__str__(),
            lambda: np.zeros(1, dtype=[("x", "f8")]).getfield(np.float64, 0),
            lambda: np.result_type(np.dtype([("x", "f8")]), np.dtype([("x", "f4")])),
            lambda: np.add(np.array(["a"]), 1)]  # a ufunc without a loop: its error message's formatter
    # and each facade function once: some import numpy submodules on first use (np.median: numpy.ma), which a
    # program process cannot read from disk
    facade = numpy_facade()
    for name in _NUMPY_NAMES:
        function = getattr(facade, name, None)
        if callable(function) and not isinstance(function, type):
            warm += [lambda f=function: f(a), lambda f=function: f(a, a), lambda f=function: f(a, 1)]
    warm += [lambda: np.linalg.norm(a), lambda: np.percentile(a, 50), lambda: np.interp(1.0, a, a)]
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # arccos(2.0) and such: warming, not computing
        warnings.simplefilter("ignore")
        for call in warm:
            try:
                call()
            except Exception:  # warming only: what a call raises is the program's to see later
                pass


def scene_names(objects: list[dict]) -> dict[str, list[str]]:
    """The names a program starts with, as its prompt's `# objects = [...]` line and the goal spec's sets show
    them: `objects`, and `blocks` / `bowls` by kind (programs written for those lines use them as variables)."""
    named = [o for o in objects if isinstance(o, dict) and o.get("name")]
    return {"objects": [str(o["name"]) for o in named],
            "blocks": [str(o["name"]) for o in named if o.get("kind") == "block"],
            "bowls": [str(o["name"]) for o in named if o.get("kind") == "bowl"]}


def math_facade() -> SimpleNamespace:
    return SimpleNamespace(**{n: getattr(math, n) for n in _MATH_NAMES if hasattr(math, n)})


def error_classes() -> dict[str, type]:
    """The structured primitive errors, so programs can `except GraspFailedError:`."""
    return {name: obj for name, obj in vars(_errors).items()
            if isinstance(obj, type) and issubclass(obj, _errors.PrimitiveError)
            and obj is not _errors.BudgetExceededError}


def safe_builtins(print_fn) -> dict:
    table = {n: getattr(builtins, n) for n in _BUILTIN_NAMES if hasattr(builtins, n)}
    table["print"] = print_fn
    return table


# ------------------------------------------------------------------------------------- audit guard
_BLOCKED_EVENTS = (
    "os.fork", "os.forkpty", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile",
    "os.kill", "os.killpg", "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown",
    "os.symlink", "os.link", "os.truncate", "os.putenv", "os.unsetenv", "os.chdir", "os.listdir",
    "os.scandir", "subprocess.Popen", "ctypes.", "socket.", "shutil.", "pty.", "sys.setrecursionlimit",
    "sys.settrace", "sys.setprofile", "code.__new__", "function.__new__", "compile", "exec",
    "builtins.input", "webbrowser.", "urllib.", "signal.",
)


class AuditGuard:
    """Installed in each program process (audit hooks cannot be removed). `program_active` is True
    while the program's own code runs; every primitive there is a stub, so nothing is exempt."""

    def __init__(self):
        self.program_active = False
        self.blocked: list[str] = []
        self.allow_exec_once = False  # the program process's own exec() of the program

    def install(self) -> None:
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args) -> None:
        if not self.program_active:
            return
        if event == "exec" and self.allow_exec_once:
            self.allow_exec_once = False
            return
        if event == "open":
            # Reading files is refused too: a program has no business with the file system.
            self.blocked.append(f"open({str(args[0])[:100]!r})")
            raise PermissionError(f"sandbox: opening files is not allowed ({args[0]!r})")
        if event.startswith(_BLOCKED_EVENTS):
            self.blocked.append(event)
            raise PermissionError(f"sandbox: '{event}' is not allowed in a program")
