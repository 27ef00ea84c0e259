"""The pieces without a server: where a verdict is read and what earns dispatch, the import without
the mcp extra, the CLI's loopback-only rule."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field

import pytest

from codebot.mcp.verdict import dispatch_gate, is_checker_source, verdict_of


@dataclass
class FakeTurn:
    code: str
    outcome: dict
    result: dict = field(default_factory=lambda: {"ok": True, "safety_violations": [], "call_log": []})


@dataclass
class FakeEpisode:
    success: bool
    verdict: str
    code: str
    turns: list


def episode(success: bool, source: str, result: dict | None = None, **extra) -> FakeEpisode:
    turn = FakeTurn("pick('red block')", {"success": success, "source": source})
    if result is not None:
        turn.result = result
    ep = FakeEpisode(success, "because", "pick('red block')", [turn])
    for k, v in extra.items():
        setattr(ep, k, v)
    return ep


@pytest.mark.parametrize("source,ok", [
    ("checker", True), ("template", True), ("template checker (stack_on_place)", True),
    ("goal spec", True), ("goal spec (LLM-written, validated): on(red block, blue bowl)", True),
    ("none", False), ("unchecked", False), ("postcondition", False), ("", False), (None, False),
    ("checkerboard", False), ("llm", False),
])
def test_only_real_checkers_count(source, ok):
    assert is_checker_source(source) is ok


def test_a_success_without_a_real_checker_never_passes_the_gate():
    for source in ("postcondition", "none", "unchecked"):
        gate = dispatch_gate(episode(True, source))
        assert not gate.passed and "not verified by a checker" in gate.reasons[0]
    assert dispatch_gate(episode(True, "checker")).passed
    assert not dispatch_gate(episode(False, "checker")).passed


def test_a_safety_violation_fails_the_gate_even_when_the_checker_passed():
    gate = dispatch_gate(episode(True, "checker", {"ok": True, "safety_violations": ["collision with table"],
                                                   "call_log": []}))
    assert not gate.passed and any("collision with table" in r for r in gate.reasons)


def test_verdict_source_attribute_wins_over_the_turn_outcome():
    ep = episode(True, "checker", verdict_source="unchecked")
    assert verdict_of(ep).source == "unchecked" and not verdict_of(ep).verified
    assert not dispatch_gate(ep).passed


def test_a_verdict_object_with_reason_and_source_is_read_too():
    @dataclass
    class V:
        reason: str
        source: str

    ep = episode(True, "none")
    ep.verdict = V("red block is in the blue bowl", "goal spec (validated)")
    v = verdict_of(ep)
    assert v.reason == "red block is in the blue bowl" and v.verified


def test_codebot_imports_without_the_mcp_extra_and_the_server_names_it():
    code = ("import sys; sys.modules['mcp'] = None\n"
            "import codebot, codebot.mcp, codebot.mcp.cli\n"
            "from codebot.extras import MissingExtraError\n"
            "try:\n    import codebot.mcp.server\nexcept MissingExtraError as e:\n"
            "    print('EXTRA', e.extra); print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "EXTRA mcp" in out.stdout and "codebot[mcp]" in out.stdout


def test_http_refuses_a_non_loopback_host():
    out = subprocess.run([sys.executable, "-m", "codebot.mcp", "--transport", "http", "--host", "0.0.0.0"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "loopback" in out.stderr


def test_unknown_transport_or_target_is_refused():
    for args in (["--transport", "sse"], ["--target", "moon"]):
        out = subprocess.run([sys.executable, "-m", "codebot.mcp", *args], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 2 and args[1] in out.stderr
