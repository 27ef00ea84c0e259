"""The spec language: parsing, canonical printing, JSON form, syntax errors and the GBNF grammar."""
from __future__ import annotations

import pytest

from codebot.checks.goals import GoalSyntaxError, from_json, goal_grammar, load_goal, parse_goal, to_json, to_text
from codebot.checks.goals.parser import parse_term
from codebot.checks.goals.spec import All, Count, Name, Quant, Rel, Select, SetList, SetRef, Unchanged, Var

SPECS = [
    "all(in(red block, blue bowl), unchanged(others))",
    "on(red block, blue block)",
    "at(red block, top left corner)",
    "at(red block, middle)",
    "left_of(red block, blue bowl)",
    "right_of(red block, blue bowl, dist=a little)",
    "below(red block, blue bowl, dist=a lot)",
    "above(green block, yellow block, dist=0.15)",
    "near(red block, blue bowl)",
    "stack(blocks)",
    "stack(blocks, top left corner)",
    "stack([blue block, red block], blue block)",
    "line(blocks, diagonal)",
    "distinct_places(blocks, corners)",
    "distinct_places([red block, blue block], sides)",
    "any(in(red block, blue bowl), not(on(red block, blue block)))",
    "implies(same_colour(red block, red bowl), in(red block, red bowl))",
    "forall(x in blocks except red block: at(x, top left corner))",
    "forall(x in blocks except [red block, blue block]: in(x, blue bowl))",
    "exists(x in blocks: in(x, blue bowl))",
    "count(x in blocks: in(x, blue bowl)) >= 2",
    "forall(x in blocks: forall(y in bowls: implies(same_colour(x, y), in(x, y))))",
    "all(at(side_of(blocks, left, blue bowl), top side), unchanged(others))",
    "all(at(nearest(blocks, blue bowl), left side), unchanged(objects except red block))",
    "at(nth(blocks, 2, left), bottom side)",
    "at(red block, farthest(corners, blue bowl))",
    "unchanged(red block, blue bowl)",
    "true",
]


@pytest.mark.parametrize("text", SPECS)
def test_text_and_json_round_trip(text):
    goal = parse_goal(text)
    assert to_text(goal) == text
    assert parse_goal(to_text(goal)) == goal
    assert from_json(to_json(goal)) == goal
    assert load_goal(to_json(goal)) == goal


def test_parser_builds_typed_nodes():
    goal = parse_goal("all(in(red block, blue bowl), unchanged(others))")
    assert goal == All((Rel("in", (Name("red block"), Name("blue bowl"))), Unchanged(SetRef("others"))))
    q = parse_goal("forall(x in blocks except red block: in(x, blue bowl))")
    assert q == Quant("forall", "x", SetRef("blocks", (Name("red block"),)),
                      Rel("in", (Var("x"), Name("blue bowl"))))
    c = parse_goal("count(x in [red block, blue block]: at(x, middle)) = 1")
    assert isinstance(c, Count) and c.op == "==" and c.n == 1 and isinstance(c.members, SetList)
    s = parse_goal("at(nth(blocks, 3, right), top side)").args[0]
    assert s == Select("nth", SetRef("blocks"), n=3, direction="right")


def test_a_term_parses_alone():
    assert parse_term("nth(blocks, 2, left)") == Select("nth", SetRef("blocks"), n=2, direction="left")
    assert parse_term(" red block ") == Name("red block")
    for bad in ("", "nth(blocks, 2, left) extra", "in(red block, blue bowl"):
        with pytest.raises(GoalSyntaxError):
            parse_term(bad)


def test_free_spacing_quotes_aliases_and_units():
    assert parse_goal('  all( in( "Red Block" ,blue bowl ),unchanged( others ) ) ') == \
        parse_goal("all(in(red block, blue bowl), unchanged(others))")
    assert to_text(parse_goal("same_color(red block, red bowl)")) == "same_colour(red block, red bowl)"
    assert parse_goal("left_of(a block, b block, 10 cm)").dist == pytest.approx(0.1)


@pytest.mark.parametrize("bad, where", [
    ("in(red block, blue bowl", "expected"),
    ("in(red block blue bowl)", "expected"),
    ("fly(red block)", "a relation"),
    ("forall(x blocks: in(x, blue bowl))", "variable"),
    ("count(x in blocks: in(x, blue bowl))", "comparison"),
    ("line(blocks, sideways)", "horizontal"),
    ("in(red block, blue bowl) extra", "end of the spec"),
    ("", "empty"),
    ("in(red block, blue bowl) ; drop", "unexpected character"),
])
def test_syntax_errors_say_what_was_expected(bad, where):
    with pytest.raises(GoalSyntaxError, match=where):
        parse_goal(bad)


def test_grammar_is_specialised_to_the_scene():
    g = goal_grammar(["red block", "blue bowl"])
    name_rule = next(line for line in g.splitlines() if line.startswith("name ::="))
    assert name_rule == 'name ::= "blue bowl" | "red block"'
    assert '"true"' not in g and '"false"' not in g  # no constants can be generated
    assert "root ::= formula" in g and '"top left corner"' in g
    generic = goal_grammar()
    assert '"crimson"' not in generic and '"purple"' in generic
    # every rule used is defined
    import re
    defined = {line.split(" ::= ")[0] for line in generic.splitlines() if " ::= " in line}
    bodies = " ".join(line.split(" ::= ", 1)[1] for line in generic.splitlines() if " ::= " in line)
    bodies = re.sub(r'"[^"]*"|\[[^\]]*\]', " ", bodies)  # drop literals and character classes
    used = set(re.findall(r"[a-z][a-z-]*", bodies))
    assert used <= defined, used - defined
