import numpy as np
import pytest

from codebot.primitives import registry
from codebot.primitives.registry import allowed_names, check_primitives, primitive, render_api, REGISTRY


def test_core_registry_conforms_statically():
    assert check_primitives() == []


REQUIRED = ["get_obj_names", "get_obj_pos", "get_bbox", "get_color", "is_obj_visible", "get_objects_on",
            "what_is_in", "pick", "place", "put_first_on_second", "move_to", "open_gripper", "close_gripper",
            "home", "push", "get_location", "denormalize_xy", "say"]


def test_required_names_are_registered_in_core():
    names = allowed_names()
    for name in REQUIRED:
        assert name in names and callable(names[name])


def test_render_api_has_signatures_docs_and_examples():
    text = render_api()
    assert "get_obj_pos(name: str) -> np.ndarray  # Centre" in text
    assert "put_first_on_second(obj: str | np.ndarray, target: str | np.ndarray) -> None" in text
    assert "#   put_first_on_second('red block', 'blue bowl')" in text
    # Sections appear in reading order.
    assert text.index("# perception") < text.index("# spatial") < text.index("# motion")
    assert "home()\n" not in text.split("# motion")[1].split("# examples:")[1]  # bare calls are not examples
    assert render_api(examples=False).count("# examples:") == 0
    assert text.startswith("# Units: metres") and "left = -x" in text.splitlines()[1]
    assert render_api(header=False).startswith("# perception")


def test_groups_keep_vision_out_of_core():
    @primitive(group="vision", examples=["look('cup')"])
    def look(query: str) -> list[str]:
        """Look for something (test primitive)."""
        return [query]

    try:
        assert "look" not in allowed_names()
        assert "look" in allowed_names(("core", "vision"))
        assert "look(query: str) -> list[str]" in render_api(("vision",))
        assert "look" not in render_api()
    finally:
        registry.unregister("look")


def test_checker_reports_missing_hints_docs_and_bad_examples():
    @primitive(examples=["other()"])
    def sloppy(x):
        return x

    @primitive(examples=["broken("])
    def documented(x: int) -> int:
        """Return x unchanged (test primitive)."""
        return x

    try:
        problems = check_primitives()
        joined = "\n".join(problems)
        assert "sloppy: has no docstring" in joined
        assert "sloppy: parameter 'x' has no type hint" in joined
        assert "sloppy: has no return type hint" in joined
        assert "does not call sloppy()" in joined
        assert "documented: example 'broken(' is not valid Python" in joined
    finally:
        registry.unregister("sloppy")
        registry.unregister("documented")


def test_checker_runs_examples_and_checks_return_types(scene_backend):
    @primitive(examples=["liar()"])
    def liar() -> int:
        """Claim to return an int but return a string (test primitive)."""
        return "nope"

    @primitive(examples=["crashy()"])
    def crashy() -> None:
        """Raise an unexpected error (test primitive)."""
        raise ZeroDivisionError("boom")

    try:
        problems = check_primitives(lambda: scene_backend, groups=("core",))
        joined = "\n".join(problems)
        assert "liar: returned str ('nope') but is annotated -> int" in joined
        assert "crashy: example 'crashy()' raised ZeroDivisionError: boom" in joined
    finally:
        registry.unregister("liar")
        registry.unregister("crashy")


def test_duplicate_name_from_another_function_is_rejected():
    def get_obj_pos(name: str) -> np.ndarray:
        """Shadow the real one (test)."""

    with pytest.raises(ValueError, match="already registered"):
        primitive(get_obj_pos)
    assert REGISTRY["get_obj_pos"].func.__module__ == "codebot.primitives.perceive"


def test_matches_handles_common_hints():
    m = registry._matches
    assert m([1, 2], list[int]) and not m([1, "a"], list[int])
    assert m(None, str | None) and m("a", str | None) and not m(3, str | None)
    assert m((np.zeros(3), np.ones(3)), tuple[np.ndarray, np.ndarray])
    assert m(np.float64(1.0), float) and not m(True, float)
