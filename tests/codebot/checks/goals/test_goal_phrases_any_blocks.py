"""A count that says any blocks will do ("…, i don't care which ones you pick"): which blocks was never asked, so
the count is read (tuning pt1167, pt1175, in my own words); near misses stay unread."""
import pytest
from scenes import block, bowl, phrase_reading

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("yellow", 0.0, -0.55),
         bowl("green", -0.2, -0.3), bowl("purple", -0.05, -0.3)]


@pytest.mark.parametrize("text, expected", [
    # which blocks a count takes was never asked: saying so does not keep a count unread (tuning pt1167, pt1175)
    ("put more than two of the blocks in the purple bowl, i don't care which ones you pick",
     "count(x in blocks: in(x, purple bowl)) > 2"),
    ("i want the purple bowl to have at least two blocks inside of it, it doesn't matter which blocks they are",
     "count(x in blocks: in(x, purple bowl)) >= 2"),
    ("put two blocks in the green bowl, whichever ones you like", "count(x in blocks: in(x, green bowl)) == 2"),
    # near misses: every block and 'any one'; a named block with 'which ones'
    ("put all the blocks in the purple bowl, any one is fine", None),
    ("put the red block in the green bowl, i don't care which ones", None),
])
def test_a_count_may_say_any_blocks_will_do(text, expected):
    assert phrase_reading(text, SCENE) == expected
