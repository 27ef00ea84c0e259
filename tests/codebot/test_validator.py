"""The static allowlist: what generated code may and may not contain."""
import pytest

from codebot.sandbox import ValidationError, validate_code

ALLOWED = [
    "put_first_on_second('red block', 'blue bowl')",
    "blocks = get_blocks()\nfor i in range(1, len(blocks)):\n    put_first_on_second(blocks[i], blocks[i - 1])",
    "def helper(xs):\n    return [x for x in xs if x.endswith('block')]\nresult = helper(get_obj_names())",
    "p = np.array([0.1, -0.5]) + np.linalg.norm([1, 2])\nsay('done {}'.format(p))",
    "try:\n    pick('red block')\nexcept GraspFailedError as e:\n    say(str(e))",
    "result = {'n': len(get_obj_names())}",
]

FORBIDDEN = [
    ("import os", "import"),
    ("from os import system", "import"),
    ("().__class__.__bases__[0].__subclasses__()", "__class__"),
    ("open('/etc/passwd').read()", "open"),
    ("eval('1+1')", "eval"),
    ("exec('x=1')", "exec"),
    ("getattr(np, 'load')", "getattr"),
    ("setattr(np, 'x', 1)", "setattr"),
    ("globals()['x'] = 1", "globals"),
    ("vars()", "vars"),
    ("type(1)", "type"),
    ("__builtins__", "__builtins__"),
    ("__import__('os')", "__import__"),
    ("compile('1', 'f', 'eval')", "compile"),
    ("g = (x for x in [1])\nf = g.gi_frame.f_globals", "gi_frame"),
    ("np.load('x.npy')", "load"),
    ("np.ctypeslib", "ctypeslib"),
    ("np.zeros(3).tofile('/tmp/x')", "tofile"),
    ("np.x = 1", "assigning"),
    ("class A:\n    pass", "class"),
    ("try:\n    pass\nexcept:\n    pass", "bare"),
    ("x = 123456789012345678901234567890", "too large"),
    ("x = '" + "a" * 20000 + "'", "too large"),
    ("def f(__x):\n    return 1", "__x"),
    ("async def f():\n    pass", "async"),
    ("ValueError.mro()", "mro"),
]


@pytest.mark.parametrize("code", ALLOWED)
def test_allowed_programs_pass(code):
    validate_code(code)


@pytest.mark.parametrize("code,needle", FORBIDDEN)
def test_forbidden_constructs_are_rejected_with_their_line(code, needle):
    with pytest.raises(ValidationError) as info:
        validate_code(code)
    err = info.value
    assert needle in str(err)
    assert err.line is not None and err.line >= 1
    assert err.to_dict()["type"] == "ValidationError"


def test_syntax_errors_are_reported_with_line():
    with pytest.raises(ValidationError) as info:
        validate_code("x = 1\nfor b in blocks\n    pick(b)")
    assert info.value.kind == "syntax" and info.value.line == 2


@pytest.mark.parametrize("bad", [None, 3, b"pick('x')", "x\x00 = 1", "x = 1\n" * 30000])
def test_bad_input_types_and_sizes_are_rejected(bad):
    with pytest.raises(ValidationError):
        validate_code(bad)
