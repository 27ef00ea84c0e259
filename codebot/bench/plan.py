"""What a benchmark run consists of: one job per (cell, template, trial), each with seeds derived only
from (base seed, template, split, trial), so results do not depend on worker count or order."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

SUITES = ("cap-tabletop",)
CELL_NAMES = ("SA/SI", "UA/SI", "UA/UI")
LLM_CHOICES = ("reference", "local", "openai", "replay")


@dataclass
class BenchConfig:
    suite: str = "cap-tabletop"
    splits: tuple[str, ...] = CELL_NAMES  # which Table III columns to run
    templates: tuple[int, ...] | None = None  # None: every template of the chosen cells
    trials: int = 50
    seed: int = 0
    llm: str = "reference"
    llm_opts: dict = field(default_factory=dict)
    attempts: int = 1
    workers: int = 1
    robot: str = "ur5e"
    timeout_s: float = 120.0
    call_budget: int = 400
    layout_tries: int = 50  # layouts drawn until one poses the instruction unambiguously
    out: str = "results"
    executor: str = "process"  # where trials run: "process" (this host) or "ray" (a Ray cluster)
    ray_address: str | None = None  # --executor ray: None starts a local cluster; "auto", "ray://host:port"
    resume: bool = False  # reuse the finished trials recorded in `out` (the CLI turns this on)
    max_retries: int = 2  # re-runs of a trial whose worker died under it, before it is recorded as lost
    # top-camera images before/after each attempt beside the traces (`codebot view`); off by default: ~0.15 s
    # of rendering per attempt is a third of a reference trial, and 1,100 trials would write 2,200 images
    snapshots: bool = False

    def to_dict(self) -> dict:
        d = asdict(self)
        d["splits"], d["templates"] = list(self.splits), list(self.templates) if self.templates else None
        return d


@dataclass(frozen=True)
class Job:
    cell: str  # "SA/SI" ...
    category: str
    split: str  # attribute split: "seen" | "unseen"
    template_id: int
    trial: int
    seed: int  # instance seed (attributes, scene colours)

    @property
    def key(self) -> tuple:
        return (CELL_NAMES.index(self.cell), self.template_id, self.trial)

    def layout_seed(self, base_seed: int, attempt: int) -> int:
        """The sim layout seed for the attempt-th layout of this job (re-drawn while ambiguous)."""
        ss = np.random.SeedSequence([base_seed, self.template_id, CELL_NAMES.index(self.cell), self.trial,
                                     1, attempt])
        return int(ss.generate_state(1)[0] % (2**31 - 1))


def instance_seed(base_seed: int, template_id: int, cell: str, trial: int) -> int:
    ss = np.random.SeedSequence([base_seed, template_id, CELL_NAMES.index(cell), trial, 0])
    return int(ss.generate_state(1)[0] % (2**31 - 1))


def plan_jobs(config: BenchConfig) -> list[Job]:
    from codebot.checks.tasks import split_cells

    if config.suite not in SUITES:
        raise ValueError(f"unknown suite {config.suite!r}; known: {', '.join(SUITES)}")
    unknown = [s for s in config.splits if s not in CELL_NAMES]
    if unknown:
        raise ValueError(f"unknown split(s) {unknown}; choose from {', '.join(CELL_NAMES)}")
    if config.trials < 1:
        raise ValueError("trials must be at least 1")
    jobs = []
    for cell in split_cells():
        if cell.name not in config.splits:
            continue
        for template_id in cell.template_ids:
            if config.templates and template_id not in config.templates:
                continue
            for trial in range(config.trials):
                jobs.append(Job(cell.name, cell.category, cell.split, template_id, trial,
                                instance_seed(config.seed, template_id, cell.name, trial)))
    if not jobs:
        raise ValueError("no jobs: the chosen splits hold none of the chosen templates")
    return sorted(jobs, key=lambda j: j.key)
