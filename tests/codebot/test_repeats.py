"""Repairs that change nothing are recognised by normalised AST."""
from codebot.repeats import fingerprint, summary

PROGRAM = """
blocks = get_blocks()
for i in range(1, len(blocks)):
    put_first_on_second(blocks[i], blocks[i - 1])
"""
RENAMED = """# stack them
names = get_blocks()   # all blocks

for k in range(1, len(names)):
    put_first_on_second((names[k]), names[k - 1])
"""


def test_renamed_recommented_and_respaced_programs_have_one_fingerprint():
    assert fingerprint(PROGRAM) == fingerprint(RENAMED)
    helper_a = "def go(x):\n    '''Move it.'''\n    put_first_on_second(x, 'blue bowl')\ngo('red block')\n"
    helper_b = "def move(block: str) -> None:\n    put_first_on_second(block, 'blue bowl')\nmove('red block')\n"
    assert fingerprint(helper_a) == fingerprint(helper_b)


def test_programs_that_do_something_else_differ():
    assert fingerprint(PROGRAM) != fingerprint(PROGRAM.replace("blocks[i - 1]", "blocks[0]"))
    assert fingerprint("put_first_on_second('red block', 'blue bowl')") != \
        fingerprint("put_first_on_second('red block', 'red bowl')")
    assert fingerprint("pick('red block')") != fingerprint("place('red block')")  # primitives keep their names
    assert fingerprint("x = (") == "x = ("  # unparsable: compared as normalised text


def test_summary_lists_the_calls_in_order():
    assert summary(PROGRAM) == "get_blocks, range, len, put_first_on_second"
    assert summary("b = nth_from(get_blocks(), 2, 'right')\nput_first_on_second(b, 'blue bowl')") == \
        "nth_from('right'), get_blocks, put_first_on_second('blue bowl')"
    assert summary("x = (").startswith("does not parse")
    assert len(summary("\n".join(f"f{i}('{'x' * 30}')" for i in range(20)))) <= 160
