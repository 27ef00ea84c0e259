"""What a spec's selectors pick on the initial scene, for the program writer's `# where` lines
(codebot.checks.goals.referents): the same resolver the checker uses, so the two cannot disagree."""
from scenes import block, bowl

from codebot.checks.goals import evaluate_goal, load_goal
from codebot.checks.goals.referents import resolved_referents

SCENE = [block("red", 0.10, -0.50), block("green", -0.10, -0.40), block("blue", 0.25, -0.60),
         bowl("green", 0.12, -0.53), bowl("blue", -0.20, -0.62)]


def test_a_selector_is_resolved_to_the_object_the_checker_would_pick():
    goal = load_goal("all(in(nearest(blocks, green bowl), blue bowl), unchanged(others))")
    assert resolved_referents(goal, SCENE) == [("nearest(blocks, green bowl)", "red block")]
    # the checker means the same block: moving it into the bowl satisfies the spec, moving another does not
    red_in = [o if o.name != "red block" else block("red", -0.20, -0.62) for o in SCENE]
    green_in = [o if o.name != "green block" else block("green", -0.20, -0.62) for o in SCENE]
    assert evaluate_goal(goal, SCENE, red_in).success and not evaluate_goal(goal, SCENE, green_in).success


def test_nested_selectors_are_each_listed_once_and_bound_ones_never():
    nested = load_goal("all(in(farthest(blocks except [farthest(blocks, middle)], middle), blue bowl), "
                       "in(farthest(blocks, middle), blue bowl))")
    picked = dict(resolved_referents(nested, SCENE))
    assert len(picked) == 2 and picked["farthest(blocks, middle)"] != picked[
        "farthest(blocks except [farthest(blocks, middle)], middle)"]
    assert resolved_referents(load_goal("forall(x in blocks: in(x, nearest(bowls, x)))"), SCENE) == []
    assert resolved_referents(load_goal("in(red block, blue bowl)"), SCENE) == []


def test_a_selector_that_picks_nothing_here_is_left_out():
    goal = load_goal("in(side_of(blocks, right, blue block), green bowl)")  # the blue block is the rightmost
    assert resolved_referents(goal, SCENE) == []
