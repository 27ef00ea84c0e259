"""Towers said the ways a probe of my own wordings found unread after tuning batch twelve: a building order
('build a tower: red, then blue, then green'), an order 'from bottom to top' or 'from top to bottom', only the
base of a named tower ('stack red, blue and green with red at the bottom'), 'create', 'one on top of the other',
'a single stack … in X', 'so the red one is at the bottom', 'a tower in X using every block', and 'put the blue
block under the red block'. Near misses stay unread."""
import pytest
from scenes import block, bowl, one_move, phrase_reading

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         bowl("yellow", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
one = one_move


@pytest.mark.parametrize("text, expected", [
    ("make a stack: green, then red, then blue", one("on(red block, green block)", "on(blue block, red block)")),
    ("pile the blocks in this order: blue, green, red, from bottom to top",
     one("on(green block, blue block)", "on(red block, green block)")),
    ("stack the blocks in order green, blue and red from top to bottom",
     one("on(blue block, red block)", "on(green block, blue block)")),
    ("stack the green, red and blue blocks with green at the bottom",
     one("stack([green block, red block, blue block], green block)")),
    ("create a stack with the blue block at the bottom and the green block on top",
     one("on(green block, blue block)")),
    ("stack all the blocks one on top of another", "stack(blocks)"),
    ("build a tall stack of all the blocks in the purple bowl", "stack(blocks, purple bowl)"),
    ("stack the blocks so that the green one ends up at the bottom", "stack(blocks, green block)"),
    ("make a stack at the top left corner using all the blocks", "stack(blocks, top left corner)"),
    ("slide the green block underneath the blue block", one("on(blue block, green block)")),
    # near misses: left unread
    ("make a stack: green, blue, red", None),  # no 'then': a list, not an order
    ("stack the red and blue blocks with green at the bottom", None),  # green is not one of them
    ("put the green block under the yellow bowl", None),  # under a bowl: no relation says it
])
def test_tower_wordings(text, expected):
    assert phrase_reading(text, SCENE) == expected


FOUR = [block("red", -0.2, -0.55), block("gray", -0.1, -0.55), block("orange", 0.0, -0.55), block("pink", 0.1, -0.55),
        bowl("blue", -0.2, -0.3)]


@pytest.mark.parametrize("text, expected", [
    # two towers of named blocks (tuning pt618, in my own words)
    ("make a tower of red and gray, and a separate tower of orange and pink",
     one("stack([red block, gray block])", "stack([orange block, pink block])")),
    ("stack the red and gray blocks, and a second stack of the orange and pink blocks",
     one("stack([red block, gray block])", "stack([orange block, pink block])")),
    ("make a tower of the red and gray blocks and another tower of the orange and pink blocks in the blue bowl",
     one("stack([red block, gray block])", "stack([orange block, pink block], blue bowl)")),
    # near misses: a block in both towers; a second tower whose blocks are not named
    ("make a tower of red and gray and another tower of gray and pink", None),
    ("make a tower of red and gray and another tower of the rest", None),
])
def test_two_towers_of_named_blocks(text, expected):
    assert phrase_reading(text, FOUR) == expected
