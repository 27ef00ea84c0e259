"""The sandbox worker: programs run in a separate process that owns the sim; every way a program can
misbehave comes back as a structured ProgramResult and the orchestrator (this process) survives."""
import os
import time

import pytest

from codebot.sandbox import run_program
SCENE_RESET = {"seed": 0, "scene": {"blocks": ["red", "green"], "bowls": ["blue"]}}

pytestmark = pytest.mark.slow


def test_program_runs_and_reports_calls_result_and_scene(sim_pool):
    r = sim_pool.run("names = get_obj_names()\nsay('found ' + str(len(names)))\nresult = {'names': names}",
                     reset=SCENE_RESET)
    assert r.ok and r.exit_reason == "ok" and not r.crashed
    assert r.has_result and sorted(r.result["names"]) == ["blue bowl", "green block", "red block"]
    assert r.said == ["found 3"]
    assert [c["name"] for c in r.call_log] == ["get_obj_names", "say"]
    assert {o["name"] for o in r.objects_before} == {"blue bowl", "green block", "red block"}


def test_exception_reports_type_message_and_program_line(sim_pool):
    code = "x = 1\npick('purple block')\n"
    r = sim_pool.run(code, reset=SCENE_RESET)
    assert not r.ok and r.exit_reason == "exception"
    assert r.error["type"] == "ObjectNotFoundError" and r.error["line"] == 2
    assert r.error["source_line"] == "pick('purple block')"
    assert "purple block" in r.error["message"]
    assert r.call_log[-1]["error"]["kind"] == "object_not_found"
    assert r.blocked == []  # reporting the error touched nothing the guard refuses


def test_a_program_prints_and_reduces_numpy_arrays(sim_pool):
    # numpy's C code imports its printing and reduction helpers on first use through the caller's __import__,
    # which a program has none of: the zygote warms them before it forks program processes
    code = ("p = np.array(get_obj_pos('red block'))\nprint(p)\nprint(repr(p.round(3)))\n"
            "result = [float(abs(p).max()), float(p.min()), float(p.mean()), float(np.median(p)), str(p > 0)]")
    r = sim_pool.run(code, reset=SCENE_RESET)
    assert r.ok, r.error
    assert r.printed[0].startswith("[") and r.printed[1].startswith("array(["), r.printed
    assert r.result[0] >= r.result[2] >= r.result[1] and r.result[4].startswith("["), r.result


def test_a_program_starts_with_the_scene_names_its_prompt_shows(sim_pool):
    # the prompt's `# objects = [...]` line and the goal spec's sets (blocks, bowls) are variables to a program
    code = "for b in blocks:\n    say(b)\nresult = {'objects': objects, 'bowls': bowls}"
    r = sim_pool.run(code, reset=SCENE_RESET)
    assert r.ok, r.error
    assert r.said == ["red block", "green block"]
    assert r.result == {"objects": ["red block", "green block", "blue bowl"], "bowls": ["blue bowl"]}


@pytest.mark.parametrize("code,reason,needle", [
    ("import os\nos.fork()", "rejected", "import"),
    ("x = ().__class__.__bases__[0].__subclasses__()", "rejected", "__class__"),
    ("open('/etc/passwd')", "rejected", "open"),
    ("x = [0] * (10 ** 10)", "memory_limit", "memory"),
    ("import numpy\nnumpy.zeros(10**10)", "rejected", "import"),
    ("big = np.ones((40000, 40000))", "memory_limit", ""),
    ("def f(n):\n    return f(n + 1)\nf(0)", "recursion_limit", "recursion"),
    ("while True:\n    get_obj_names()", "call_budget", "budget"),
])
def test_misbehaving_programs_are_reported(sim_pool, code, reason, needle):
    r = sim_pool.run(code, reset=SCENE_RESET, timeout_s=20, call_budget=50)
    assert not r.ok and r.exit_reason == reason, (r.exit_reason, r.error)
    assert needle.lower() in str(r.error).lower()
    # the pool still serves programs afterwards
    assert sim_pool.run("result = len(get_obj_names())", reset=SCENE_RESET).result == 3


def test_infinite_loop_is_killed_at_the_wall_timeout_and_worker_replaced(sim_pool):
    t0 = time.monotonic()
    r = sim_pool.run("while True:\n    pass", reset=SCENE_RESET, timeout_s=2)
    assert r.exit_reason == "timeout" and not r.ok
    assert time.monotonic() - t0 < 15
    assert sim_pool.run("result = 1 + 1", reset=SCENE_RESET).result == 2


@pytest.mark.parametrize("hook", ["segfault_for_test()", "pybullet_crash_for_test()", "abort_for_test()"])
def test_worker_crash_is_feedback_not_a_crash_of_the_orchestrator(sim_pool, hook):
    r = sim_pool.run(f"x = 1\n{hook}", reset=SCENE_RESET, timeout_s=30)
    assert r.crashed and r.exit_reason == "crash" and not r.ok
    assert "SIGSEGV" in r.error["message"] or "SIGABRT" in r.error["message"]
    assert os.getpid() > 0  # still here
    assert sim_pool.run("result = 2", reset=SCENE_RESET).result == 2


def test_fork_is_unreachable_by_any_route(sim_pool):
    attempts = [
        "np.lib.format",                       # numpy submodules with os inside
        "say.__globals__['os'].fork()",
        "get_obj_names.__module__",
        "[c for c in ().__class__.__base__.__subclasses__()]",
        "x = (lambda: 0).__code__",
        "e = ValueError()\ne.with_traceback(None)",
        "g = (i for i in [1])\ng.gi_frame.f_back",
        "math.sys",
    ]
    for code in attempts:
        r = sim_pool.run(code, reset=SCENE_RESET)
        assert r.exit_reason == "rejected", code
    # names that are simply not there
    for code in ["os.fork()", "np.os.system('sh')"]:
        assert sim_pool.run(code, reset=SCENE_RESET).exit_reason == "rejected", code
    for code in ["fork()", "posix_spawn('/bin/sh')", "system('sh')", "subprocess.Popen(['sh'])"]:
        r = sim_pool.run(code, reset=SCENE_RESET)
        assert not r.ok and r.error["type"] == "NameError", code


def test_warm_worker_starts_a_program_quickly(sim_pool):
    # how quickly is benchmarks/agent_overhead.py's to measure (README: 9.1 ms); here: the second run is
    # served by the same warm worker, not a fresh spawn (a timed assertion failed beside CPU hogs)
    sim_pool.run("x = 1", reset=SCENE_RESET)
    warm = {w.proc.pid for w in sim_pool._idle}
    r = sim_pool.run("x = 1", reset=SCENE_RESET)
    assert r.ok and warm and {w.proc.pid for w in sim_pool._idle} == warm, r.timings
    assert {"wait_worker_s", "reset_s", "observe_s"} <= set(r.timings), r.timings


def test_run_program_one_shot_api():
    r = run_program("result = sorted(get_obj_names())", target="sim",
                    target_config={"robot": "ur5e", "seed": 3, "scene": {"blocks": ["red"], "bowls": ["blue"]}})
    assert r.ok and r.result == ["blue bowl", "red block"]


def test_video_of_a_run_is_written(sim_pool, tmp_path):
    path = tmp_path / "run.mp4"
    r = sim_pool.run("put_first_on_second('red block', 'blue bowl')", reset=SCENE_RESET, video=str(path))
    assert r.ok and r.video_path == str(path) and r.video_error is None
    assert path.stat().st_size > 10_000


def test_a_worker_that_crashes_while_starting_is_started_once_more_with_its_stacks_on_record(tmp_path):
    # a loaded hunt met this once: a ros dispatch worker died with SIGSEGV before it was ready, and the
    # user's command failed although no program had run
    pytest.importorskip("pybullet")
    from codebot.sandbox import WorkerPool
    from codebot.sandbox.server import CRASH_ONCE_KEY

    flag = tmp_path / "crashed-once"
    pool = WorkerPool("sim", {"robot": "ur5e", "seed": 0, "test_hooks": True, CRASH_ONCE_KEY: str(flag)}, size=1)
    try:
        result = pool.run("result = 1 + 1", reset=SCENE_RESET)
        assert result.result == 2 and flag.exists()
        assert len(pool.start_crashes) == 1 and "died with SIGSEGV" in pool.start_crashes[0]
        assert "Fatal Python error: Segmentation fault" in pool.start_crashes[0]  # faulthandler's stacks
    finally:
        pool.close()
