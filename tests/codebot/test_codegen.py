"""Prompt building, extraction of code from messy LLM replies, and hierarchical generation of
undefined helper functions (recursive, bounded, cached per session)."""
import ast

import pytest

from codebot.codegen import CodeGenerator, compact_api, extract_code
from codebot.llm import make_llm


@pytest.mark.parametrize("reply,expected", [
    ("```python\nx = 1\npick('a')\n```\nThis picks it.", "x = 1\npick('a')\n"),
    ("Sure! Here it is:\nx = 1\nfor b in y:\n    pick(b)\nHope this helps", "x = 1\nfor b in y:\n    pick(b)\n"),
    ("x = 1\nfor b in y:\n    pick(b", "x = 1\n"),
    ("put_first_on_second('red block', 'blue bowl')<|im_end|>", "put_first_on_second('red block', 'blue bowl')\n"),
    ("```\nsay('hi')\n```", "say('hi')\n"),
])
def test_extract_code_from_messy_replies(reply, expected):
    assert extract_code(reply) == expected


def test_prose_only_reply_stays_prose_so_the_validator_reports_it():
    out = extract_code("I am sorry, I cannot do that.")
    with pytest.raises(SyntaxError):
        ast.parse(out)


def test_prompt_holds_api_examples_scene_and_instruction():
    gen = CodeGenerator(make_llm("replay", entries=[]))
    msgs = gen.program_messages("put the red block in the blue bowl", [{"name": "red block"}, {"name": "blue bowl"}])
    assert "put_first_on_second(" in msgs[0]["content"] and "get_obj_names()" in msgs[0]["content"]
    user = msgs[1]["content"]
    assert "# stack all the blocks." in user  # a few-shot example
    assert user.rstrip().endswith("# objects = ['red block', 'blue bowl']\n# put the red block in the blue bowl.")
    assert "# examples:" not in compact_api()


def test_undefined_functions_are_generated_recursively_and_cached():
    llm = make_llm("replay", entries=[
        {"when_contains": ["# define function: stack_on(blocks, base)."],
         "completion": "def stack_on(blocks, base):\n    for b in blocks:\n        put_one(b, base)\n"},
        {"when_contains": ["# define function: put_one(b, base)."],
         "completion": "```python\ndef put_one(b, base):\n    put_first_on_second(b, base)\n```"},
    ])
    gen = CodeGenerator(llm)
    program = gen.with_helpers("blocks = get_blocks()\nbase = 'blue bowl'\nstack_on(blocks, base)\n")
    tree = ast.parse(program)
    defined = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert set(defined) == {"stack_on", "put_one"}
    assert program.rstrip().endswith("stack_on(blocks, base)")
    n_calls = len(gen.calls)
    again = gen.with_helpers("stack_on(get_blocks(), 'red bowl')")
    assert "def stack_on" in again and "def put_one" in again
    assert len(gen.calls) == n_calls  # served from the session cache


def test_primitives_builtins_and_withheld_builtins_are_not_generated():
    gen = CodeGenerator(make_llm("replay", entries=[]))
    assert gen.undefined_calls("x = len(get_blocks())\nopen('f')\neval('1')\nprint(np.sum([1]))") == []
    assert gen.undefined_calls("def f():\n    return 1\nf()\ng()") == ["g"]


