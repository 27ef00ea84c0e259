"""The task registry (one decorator per template), instruction matching and the Table III cells."""
from __future__ import annotations

from dataclasses import dataclass

from codebot.registry import BUILTIN, DuplicateNameError, Registry
from codebot.checks.tasks.base import Task, TaskInstance

_REQUIRED_DOC_SECTIONS = ("Task:", "Randomization:", "Success:")


def _checked_instance(cls: type[Task]) -> Task:
    """The one instance of a template class, after the checks every template must pass."""
    doc = cls.__doc__ or ""
    missing = [s for s in _REQUIRED_DOC_SECTIONS if s not in doc]
    if missing:
        raise TypeError(f"{cls.__name__} docstring lacks {missing} (Task / Randomization / Success)")
    if not cls.name or cls.category not in ("long_horizon", "spatial") or cls.template_id <= 0:
        raise TypeError(f"{cls.__name__} needs a name, a template_id and category long_horizon|spatial")
    clash = [t for t in TASKS.loaded().values() if t.template_id == cls.template_id and t.name != cls.name]
    if clash:
        raise DuplicateNameError(f"task {cls.name!r}: template id {cls.template_id} is already {clash[0].name!r}")
    return cls()


# name -> template; a plugin adds one with an entry point in the group "codebot.tasks" ("pkg.mod:MyTask").
TASKS = Registry("task", "codebot.tasks", make=_checked_instance)


def register(cls: type[Task]) -> type[Task]:
    """Class decorator: check, instantiate and register a template under its `name`."""
    instance = _checked_instance(cls)
    source = BUILTIN if cls.__module__.startswith("codebot.") else None
    TASKS.register(cls.name, f"{cls.__module__}:{cls.__qualname__}", loaded=instance,
                   **({"source": source} if source else {}))
    return cls


def all_tasks() -> list[Task]:
    """Registered templates in template-id order (a plugin's templates are imported here)."""
    return sorted((TASKS.get(name) for name in TASKS), key=lambda t: t.template_id)


def get_task(name_or_id: str | int) -> Task:
    """A template by name ('stack_all_blocks') or by its number in the paper (2 or '2')."""
    if isinstance(name_or_id, str) and name_or_id in TASKS:
        return TASKS.get(name_or_id)
    try:
        template_id = int(name_or_id)
    except (TypeError, ValueError):
        raise TASKS.unknown(name_or_id) from None
    for task in all_tasks():
        if task.template_id == template_id:
            return task
    raise KeyError(f"no task with template id {template_id}; known ids: "
                   f"{sorted(t.template_id for t in all_tasks())}")


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
