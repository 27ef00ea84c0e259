"""The program writer's points for lines and distinct places, and the order line of a tower on a place, come from
a goal spec read from the instruction, never from a task template's check: those relations are the goals of the
unseen-instruction templates (14, 9, 10), and the UA/UI cells measure the program writer without them."""
from scenes import block, bowl

from codebot.agent_prepare import choose_for, read_instruction
from codebot.reset_config import ResetConfig

OBJECTS = [o.to_plain() for o in (block("red", 0.10, -0.50), block("green", -0.10, -0.40), block("blue", 0.25, -0.60),
                                  bowl("yellow", 0.0, -0.30))]


def _prepared(instruction: str):
    prep = read_instruction(instruction, None, True, 0, lambda s: ResetConfig(seed=0, scene=s))
    prep.observed(OBJECTS)
    prep.choice = choose_for(prep, None, None, False, restate=False)
    return prep


def test_a_template_line_gets_no_points_and_an_everyday_one_does():
    template = _prepared("put all the blocks in a horizontal line")
    assert template.from_template and "line(" in template.goal_text()
    assert not any("points_on_line" in point for _, point in template.placements())
    everyday = _prepared("make a row out of the blocks")
    assert not everyday.from_template and everyday.goal_text() == "line(blocks, horizontal)"
    assert any(point.startswith("points_on_line('horizontal', 3") for _, point in everyday.placements())


def test_a_template_tower_on_a_place_gets_no_order_line():
    template = _prepared("stack all the blocks on the top left corner")
    assert template.from_template and "stack(" in template.goal_text()
    assert not any("get_location(" in note for note in template.notes())


def test_an_everyday_tower_on_a_place_is_started_there():
    everyday = _prepared("i want every block piled up in the bottom right corner")
    assert not everyday.from_template and everyday.goal_text() == "stack(blocks, bottom right corner)"
    start = "the tower's base is at get_location('bottom right corner')"
    assert any(note.startswith(start) for note in everyday.notes())
