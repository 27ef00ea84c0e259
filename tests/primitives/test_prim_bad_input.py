"""Bad input of any kind to any core primitive gives a structured PrimitiveError, never a bare
TypeError/KeyError/AttributeError from deep inside (what an LLM-written program most often gets wrong)."""
import inspect
import itertools

import numpy as np
import pytest

from codebot.primitives.errors import PrimitiveError
from codebot.primitives.registry import specs

BAD_VALUES = [None, 3, -1.5, "nonsense", "", [np.nan, 0.0], [1, 2, 3, 4], {"a": 1}, object(), True,
              np.zeros((2, 2)), float("inf")]


def _core_with_params():
    return [s for s in specs(("core",)) if inspect.signature(s.func).parameters]


@pytest.mark.parametrize("spec", _core_with_params(), ids=lambda s: s.name)
def test_bad_arguments_raise_structured_errors(scene_backend, spec):
    params = list(inspect.signature(spec.func).parameters.values())
    required = [p for p in params if p.default is p.empty]
    good = {"name": "red block", "bowl": "blue bowl", "names": ["red block", "green block"], "target": "blue bowl",
            "direction": "left", "n": 2, "kind": "horizontal", "dist": 0.1, "a": "red block", "b": "blue bowl",
            "obj": "red block", "candidates": ["blue bowl"], "color": "red", "xy": [0.5, 0.5], "msg": "hi",
            "xyz": [0.0, -0.5, 0.2], "center": None, "spacing": None, "size": 0.2}
    unexpected = []
    for p, bad in itertools.product(required, BAD_VALUES):
        args = {q.name: good[q.name] for q in required}
        args[p.name] = bad
        try:
            spec.func(**args)
        except PrimitiveError:
            pass
        except Exception as exc:  # the point is to catch anything unstructured
            unexpected.append(f"{spec.name}({p.name}={bad!r}): {type(exc).__name__}: {exc}")
    assert unexpected == []
