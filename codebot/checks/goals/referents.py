"""What a spec's selectors pick on the initial scene: `nearest(blocks, green bowl)` is the red block here.
The program writer is shown these (beside the `# goal:` line) so it need not re-derive, with a small
model's arithmetic, referents the deterministic reader has already resolved on the same scene the program
will run on. Selectors inside forall/exists/count depend on their variable and are left out."""
from __future__ import annotations

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.checks.goals.printer import term_text
from codebot.checks.goals.selectors import Resolver, SpecError
from codebot.checks.goals.spec import Count, Quant, Select, children
from codebot.checks.tasks.relations import Scene


def resolved_referents(goal, objects: list[ObjectInfo],
                       workspace: Workspace = DEFAULT_WORKSPACE) -> list[tuple[str, str]]:
    """(selector as the spec writes it, the object or place it picks) for each selector of `goal` that
    does not depend on a bound variable, outermost first (one inside another's set after it), each once;
    a selector that picks nothing here is left out (validation reports it)."""
    resolver = Resolver(goal, Scene(objects), workspace)
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        if isinstance(node, (Quant, Count)):
            return  # its selectors may depend on the variable
        if isinstance(node, Select):
            try:
                entry = (term_text(node), resolver.select(node, {})[1])
            except SpecError:
                return
            if entry not in found:
                found.append(entry)
        for child in children(node):
            walk(child)

    walk(goal)
    return found
