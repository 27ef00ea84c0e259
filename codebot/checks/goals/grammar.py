"""The GBNF grammar of the goal-spec text form (llama.cpp grammar-constrained decoding), optionally
specialised to one scene so the model can only name objects that exist. Constants (true/false) are
not in it: a grammar-constrained spec always talks about the scene."""
from __future__ import annotations

from codebot.primitives.colors import COLORS, OBJECT_KINDS
from codebot.checks.goals.spec import AXES, DIRECTION_RELATIONS, DIRECTION_WORDS, DIST_WORDS, PLACE_NAMES

_RULES = r"""
root ::= formula
formula ::= connective | quantifier | count | unchanged | relation
connective ::= ("all(" | "any(") formula more-formulas ")" | "not(" formula ")" | "implies(" formula "," sp formula ")"
quantifier ::= ("forall(" | "exists(") var " in " set ":" sp formula ")"
count ::= "count(" var " in " set ":" sp formula ")" sp cmp sp digits
unchanged ::= "unchanged(" (set | obj more-objs) ")"
relation ::= pair "(" obj "," sp obj ")" | direction-rel "(" obj "," sp obj ("," sp "dist=" dist)? ")" | "at(" obj "," sp where ")" | "stack(" set ("," sp (obj | place))? ")" | "line(" set "," sp axis ")" | "distinct_places(" set ("," sp ("corners" | "sides"))? ")"
pair ::= "on" | "in" | "near" | "same_colour"
where ::= place | obj | ("nearest(" | "farthest(") ("corners" | "sides") "," sp obj ")"
obj ::= name | var | selector
selector ::= ("nearest(" | "farthest(") set "," sp obj ")" | "nth(" set "," sp [1-9] "," sp direction ")" | "side_of(" set "," sp direction "," sp obj ")"
set ::= base (" except " (obj | "[" obj more-objs "]"))? | "[" obj more-objs "]" | "others"
base ::= "blocks" | "bowls" | "objects"
cmp ::= "==" | "!=" | ">=" | "<=" | ">" | "<"
digits ::= [0-9] [0-9]?
number ::= "0." [0-9] [0-9]?
var ::= "x" | "y" | "z"
sp ::= " "?
"""
# Lists are bounded (a small model otherwise enumerates until it runs out of tokens): at most
# MAX_ITEMS members in all()/any() and in an object list.
MAX_ITEMS = 6


def _bounded(rule: str, item: str) -> str:
    """rule ::= ("," sp item ("," sp item (...)?)?)? — at most MAX_ITEMS - 1 more items."""
    body = ""
    for _ in range(MAX_ITEMS - 1):
        body = f'("," sp {item} {body})?' if body else f'("," sp {item})?'
    return f"{rule} ::= {body}"


def _alternatives(words) -> str:
    return " | ".join(f'"{w}"' for w in words)


def goal_grammar(object_names: list[str] | None = None, place_names: list[str] | None = None) -> str:
    """GBNF text. With `object_names`, `name` is exactly those names; without, any '<colour> <kind>'."""
    if object_names:
        name_rule = "name ::= " + _alternatives(sorted(set(object_names), key=lambda n: (-len(n), n)))
    else:
        name_rule = f"name ::= ({_alternatives(COLORS)}) \" \" ({_alternatives(OBJECT_KINDS)})"
    places = list(place_names) if place_names else list(PLACE_NAMES)
    lines = [
        _RULES.strip(),
        name_rule,
        "place ::= " + _alternatives(sorted(places, key=len, reverse=True)),
        "direction-rel ::= " + _alternatives(DIRECTION_RELATIONS),
        "direction ::= " + _alternatives(DIRECTION_WORDS),
        "axis ::= " + _alternatives(AXES),
        "dist ::= number | " + _alternatives(DIST_WORDS),
        _bounded("more-formulas", "formula"),
        _bounded("more-objs", "obj"),
    ]
    return "\n".join(lines) + "\n"
