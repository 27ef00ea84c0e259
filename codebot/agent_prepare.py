"""An episode's preparation, done once per run before any program is written: normalise the
instruction, match a task template, choose the scene, observe it, find colours it lacks, choose the
check. What a target declares (codebot.targets.TargetTraits) decides which steps apply: only a judged
target (the simulator) normalises, matches, builds a scene from the instruction and checks."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from codebot.checks.check import Check
from codebot.checks.goal_choice import CheckChoice, choose_check
from codebot.checks.goal_writer import ReadInstruction
from codebot.primitives.colors import COLORS, SEEN_COLORS
from codebot.reset_config import ResetConfig
from codebot.checks.goals import missing_in_scene, normalize_instruction
from codebot.checks.scene import SceneSpec
from codebot.checks.judge import object_infos

MAX_PER_KIND, MAX_OBJECTS = 6, 10  # the layout sampler's limits per kind and in all (codebot.sim.layout)
UNJUDGED = "unchecked: no checker on this target"


def match_task(instruction: str):
    """The task template that parses this instruction (codebot.checks.tasks.match), or None."""
    try:
        from codebot.checks import tasks
    except Exception:
        return None
    match = getattr(tasks, "match", None)
    if match is None:
        return None
    try:
        return match(instruction)
    except Exception:
        return None


def scene_from_instruction(instruction: str, seed: int = 0) -> SceneSpec | None:
    """The objects an instruction names, read with the phrase parser's reader (codebot.checks.goals.
    phrase_scene: 'the red and blue blocks', 'the red one', the bowl of the same colour, 'both blocks'),
    plus seeded distractors, so the scene holds what the instruction talks about even without a task
    template. None when it names nothing."""
    from codebot.checks.goals.phrase_scene import scene_needs

    needs = scene_needs(instruction.lower())
    if needs.empty:
        return None
    rng = random.Random(seed)
    blocks, bowls = list(needs.blocks)[:MAX_PER_KIND], list(needs.bowls)[:MAX_PER_KIND]
    if needs.matching and not blocks and not bowls:  # 'sort the blocks by colour': pairs of one colour
        colours = list(SEEN_COLORS)
        rng.shuffle(colours)
        blocks, bowls = colours[:3], colours[:3]
    spare_blocks, spare_bowls = _spare(blocks, needs.loose, rng), _spare(bowls, needs.loose, rng)
    want_blocks = needs.block_count or max(3, needs.min_blocks)
    want_bowls = needs.bowl_count or 2
    blocks += spare_blocks[: max(0, min(want_blocks, MAX_PER_KIND) - len(blocks))]
    bowls += spare_bowls[: max(0, min(want_bowls, MAX_PER_KIND) - len(bowls))]
    return SceneSpec(tuple(blocks), tuple(bowls[: MAX_OBJECTS - len(blocks)]))


def _spare(taken: list[str], loose, rng: random.Random) -> list[str]:
    """Distractor colours: the seen ones first (shuffled), then the others in a fixed order, for a count past the
    seen five (the seeded draws, and so every scene of up to five blocks, stay as they were)."""
    seen = [c for c in SEEN_COLORS if c not in taken and c not in loose]
    rng.shuffle(seen)
    return seen + [c for c in COLORS if c not in SEEN_COLORS and c not in taken and c not in loose]


@dataclass
class Preparation:
    """What a run starts from. `read` is None off a judged target (nothing reads the instruction there);
    `choice` is None until the check is chosen (never, when the scene lacks a colour it names)."""

    instruction: str  # as the run uses it: normalised on a judged target
    task: Any  # the matching TaskInstance, or None
    reset: ResetConfig
    read: ReadInstruction | None = None
    objects: list[dict] | None = None
    choice: CheckChoice | None = None

    @property
    def missing(self) -> str | None:
        return self.read.missing if self.read is not None else None

    @property
    def check(self) -> Check | None:
        return self.choice.check if self.choice is not None else None

    def goal_text(self) -> str | None:
        """The chosen check in the spec language: a goal spec's text, or a template's goal spec."""
        check = self.check
        spec = getattr(check, "spec", None)
        if spec:
            return spec
        if check is not None and self.task is not None:
            from codebot.checks.goals import goal_for_instance, to_text

            return to_text(goal_for_instance(self.task))
        return None

    def _on_goal(self, compute, default=None):
        """compute(the chosen check's goal, parsed; the scene's objects) for the prompt lines computed from both (by
        codebot.checks.goals.referents and count_choice); `default` without a check or before the scene is observed."""
        text = self.goal_text()
        if not text or not self.objects:
            return default
        from codebot.checks.goals import load_goal

        return compute(load_goal(text), object_infos(self.objects))

    def referents(self) -> list[tuple[str, str]]:
        """What the chosen check's selectors pick on this scene (codebot.checks.goals.referents)."""
        from codebot.checks.goals.referents import resolved_referents

        return self._on_goal(resolved_referents, [])

    def placed_pairs(self) -> list[tuple[str, str]]:
        """The (A, B) of each on(A, B) / in(A, B) the chosen check asks for, resolved on this scene
        (codebot.checks.goals.referents.placed_pairs)."""
        from codebot.checks.goals.referents import placed_pairs

        return self._on_goal(placed_pairs, [])

    @property
    def from_template(self) -> bool:
        """The check is a task template's (not a goal spec read from the instruction)."""
        return self.check is not None and self.task is not None and not getattr(self.check, "spec", None)

    def placements(self) -> list[tuple[str, str]]:
        """Where the chosen check's direction relations hold on this scene (codebot.checks.goals.referents). A
        template's check gets no points for lines or distinct places: those are the unseen-instruction templates'
        own goals (14, 9), and the UA/UI cells measure the program writer without them."""
        from codebot.checks.goals.referents import placement_hints

        return self._on_goal(lambda goal, objects: placement_hints(goal, objects, shapes=not self.from_template), [])

    def program_goal(self, counts: bool = False) -> str | None:
        """The goal the program writer is shown: the chosen check with each selector replaced by what it picks on
        this scene ("all(on(gray block, brown block), unchanged(others))" for "all(on(nth(blocks, 3, left),
        nth(blocks, 1, left)), …)"), the same objects the checker picks; else the check as it is. Shown the
        selectors, the 1.5B model passed their text as object names ('nth(blocks, 1, left)'); shown the resolved
        goal, which maps onto primitives one to one, it wrote the calls: first attempts on 21 tuning items with
        selectors, 6 -> 10 verified. With `counts`, a count that moving blocks meets is shown as one choice of moves
        (codebot.checks.goals.count_choice)."""
        from codebot.checks.goals.referents import resolved_goal

        return self._on_goal(lambda goal, objects: resolved_goal(goal, objects, counts=counts)) or self.goal_text()

    def shown_instruction(self, names: bool = True, counts: bool = False) -> str | None:
        """The instruction with each phrase that picks one of the check's referents replaced by the object it picks
        here, as the goal line shows it resolved: "pick up the red block and …" for "pick up the second block from
        the left and …" (codebot.checks.goals.referents.instruction_with_names); None when no phrase is named. Shown the
        resolved goal alone, the 1.5B model still counted "the second block" in the `# objects` list (cap-tabletop
        template 8); shown "the red block (the second block from the left)", it was led by the words in brackets
        to closest_to() calls; shown the name, it picked that block in all 19 first prompts of templates 6-8 probed
        at temperature 0. The checker still evaluates the instruction's selectors. With `counts`, the moves that
        program_goal(counts=True) shows are also said after the instruction (count_choice.moves_said)."""
        from codebot.checks.goals.count_choice import moves_said
        from codebot.checks.goals.referents import instruction_with_names

        def shown(goal, objects) -> str | None:
            text = (instruction_with_names(self.instruction, goal, objects) if names else None) or self.instruction
            moves = moves_said(goal, objects) if counts else None
            text = f"{text.rstrip(' .!?')}: {moves}" if moves else text
            return text if text != self.instruction else None

        return self._on_goal(shown)

    def notes(self) -> list[str]:
        """More `#` lines for the program writer that the chosen check implies: which move must come first, and how
        a tower on a place is built (codebot.checks.goals.referents); as with placements, a template's tower on a
        place (template 10) gets no line."""
        from codebot.checks.goals.referents import order_hints

        return self._on_goal(lambda goal, _: order_hints(goal, places=not self.from_template), [])

    @property
    def task_name(self) -> str | None:
        return getattr(getattr(self.task, "task", None), "name", None)

    def observed(self, objects: list[dict]) -> "Preparation":
        """Record the scene's objects and, on a judged target, the colours or named objects the instruction
        names that the scene lacks (an episode with such a name ends before any LLM call)."""
        self.objects = objects
        if self.read is not None:
            self.read = ReadInstruction(self.read.normalized, self.read.notes, self.read.template,
                                        missing_in_scene(self.instruction, self.read.normalized,
                                                         object_infos(objects)))
        return self


def read_instruction(instruction: str, scene, judged: bool, seed: int, reset_config) -> Preparation:
    """Normalise and match (judged targets only), then the reset: `scene` if given, else the task's,
    else (judged) one built from the objects the instruction names. `reset_config(scene)` builds it."""
    if not judged:
        return Preparation(instruction, None, reset_config(scene))
    normalized, notes = normalize_instruction(instruction)
    task = match_task(normalized)
    if scene is None and task is not None:
        scene = task.scene
    if scene is None:
        scene = scene_from_instruction(normalized, seed)
    return Preparation(normalized, task, reset_config(scene), read=ReadInstruction(normalized, notes, task))


def choose_for(prep: Preparation, generator, user_goal: str | None, write_goals: bool,
               restate: bool = True) -> CheckChoice:
    """What the sim server is to check (codebot.checks.goal_choice), from the preparation; off a judged
    target, nothing."""
    if prep.read is None:
        return CheckChoice(None, None, UNJUDGED)
    return choose_check(prep.instruction, prep.task, prep.objects or [], generator, user_goal=user_goal,
                        write_goals=write_goals, read=prep.read, restate=restate)
