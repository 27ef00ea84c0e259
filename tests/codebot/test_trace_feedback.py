"""Traces are appended atomically (concurrent writers never interleave) and read back; the feedback
report says what happened in words an LLM can act on."""
import json
import multiprocessing

from codebot.feedback import Outcome, arity_notes, program_notes, report, scene_diff, selector_notes
from codebot.sandbox.result import ProgramResult
from codebot.trace import append_record, find_record, read_records


def _writer(path, n, tag):
    for i in range(n):
        append_record(path, {"id": f"{tag}-{i}", "payload": "x" * 20000})


def test_concurrent_appends_never_interleave(tmp_path):
    path = tmp_path / "t" / "episodes.jsonl"
    procs = [multiprocessing.get_context("spawn").Process(target=_writer, args=(path, 20, t)) for t in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    records = list(read_records(path))
    assert len(records) == 40 and all(len(r["payload"]) == 20000 for r in records)
    assert find_record(path, "b-7")["id"] == "b-7"
    assert find_record(f"{path}#a-3")["id"] == "a-3"
    assert find_record(path)["id"] == records[-1]["id"]


def test_report_names_error_line_calls_verdict_and_scene_diff():
    bowl = {"name": "blue bowl", "position": [0.0, -0.6, 0.02]}
    before = [{"name": "red block", "position": [0.1, -0.4, 0.02]}, bowl]
    after = [{"name": "red block", "position": [0.0, -0.6, 0.03]}, bowl]
    result = ProgramResult(ok=False, exit_reason="exception", objects_before=before, objects_after=after,
                           error={"type": "GraspFailedError", "kind": "grasp_failed",
                                  "message": "fingers closed on nothing", "line": 3,
                                  "source_line": "pick('red block')"},
                           call_log=[{"name": "pick", "args": ["red block"],
                                      "error": {"type": "GraspFailedError", "message": "fingers closed on nothing"}}],
                           safety_violations=["move_to: outside_workspace: x=0.52 > 0.30"])
    text = report(result, Outcome(False, "red block is not in blue bowl", "checker"), turn=1)
    assert "FAILED" in text and "line 3" in text and "`pick('red block')`" in text
    assert "GraspFailedError (grasp_failed): fingers closed on nothing" in text
    assert "pick('red block') raised GraspFailedError" in text
    assert "x=0.52 > 0.30" in text and "Verdict (checker): red block is not in blue bowl" in text
    assert "red block moved 22 cm" in text and "blue bowl moved" not in text
    assert scene_diff(before, before) == []
    json.dumps(result.to_plain())


def test_report_notes_a_block_the_program_moved_more_than_once():
    # the local model put one block in each bowl in turn: only its last place counts, which the note says
    calls = [{"name": "get_bowls", "args": [], "result": ["purple bowl", "orange bowl"]},
             {"name": "put_first_on_second", "args": ["pink block", "purple bowl"]},
             {"name": "put_first_on_second", "args": ["pink block", "orange bowl"]},
             {"name": "put_first_on_second", "args": ["cyan block", "orange bowl"]}]
    result = ProgramResult(ok=True, exit_reason="ok", call_log=calls)
    text = report(result, Outcome(False, "purple bowl holds no block", "goal spec"), turn=1)
    assert "Note: pink block was moved 2 times" in text and "only its last place counts" in text
    assert "cyan block was moved" not in text


def test_a_goal_selector_used_as_an_object_name_gets_a_note_naming_what_it_picks():
    # the local model copied the left side of '# where nth(blocks, 1, left) = brown block' as a name
    referents = [("nth(blocks, 3, left)", "gray block"), ("nth(blocks, 1, left)", "brown block")]
    code = "put_first_on_second('nth(blocks, 3, left)', \"nth(blocks,  1, left)\")\n"
    notes = selector_notes(code, referents)
    assert notes == ["Note: 'nth(blocks, 3, left)' is how the goal picks an object, not an object's name; on this "
                     "scene it is 'gray block': use 'gray block'",
                     "Note: 'nth(blocks, 1, left)' is how the goal picks an object, not an object's name; on this "
                     "scene it is 'brown block': use 'brown block'"]
    error = {"type": "ObjectNotFoundError", "message": "no object named 'nth(blocks, 1, left)'", "line": 1}
    text = report(ProgramResult(ok=False, exit_reason="exception", error=error), Outcome(False, "error", "none"), 1,
                  notes)
    assert text.index("no object named") < text.index("Note: 'nth(blocks, 3, left)'")
    # the names themselves, a selector only in a comment, and code that does not parse get no note
    assert selector_notes("put_first_on_second('gray block', 'brown block')  # nth(blocks, 3, left)\n", referents) == []
    assert selector_notes("put_first_on_second(nth(blocks, 3, left)\n", referents) == []


def _type_error(name: str, signature: str, line: str) -> ProgramResult:
    message = f"{name}(): too many positional arguments; it is called as {name}({signature}) -> None"
    return ProgramResult(ok=False, exit_reason="exception",
                         error={"type": "TypeError", "message": message, "line": 2, "source_line": line})


def test_a_one_parameter_primitive_given_several_arguments_gets_the_calls_it_could_mean():
    # cap-tabletop template 6: the local model repeated this call for all three attempts after the bare TypeError
    result = _type_error("place", "target: str | np.ndarray", "place('orange bowl', get_location('top side'))")
    code = "pick('red block')\nplace('orange bowl', get_location('top side'))\n"
    text = report(result, Outcome(False, "error", "none"), 1, program_notes(code, result, False))
    note = ("Note: place() takes one argument (target: str | np.ndarray), the call gave 2: write "
            "`place('orange bowl')` or `place(get_location('top side'))`")
    assert note in text and text.index("TypeError") < text.index(note)
    # the option naming what the goal line names comes first (the model takes the first one offered)
    goal = "all(at(red block, top side), unchanged(others))"
    assert arity_notes(result, goal) == [
        "Note: place() takes one argument (target: str | np.ndarray), the call gave 2: write "
        "`place(get_location('top side'))` or `place('orange bowl')`"]
    assert arity_notes(result, "all(in(red block, orange bowl), unchanged(others))") == [note]
    # the inner call of a nested one, on a line that opens a block; a number is no object's name
    assert arity_notes(_type_error("get_location", "name: str", "    if get_location(b, 'top side', 2):")) == [
        "Note: get_location() takes one argument (name: str), the call gave 3: write `get_location(b)` or "
        "`get_location('top side')`"]
    # x, y, z for one point
    assert arity_notes(_type_error("move_to", "xyz: np.ndarray", "move_to(-0.1, -0.33, 0.02)")) == [
        "Note: move_to() takes one argument (xyz: np.ndarray), the call gave 3: write "
        "`move_to(np.array([-0.1, -0.33, 0.02]))`"]
    # two parameters, another error, or a line that does not parse: no note
    assert arity_notes(_type_error("say", "text: str, at: tuple[int, int] = (1, 2)", "say('a', 'b', 'c')")) == []
    assert arity_notes(_type_error("place", "target: str", "place('a', 'b'")) == []
    other = {"type": "ValueError", "message": "bad", "source_line": "place('a', 'b')"}
    assert arity_notes(ProgramResult(ok=False, exit_reason="exception", error=other)) == []


def test_a_function_defined_and_never_called_gets_a_note():
    from codebot.feedback import uncalled_notes

    code = "def pick_and_place():\n    pick('red block')\n    place('blue bowl')\n"
    assert uncalled_notes(code) == ["Note: the program defines pick_and_place() but never calls it, so its body "
                                    "never ran: call it, or write its steps at the top level"]
    # called, passed as a value, or a helper another function calls: no note; nor for code that does not parse
    assert uncalled_notes(code + "pick_and_place()\n") == []
    assert uncalled_notes("def key(b):\n    return 1\nsorted(get_blocks(), key=key)\n") == []
    assert uncalled_notes("def a():\n    b()\ndef b():\n    pass\na()\n") == []
    assert uncalled_notes("def a(:\n") == []


def test_a_move_the_other_way_round_from_the_goal_gets_a_note():
    from codebot.feedback import reversed_notes

    calls = [{"name": "put_first_on_second", "args": ["brown block", "red block"]},
             {"name": "put_first_on_second", "args": ["brown block", "red block"]},
             {"name": "put_first_on_second", "args": ["green bowl", "blue block"]}]
    goal = [("red block", "brown block"), ("blue block", "green bowl")]  # referents.placed_pairs of the goal
    assert reversed_notes(calls, goal) == [
        "Note: put_first_on_second('brown block', 'red block') put the brown block on the red block; the goal has the "
        "red block on the brown block: put_first_on_second('red block', 'brown block')",
        "Note: put_first_on_second('green bowl', 'blue block') put the green bowl on the blue block; the goal has the "
        "blue block on the green bowl: put_first_on_second('blue block', 'green bowl')"]
    # the right way round, a goal that asks for both, no goal, or a point as the target: no note
    assert reversed_notes([{"name": "put_first_on_second", "args": ["red block", "brown block"]}], goal) == []
    assert reversed_notes(calls[:1], [("red block", "brown block"), ("brown block", "red block")]) == []
    assert reversed_notes(calls, []) == []
    assert reversed_notes([{"name": "put_first_on_second", "args": ["brown block", [0.1, 0.2, 0.0]]}], goal) == []
