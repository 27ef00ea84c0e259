"""The task registry (one decorator per template), instruction matching and the Table III cells."""
from __future__ import annotations

from dataclasses import dataclass

from codebot.sim.tasks.base import Task, TaskInstance

TASKS: dict[str, Task] = {}
_REQUIRED_DOC_SECTIONS = ("Task:", "Randomization:", "Success:")


def register(cls: type[Task]) -> type[Task]:
    """Class decorator: instantiate and register a template under its `name`."""
    doc = cls.__doc__ or ""
    missing = [s for s in _REQUIRED_DOC_SECTIONS if s not in doc]
    if missing:
        raise TypeError(f"{cls.__name__} docstring lacks {missing} (Task / Randomization / Success)")
    if not cls.name or cls.category not in ("long_horizon", "spatial") or cls.template_id <= 0:
        raise TypeError(f"{cls.__name__} needs a name, a template_id and category long_horizon|spatial")
    clash = [t for t in TASKS.values() if t.template_id == cls.template_id and t.name != cls.name]
    if cls.name in TASKS or clash:
        raise ValueError(f"task {cls.name!r} / template {cls.template_id} is already registered")
    TASKS[cls.name] = cls()
    return cls


def all_tasks() -> list[Task]:
    """Registered templates in template-id order."""
    return sorted(TASKS.values(), key=lambda t: t.template_id)


def get_task(name_or_id: str | int) -> Task:
    """A template by name ('stack_all_blocks') or by its number in the paper (2 or '2')."""
    if isinstance(name_or_id, str) and name_or_id in TASKS:
        return TASKS[name_or_id]
    try:
        template_id = int(name_or_id)
    except (TypeError, ValueError):
        raise KeyError(f"no task named {name_or_id!r}; known: {', '.join(TASKS)}") from None
    for task in TASKS.values():
        if task.template_id == template_id:
            return task
    raise KeyError(f"no task with template id {template_id}; known ids: "
                   f"{sorted(t.template_id for t in TASKS.values())}")


def match(instruction: str) -> TaskInstance | None:
    """The instance of the first template (in id order) whose parser accepts the instruction."""
    if not isinstance(instruction, str) or not instruction.strip():
        return None
    for task in all_tasks():
        instance = task.parse(instruction)
        if instance is not None:
            return instance
    return None


@dataclass(frozen=True)
class Cell:
    """One cell of the paper's Table III: an attribute/instruction generalisation split × category."""

    name: str  # "SA/SI" | "UA/SI" | "UA/UI"
    category: str  # "long_horizon" | "spatial"
    split: str  # attribute split the sampler draws from: "seen" | "unseen"
    template_ids: tuple[int, ...]

    @property
    def key(self) -> str:
        return f"{self.name} {self.category}"


def split_cells() -> list[Cell]:
    """The six cells: seen templates (1-8) with seen attributes (SA/SI) and with unseen attributes
    (UA/SI); unseen templates (9-14) with unseen attributes (UA/UI); each split into long-horizon
    (1-5, 9-11) and spatial-geometric (6-8, 12-14)."""
    return [
        Cell("SA/SI", "long_horizon", "seen", (1, 2, 3, 4, 5)),
        Cell("SA/SI", "spatial", "seen", (6, 7, 8)),
        Cell("UA/SI", "long_horizon", "unseen", (1, 2, 3, 4, 5)),
        Cell("UA/SI", "spatial", "unseen", (6, 7, 8)),
        Cell("UA/UI", "long_horizon", "unseen", (9, 10, 11)),
        Cell("UA/UI", "spatial", "unseen", (12, 13, 14)),
    ]
