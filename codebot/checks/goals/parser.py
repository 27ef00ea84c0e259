"""Deterministic parser of the goal-spec text form, e.g.
    all(in(red block, blue bowl), unchanged(others))
    forall(x in blocks except red block: at(x, top left corner))
    count(x in blocks: in(x, blue bowl)) >= 2
Whitespace is free; names are bare words ('red block') or quoted. Errors raise GoalSyntaxError with
the position, so the LLM writer can quote it back."""
from __future__ import annotations

import re

from codebot.checks.goals.spec import (AXES, COMPARATORS, DIRECTION_RELATIONS, DIRECTION_WORDS, DIST_WORDS,
                            PAIR_RELATIONS, PLACE_SETS, SELECTORS, SET_BASES, All, Any, Const, Count,
                            Formula, Implies, Name, Not, Quant, Rel, Select, SetExpr, SetList, SetRef,
                            Term, Unchanged, Var)

# Spellings accepted for the canonical names (the printer always writes the canonical one).
ALIASES = {"same_color": "same_colour", "on_top_of": "on", "inside": "in", "into": "in",
           "left": "left_of", "right": "right_of", "and": "all", "or": "any", "every": "forall",
           "some": "exists", "unmoved": "unchanged", "tower": "stack"}
_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<word>[A-Za-z_][A-Za-z_0-9]*)"
                    r"|(?P<quoted>\"[^\"]*\"|'[^']*')|(?P<op>==|!=|>=|<=|[><=(),:\[\]]))")


class GoalSyntaxError(ValueError):
    pass


def tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise GoalSyntaxError(f"unexpected character {text[pos:pos + 1]!r} at {pos}: {text[:pos]}⟨here⟩")
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "quoted":
            value = value[1:-1].strip().lower()
        elif kind == "word":
            value = value.lower()
        tokens.append((kind, value, m.start(kind)))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.bound: list[str] = []

    # ---- token helpers ------------------------------------------------------------------------
    def peek(self, k: int = 0):
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else ("end", "", len(self.text))

    def fail(self, expected: str):
        kind, value, pos = self.peek()
        got = "the end" if kind == "end" else repr(value)
        raise GoalSyntaxError(f"expected {expected} but found {got} at {pos}: {self.text[:pos]}⟨here⟩")

    def expect(self, op: str):
        if self.peek()[1] != op or self.peek()[0] not in ("op",):
            self.fail(repr(op))
        self.i += 1

    def accept(self, op: str) -> bool:
        if self.peek()[0] == "op" and self.peek()[1] == op:
            self.i += 1
            return True
        return False

    def words(self) -> list[str]:
        """A phrase: consecutive bare words (or one quoted name)."""
        if self.peek()[0] == "quoted":
            self.i += 1
            return [self.tokens[self.i - 1][1]]
        out = []
        while self.peek()[0] == "word":
            out.append(self.peek()[1])
            self.i += 1
        return out

    # ---- formulas -----------------------------------------------------------------------------
    def formula(self) -> Formula:
        kind, word, _ = self.peek()
        if kind != "word":
            self.fail("a relation such as in(red block, blue bowl)")
        word = ALIASES.get(word, word)
        self.i += 1
        if word in ("true", "false"):
            return Const(word == "true")
        self.expect("(")
        if word in ("all", "any"):
            items = [self.formula()]
            while self.accept(","):
                items.append(self.formula())
            self.expect(")")
            return All(tuple(items)) if word == "all" else Any(tuple(items))
        if word == "not":
            item = self.formula()
            self.expect(")")
            return Not(item)
        if word == "implies":
            premise = self.formula()
            self.expect(",")
            conclusion = self.formula()
            self.expect(")")
            return Implies(premise, conclusion)
        if word in ("forall", "exists", "count"):
            return self.quantifier(word)
        if word == "unchanged":
            members = self.set_or_terms()
            self.expect(")")
            return Unchanged(members)
        return self.relation(word)

    def quantifier(self, word: str) -> Formula:
        if self.peek()[0] != "word" or self.peek(1)[1] != "in":
            self.fail("one variable name and 'in', as in forall(x in blocks: …)")
        var = [self.peek()[1]]
        self.i += 1
        if self.peek()[1] != "in":
            self.fail("'in'")
        self.i += 1
        members = self.set_expr()
        self.expect(":")
        self.bound.append(var[0])
        body = self.formula()
        self.bound.pop()
        self.expect(")")
        if word != "count":
            return Quant(word, var[0], members, body)
        kind, op, _ = self.peek()
        if kind != "op" or op not in COMPARATORS + ("=",):
            self.fail("a comparison after count(…), e.g. >= 2")
        self.i += 1
        kind, n, _ = self.peek()
        if kind != "num" or "." in n:
            self.fail("a whole number")
        self.i += 1
        return Count(var[0], members, body, "==" if op == "=" else op, int(n))

    def relation(self, word: str) -> Rel:
        if word in PAIR_RELATIONS:
            a = self.term()
            self.expect(",")
            b = self.term()
            dist = None
            if word in DIRECTION_RELATIONS and self.accept(","):
                dist = self.dist()
            self.expect(")")
            return Rel(word, (a, b), dist)
        if word == "at":
            a = self.term()
            self.expect(",")
            place = self.term()
            self.expect(")")
            return Rel("at", (a, place))
        if word == "stack":
            members = self.set_expr()
            args = (members,)
            if self.accept(","):
                args += (self.term(),)
            self.expect(")")
            return Rel("stack", args)
        if word == "line":
            members = self.set_expr()
            self.expect(",")
            axis = " ".join(self.words())
            if axis not in AXES:
                self.fail("horizontal, vertical or diagonal")
            self.expect(")")
            return Rel("line", (members, axis))
        if word == "distinct_places":
            members = self.set_expr()
            places = SetRef("corners")
            if self.accept(","):
                phrase = self.words()
                if len(phrase) != 1 or phrase[0] not in PLACE_SETS:
                    self.fail("corners or sides")
                places = SetRef(phrase[0])
            self.expect(")")
            return Rel("distinct_places", (members, places))
        self.i -= 2
        self.fail("a relation (on, in, at, near, left_of, right_of, above, below, same_colour, stack, "
                  "line, distinct_places), a connective (all, any, not, implies) or a quantifier")

    def dist(self):
        kind, value, _ = self.peek()
        if kind == "word" and value == "dist":
            self.i += 1
            self.expect("=")
            kind, value, _ = self.peek()
        if kind == "num":
            self.i += 1
            metres = float(value)
            if self.peek()[1] in ("cm", "m"):
                metres = metres / 100 if self.peek()[1] == "cm" else metres
                self.i += 1
            return metres
        phrase = " ".join(self.words())
        if phrase not in DIST_WORDS:
            self.fail("dist=<metres>, dist=a little or dist=a lot")
        return phrase

    # ---- terms and sets -----------------------------------------------------------------------
    def term(self) -> Term:
        if self.peek()[0] == "quoted":
            self.i += 1
            return Name(self.tokens[self.i - 1][1])
        phrase = self.words()
        if not phrase:
            self.fail("an object name, a variable or a selector")
        if len(phrase) == 1 and phrase[0] in SELECTORS and self.accept("("):
            return self.selector(phrase[0])
        if len(phrase) == 1 and phrase[0] in self.bound:
            return Var(phrase[0])
        return Name(" ".join(phrase))

    def selector(self, how: str) -> Select:
        members = self.set_expr()
        self.expect(",")
        if how == "nth":
            kind, n, _ = self.peek()
            if kind != "num" or "." in n:
                self.fail("a whole number (1 = first)")
            self.i += 1
            self.expect(",")
            direction = self.direction()
            self.expect(")")
            return Select("nth", members, n=int(n), direction=direction)
        if how == "side_of":
            direction = self.direction()
            self.expect(",")
            anchor = self.term()
            self.expect(")")
            return Select("side_of", members, anchor=anchor, direction=direction)
        anchor = self.term()
        self.expect(")")
        return Select(how, members, anchor=anchor)

    def direction(self) -> str:
        phrase = " ".join(self.words())
        if phrase not in DIRECTION_WORDS:
            self.fail("left, right, top or bottom")
        return phrase

    def set_expr(self) -> SetExpr:
        if self.accept("["):
            return SetList(self.term_list("]"))
        start = self.i
        phrase = self.words()
        if not phrase or phrase[0] not in SET_BASES:
            self.i = start
            self.fail("a set: blocks, bowls, objects, corners, sides, others, [a, b] or 'blocks except a'")
        base, rest = phrase[0], phrase[1:]
        if not rest:
            return SetRef(base)
        if rest[0] != "except":
            self.fail("'except' or the end of the set")
        rest = rest[1:]
        if not rest:
            self.expect("[")
            return SetRef(base, self.term_list("]"))
        excluded = " ".join(rest).split(" and ")
        return SetRef(base, tuple(Var(w) if w in self.bound else Name(w) for w in excluded))

    def term_list(self, close: str) -> tuple[Term, ...]:
        items = [self.term()]
        while self.accept(","):
            items.append(self.term())
        self.expect(close)
        return tuple(items)

    def set_or_terms(self) -> SetExpr:
        if self.peek()[0] == "word" and self.peek()[1] in SET_BASES:
            return self.set_expr()
        if self.accept("["):
            return SetList(self.term_list("]"))
        items = [self.term()]
        while self.accept(","):
            items.append(self.term())
        return SetList(tuple(items))


def parse_goal(text: str) -> Formula:
    """The Formula a spec text denotes; raises GoalSyntaxError on anything else."""
    return _parse_whole(text, "spec", _Parser.formula)


def parse_term(text: str) -> Term:
    """The Term a text denotes alone (an object name or a selector: "nth(blocks, 2, left)"); raises
    GoalSyntaxError on anything else."""
    return _parse_whole(text, "term", _Parser.term)


def _parse_whole(text: str, what: str, read):
    """read(parser) over all of `text`, nothing left after it."""
    if not isinstance(text, str) or not text.strip():
        raise GoalSyntaxError(f"the {what} is empty")
    parser = _Parser(text.strip())
    node = read(parser)
    if parser.peek()[0] != "end":
        parser.fail(f"the end of the {what}")
    return node
