"""Hand-written programs over the core primitives for the issue's five instructions, with the
scenes they run on. Each program is plain source run with only the primitives (and numpy) in scope,
as generated code is; success is decided by the matching `codebot.checks.tasks` checker."""
from __future__ import annotations

from codebot.checks.scene import SceneSpec

PUT_RED_IN_BLUE = """
put_first_on_second('red block', 'blue bowl')
"""

STACK_ALL = """
blocks = get_blocks()
# Build on the block nearest the middle: a tower there is far from the table's edges.
base = closest_to(blocks, 'middle')
below = base
for name in sort_by_distance(blocks, base):
    if name != base:
        put_first_on_second(name, below)
        below = name
"""

MATCHING_BOWLS = """
for block in get_blocks():
    bowl = matching_color(block, get_bowls())
    if bowl is not None:
        put_first_on_second(block, bowl)
"""

HORIZONTAL_LINE = """
blocks = sort_by_direction(get_blocks(), 'left')
others = [n for n in get_obj_names() if n not in blocks]
# Pick the row whose slots stay farthest from bowls and from blocks that are not yet moved.
best, best_clear = None, -1.0
for y in [-0.35, -0.5, -0.65]:
    for x in [0.0, -0.08, 0.08]:
        slots = points_on_line('horizontal', len(blocks), center=[x, y], spacing=0.1)
        clear = min([get_distance(s, o) for s in slots for o in get_obj_names()] + [1.0])
        if clear > best_clear:
            best, best_clear = slots, clear
for name, slot in zip(blocks, best):
    put_first_on_second(name, slot)
"""

CLOSEST_TO_GREEN_BOWL = """
block = closest_to(get_blocks(), 'green bowl')
put_first_on_second(block, 'top left corner')
"""

# instruction (as the task registry phrases it), program, scene
CASES = {
    "put the red block in the blue bowl": (
        "put the red block in the blue bowl", PUT_RED_IN_BLUE,
        SceneSpec(blocks=("red", "green", "yellow"), bowls=("blue", "red"))),
    "stack all the blocks": (
        "stack all the blocks", STACK_ALL,
        SceneSpec(blocks=("red", "green", "blue"), bowls=("yellow",))),
    "put all the blocks in the bowls with matching colors": (
        "put all the blocks in the bowls with matching colors", MATCHING_BOWLS,
        SceneSpec(blocks=("red", "green", "blue"), bowls=("red", "green", "blue"))),
    "put the blocks in a horizontal line": (
        "put the blocks in a horizontal line", HORIZONTAL_LINE,
        SceneSpec(blocks=("red", "green", "blue"), bowls=("yellow",))),
    "put the block closest to the green bowl in the top left corner": (
        "pick up the block closest to the green bowl and place it on the top left corner",
        CLOSEST_TO_GREEN_BOWL,
        SceneSpec(blocks=("red", "yellow", "blue"), bowls=("green", "orange"))),
}
