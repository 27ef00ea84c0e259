"""One choice of moves that meets a goal's counts (codebot.checks.goals.count_choice), shown to the program writer
in place of the count: each block used once, never one the goal names elsewhere, and nothing chosen where moving
blocks in cannot meet the count or the scene already has one counted."""
from scenes import block, bowl

from codebot.checks.goals import evaluate_goal, load_goal, to_text
from codebot.checks.goals.count_choice import counts_chosen, moves_said
from codebot.checks.goals.referents import resolved_goal

SCENE = [block("red", -0.2, -0.55), block("blue", -0.1, -0.55), block("green", 0.0, -0.55),
         block("yellow", 0.1, -0.55), bowl("orange", -0.2, -0.3), bowl("pink", 0.1, -0.3)]


def chosen(spec, scene=SCENE):
    got = counts_chosen(load_goal(spec), scene)
    return None if got is None else to_text(got)


def test_counts_become_moves_of_distinct_blocks():
    two_and_two = chosen("all(count(x in blocks: in(x, orange bowl)) == 2, count(x in blocks: in(x, pink bowl)) == 2)")
    moves = two_and_two[len("all("):-1].split("), ")
    assert len(moves) == 4 and two_and_two.count("orange bowl") == 2 and two_and_two.count("pink bowl") == 2
    assert {m.split("(")[1].split(",")[0] for m in moves} == {"red block", "blue block", "green block",
                                                              "yellow block"}
    # at least n: n blocks; more than n: n + 1
    assert chosen("count(x in blocks: in(x, orange bowl)) >= 2").count("in(") == 2
    assert chosen("count(x in blocks: in(x, orange bowl)) > 2").count("in(") == 3


def test_a_block_the_goal_names_is_never_chosen():
    got = chosen("all(in(red block, pink bowl), count(x in blocks: in(x, orange bowl)) == 2, "
                 "unchanged(yellow block))")
    assert got.startswith("all(in(red block, pink bowl), ") and got.endswith("unchanged(yellow block))")
    assert "in(red block, orange bowl)" not in got and "in(yellow block, orange bowl)" not in got
    assert got.count("orange bowl") == 2
    assert chosen("count(x in blocks except [red block, blue block, green block]: in(x, orange bowl)) == 2") is None


def test_counts_moving_blocks_cannot_meet_are_left_as_they_are():
    assert chosen("count(x in blocks: in(x, orange bowl)) <= 2") is None  # met by doing nothing
    assert chosen("forall(y in bowls: count(x in blocks: in(x, y)) == 2)") is None  # depends on y
    assert chosen("count(x in blocks: on(x, red block)) == 2") is None  # two blocks on one block is a tower
    assert chosen("count(x in blocks: in(x, orange bowl)) == 5") is None  # the scene has four blocks
    assert chosen("all(in(red block, orange bowl), unchanged(others))") is None  # no count at all
    # a block already in the bowl: moving two more would make three
    in_already = [block("red", -0.2, -0.3) if o.name == "red block" else o for o in SCENE]
    assert chosen("count(x in blocks: in(x, orange bowl)) == 2", in_already) is None


def test_the_resolved_goal_shows_the_moves_and_the_checker_still_judges_the_count():
    goal = load_goal("all(count(x in blocks: in(x, orange bowl)) == 1, unchanged(others))")
    shown = resolved_goal(goal, SCENE, counts=True)
    assert shown.startswith("all(in(") and "count(" not in shown
    assert resolved_goal(goal, SCENE) is None
    # any one block in the bowl meets the check, not only the one shown
    blue_in = [block("blue", -0.2, -0.3) if o.name == "blue block" else o for o in SCENE]
    yellow_in = [block("yellow", -0.2, -0.3) if o.name == "yellow block" else o for o in SCENE]
    assert evaluate_goal(goal, SCENE, blue_in).success and evaluate_goal(goal, SCENE, yellow_in).success


def test_the_moves_are_said_in_words_grouped_by_where_they_go():
    two_and_one = load_goal("all(count(x in blocks: in(x, orange bowl)) == 2, "
                            "count(x in blocks: in(x, pink bowl)) == 1)")
    assert moves_said(two_and_one, SCENE) == \
        "put the red block and the blue block in the orange bowl, and the green block in the pink bowl"
    assert moves_said(load_goal("count(x in blocks: at(x, bottom side)) == 3"), SCENE) == \
        "put the red block, the blue block and the green block at the bottom side"
    assert moves_said(load_goal("count(x in blocks: on(x, red block)) == 1"), SCENE) == \
        "put the blue block on the red block"
    assert moves_said(load_goal("count(x in blocks: in(x, orange bowl)) <= 1"), SCENE) is None
