"""Hand-made ObjectInfo scenes for the goal-spec tests (no simulator)."""
from __future__ import annotations

from codebot.primitives.protocols import ObjectInfo

BLOCK = 0.04
BOWL_RADIUS = 0.06
BOWL_HEIGHT = 0.045


def block(color: str, x: float, y: float, z: float = 0.0) -> ObjectInfo:
    """A 4 cm block whose bottom is at height z."""
    h = BLOCK / 2
    return ObjectInfo(f"{color} block", "block", color, (x, y, z + h), (x - h, y - h, z), (x + h, y + h, z + BLOCK))


def bowl(color: str, x: float, y: float) -> ObjectInfo:
    r = BOWL_RADIUS
    return ObjectInfo(f"{color} bowl", "bowl", color, (x, y, BOWL_HEIGHT / 2), (x - r, y - r, 0.0),
                      (x + r, y + r, BOWL_HEIGHT))


def in_bowl_block(color: str, b: ObjectInfo, level: int = 0) -> ObjectInfo:
    """A block resting on the bowl's floor (level 0) or stacked `level` blocks up inside it."""
    return block(color, b.position[0], b.position[1], 0.005 + level * BLOCK)


def moved_to(obj: ObjectInfo, x: float, y: float, z: float = 0.0) -> ObjectInfo:
    return (block(obj.color, x, y, z) if obj.kind == "block" else bowl(obj.color, x, y))


def replace(objects: list[ObjectInfo], *new: ObjectInfo) -> list[ObjectInfo]:
    by_name = {o.name: o for o in objects}
    for o in new:
        by_name[o.name] = o
    return list(by_name.values())


def phrase_reading(text: str, scene: list[ObjectInfo]) -> str | None:
    """The phrase parser's reading of `text` on `scene`, in canonical spec text (None: unread)."""
    from codebot.checks.goals import normalize_instruction, parse_goal, to_text
    from codebot.checks.goals.phrases import phrase_spec

    spec = phrase_spec(normalize_instruction(text)[0], scene)
    return None if spec is None else to_text(parse_goal(spec))


def one_move(*relations: str) -> str:
    """The canonical text of `relations`, everything else left as it was."""
    from codebot.checks.goals import parse_goal, to_text

    return to_text(parse_goal(f"all({', '.join(relations)}, unchanged(others))"))


def licensing_problems(spec: str, said: str) -> list[str]:
    """Why the licensing rules (goals/written.py) refuse `spec` as a reading of the instruction `said`."""
    from codebot.checks.goals import load_goal
    from codebot.checks.goals.written import written_spec_problems

    return [str(p) for p in written_spec_problems(load_goal(spec), said)]
