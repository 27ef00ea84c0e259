"""The restatement's plain wording as a grammar (codebot/checks/restate_grammar.py): every reply it lets the local
model give is one the phrase parser reads, it names only the scene's objects, and the restater sends it only when
asked (off by default: measured worse)."""
import random
import re

import pytest
from scenes import block, bowl

from codebot.checks.goal_restater import Restater
from codebot.checks.goals import normalize_instruction
from codebot.checks.goals.phrases import phrase_spec
from codebot.checks.restate_grammar import UNCLEAR, restate_grammar, rules, sample_sentence

COLOURS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "cyan", "brown", "gray"]


def _scene(rng: random.Random, blocks: int, bowls: int):
    return ([block(c, -0.25 + 0.11 * i, -0.55 + 0.03 * (i % 2)) for i, c in enumerate(rng.sample(COLOURS, blocks))]
            + [bowl(c, -0.25 + 0.17 * i, -0.3) for i, c in enumerate(rng.sample(COLOURS, bowls))])


def _names_twice(sentence: str, names: list[str]) -> bool:
    return any(len(re.findall(rf"\b{name}\b", sentence)) > 1 for name in names)


def test_every_reply_the_grammar_allows_is_read_by_the_parser():
    rng = random.Random(0)
    tried, unread = 0, []
    while tried < 400:
        scene = _scene(rng, rng.randint(4, 5), rng.randint(1, 3))
        names = [o.name for o in scene]
        sentence = sample_sentence(names, rng)
        # a reply naming one object twice ("leave the red block where it is" after moving it) is rightly unread
        if sentence == UNCLEAR or _names_twice(sentence, names):
            continue
        tried += 1
        if phrase_spec(normalize_instruction(sentence)[0], scene) is None:
            unread.append(sentence)
    assert not unread, f"{len(unread)} of {tried} grammatical replies unread, e.g. {unread[:5]}"


def test_the_grammar_defines_every_rule_it_uses_and_names_only_the_scene():
    names = ["red block", "blue block", "green block", "yellow bowl", "purple bowl"]
    text = restate_grammar(names)
    defined = dict(line.split(" ::= ", 1) for line in text.strip().splitlines())
    used = {word for body in defined.values() for word in re.sub(r'"[^"]*"', " ", body).replace("|", " ").split()}
    assert "root" in defined and used <= set(defined)
    said = set(re.findall(r'"(\w+ (?:block|bowl))"', text))  # a name is quoted whole: "the " "red block"
    assert said == set(names)
    assert UNCLEAR in defined["root"]
    # "any bowl" and "the other bowl" say something only where there is a choice of bowls
    one_bowl = rules(["red block", "blue block", "yellow bowl"])
    assert not any("in any bowl" in alt or " in the other bowl" in alt
                   for alts in one_bowl.values() for alt in alts)


class GrammarLLM:
    def __init__(self, name: str):
        self.name = name
        self.grammars = []

    def complete(self, messages, stop=None, max_tokens=512, temperature=0.0, grammar=None):
        self.grammars.append(grammar)
        return "put the blue block in the purple bowl"


def test_the_restater_sends_the_grammar_only_when_asked():
    scene = [block("blue", -0.1, -0.55), block("red", 0.0, -0.55), bowl("purple", -0.05, -0.3)]
    default, asked = GrammarLLM("local"), GrammarLLM("local")
    Restater(default).complete_one("the blue one would be happiest in the purple dish", scene, 0.0)
    Restater(asked, use_grammar=True).complete_one("the blue one would be happiest in the purple dish", scene, 0.0)
    assert default.grammars == [None]  # off by default: measured worse (goal_restater.py)
    assert asked.grammars == [restate_grammar([o.name for o in scene])]


@pytest.mark.llm
@pytest.mark.slow
def test_the_real_local_model_restates_within_the_grammar():
    from codebot.llm import make_llm

    scene = [block("red", -0.2, -0.55), block("green", -0.1, -0.55), block("blue", 0.0, -0.55),
             bowl("pink", -0.2, -0.3), bowl("gray", -0.05, -0.3)]
    restater = Restater(make_llm("local"), use_grammar=True)
    for instruction in ("yo, the red cube wants to live in the gray dish", "gently spin the blue block around"):
        reply = Restater.first_line(restater.complete_one(instruction, scene, 0.0))
        assert reply == UNCLEAR or phrase_spec(normalize_instruction(reply)[0], scene) is not None, reply
