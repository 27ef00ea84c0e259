"""A layout in which the instruction means something. The simulator lays a scene out from a seed; on some
layouts the phrase parser's reading of an instruction cannot be checked there ("put the red block in the
middle" when it already lies in the middle; "the block right of the yellow bowl" when none lies there),
though on another layout it can. The agent then tries the next seeds, a bounded number, and keeps the
first layout where the reading validates. It says so (the `layout` event, the goal record, the trace's
target_reset), and it never changes the objects, only where they lie. A template's check is left alone:
the template's checker is the authority on its own scenes (benchmarks fix their seeds).

The same holds for the LLM's restatement, which comes after the scene is observed: where every restatement
the parser read was refused only because of the layout (held-out runs ended unchecked on "the spec already
holds on the initial scene"), the next seeds are tried until one of those restatements is usable, and the
check is chosen again there (the LLM is asked again, on the new layout, and its restatements must agree as
before)."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from codebot.agent_prepare import Preparation
from codebot.checks.goal_restater import Restater
from codebot.checks.goal_writer import parser_reading
from codebot.checks.goals import normalize_instruction
from codebot.checks.judge import object_infos

LAYOUT_TRIES = 8  # further seeds tried; each is one reset and observe in the warm worker
LAYOUT_BOUND = ("already_true", "unresolved")  # problems another layout can cure; the rest it cannot


def layout_problems(prep: Preparation) -> list[str]:
    """Why the parser's reading fails on this layout when only the layout is to blame; [] otherwise
    (no reading, a usable one, or a problem no layout cures)."""
    if prep.read is None or prep.missing or prep.task is not None or not prep.objects:
        return []
    reading = parser_reading(prep.read.normalized, object_infos(prep.objects), prep.instruction)
    if reading is None or not reading[1] or any(p.kind not in LAYOUT_BOUND for p in reading[1]):
        return []
    return [str(p) for p in reading[1]]


def search_layout(prep: Preparation, observe: Callable, tries: int = LAYOUT_TRIES) -> dict | None:
    """When the reading fails on this layout only, observe the scene on the next `tries` seeds and move
    `prep` (its reset and objects) to the first where it validates. Returns what moved (seeds and why),
    or None: nothing to do, or no seed helped (prep unchanged, the run goes on as before)."""
    why = layout_problems(prep)
    if not why:
        return None

    def fits(objects: list[dict]) -> bool:
        reading = parser_reading(prep.read.normalized, object_infos(objects), prep.instruction)
        return reading is not None and not reading[1]

    return _first_fitting_seed(prep, observe, tries, fits, why)


def _first_fitting_seed(prep: Preparation, observe: Callable, tries: int, fits: Callable,
                        why: list[str]) -> dict | None:
    """Observe the next `tries` seeds; move `prep` to the first whose objects `fits`, and say what moved."""
    first = prep.reset.seed
    for seed in range(first + 1, first + 1 + tries):
        reset = replace(prep.reset, seed=seed)
        objects = observe(reset)
        if fits(objects):
            prep.reset = reset
            prep.observed(objects)
            return {"seed": seed, "instead_of": first, "why": why}
    return None


def restated_on_layout(prep: Preparation) -> list[str]:
    """The restatements of an unchecked run that the parser read and only this layout defeated ([] when the
    run has a check, a template, or any other reason to be unchecked)."""
    goal = prep.choice.goal if prep.choice is not None else None
    if not goal or goal.get("ok") or prep.check is not None or prep.task is not None or not prep.objects:
        return []
    texts = []
    for attempt in goal.get("attempts") or []:
        text = attempt.get("restated") or ""
        if not text or attempt.get("spec") or text in texts:
            continue
        reading = parser_reading(normalize_instruction(text)[0], object_infos(prep.objects), prep.instruction)
        if reading is not None and reading[1] and all(p.kind in LAYOUT_BOUND for p in reading[1]):
            texts.append(text)
    return texts


def search_restated_layout(prep: Preparation, observe: Callable, tries: int = LAYOUT_TRIES) -> dict | None:
    """As search_layout, for the restatements of restated_on_layout: the first seed where one of them passes
    every rule a restatement is held to (goal_restater.Restater.read_restatement). The caller chooses the check
    again on it."""
    texts = restated_on_layout(prep)
    if not texts:
        return None
    normalized = prep.read.normalized if prep.read is not None else normalize_instruction(prep.instruction)[0]

    def fits(objects: list[dict]) -> bool:
        infos = object_infos(objects)
        return any(Restater.read_restatement(text, prep.instruction, normalized, infos)[0] is not None
                   for text in texts)

    return _first_fitting_seed(prep, observe, tries, fits,
                               [f"restated as {t!r}, which this layout defeats" for t in texts])
