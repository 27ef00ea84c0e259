"""Named objects an instruction keeps where they are (codebot.checks.goals.phrase_protect): several at once ("leave
the red and blue blocks alone"), "keep X where it is / in place / still", "X doesn't move", after a clause of named
groups and towers; and a clause whose objects cannot all be kept (one of them is moved, or is no object here) is
never read as a weaker goal. Wordings from tuning pt954 and pt1031, in my own words; near misses stay unread."""
import pytest
from scenes import block, bowl, one_move, phrase_reading

from codebot.checks.goals.phrase_protect import protected_readings
from codebot.checks.goals.phrase_refs import PhraseScene

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("yellow", 0.0, -0.55),
         bowl("green", -0.2, -0.3), bowl("purple", -0.05, -0.3)]
one = one_move


@pytest.mark.parametrize("text, expected", [
    # several objects kept, in one clause
    ("put the red block in the green bowl, leave the yellow and blue blocks alone", one("in(red block, green bowl)")),
    ("put the red block in the green bowl; keep the blue and yellow blocks where they are",
     one("in(red block, green bowl)")),
    ("put the red block in the green bowl and don't move the yellow or blue block", one("in(red block, green bowl)")),
    ("leave the yellow and blue blocks where they are and put the red block in the green bowl",
     one("in(red block, green bowl)")),
    # one object, in wordings read now
    ("put the red block in the green bowl, keep the yellow block where it is", one("in(red block, green bowl)")),
    ("put the red block in the green bowl and keep the yellow block in place", one("in(red block, green bowl)")),
    ("put the red block in the green bowl, the yellow block doesn't move", one("in(red block, green bowl)")),
    ("put the red block in the purple bowl, the yellow block stays where it is", one("in(red block, purple bowl)")),
    # after named groups and towers, which say unchanged(others) themselves
    ("put the red and blue blocks in the green bowl, leave the yellow one alone",
     one("in(red block, green bowl)", "in(blue block, green bowl)")),
    ("stack the red and blue blocks, keep the yellow block still", one("stack([red block, blue block])")),
    # a kept object the spec names is kept by name; a list that would swallow the goal's own object is not read
    ("put the red block on the blue block and the yellow block stays put", one("on(red block, blue block)")),
    ("put the red block on the yellow block, and the yellow block itself should stay where it is",
     one("on(red block, yellow block)", "unchanged(yellow block)")),
    # near misses: a kept object that is moved, one the scene lacks, a group that names the kept one
    ("put the red block in the green bowl, the red block and the blue block stay put", None),
    ("put the red block in the green bowl, leave the yellow and orange blocks alone", None),
    ("put the red and blue blocks in the green bowl, leave the red one alone", None),
])
def test_kept_objects_are_read(text, expected):
    assert phrase_reading(text, SCENE) == expected


def test_a_clause_at_the_end_is_offered_from_its_longest_reading():
    scene = PhraseScene(SCENE)
    readings = protected_readings("put the red block on the blue block and the yellow block stays put", scene)
    assert readings[0] == ("put the red block on", ("blue block", "yellow block"))
    assert ("put the red block on the blue block", ("yellow block",)) in readings
    assert protected_readings("put the red block in the green bowl", scene) == [
        ("put the red block in the green bowl", ())]
    assert protected_readings("put the red block in the green bowl, leave the orange block alone", scene) == []

