"""CodeGenerator.generate_many: candidates come from the backend's complete_many when it has one (one
logged call per candidate), else from one complete call after another (replay and openai backends)."""
from __future__ import annotations

from codebot.codegen import CodeGenerator


class _Sequential:
    name = "seq"

    def __init__(self):
        self.calls = []

    def complete(self, prompt, stop=None, max_tokens=512, temperature=0.0, grammar=None):
        self.calls.append(temperature)
        return f"say('t={temperature}')\n"


class _Batched(_Sequential):
    def complete_many(self, prompt, temperatures, stop=None, max_tokens=512, grammar=None):
        self.calls.append(tuple(temperatures))
        per = [{"completion_tokens": 3 + k} for k in range(len(temperatures))]
        self.last_stats = {"wall_s": 1.0, "candidates": per}
        return [f"say('k={k}')\n" for k in range(len(temperatures))]


def _messages(gen):
    return gen.program_messages("put the red block in the blue bowl", [{"name": "red block"}])


def test_a_backend_without_parallel_slots_gets_one_call_per_candidate():
    llm = _Sequential()
    gen = CodeGenerator(llm)
    codes = gen.generate_many(_messages(gen), "put the red block in the blue bowl", "repair", [0.0, 0.7, 0.7])
    assert llm.calls == [0.0, 0.7, 0.7]
    assert [c.strip() for c in codes] == ["say('t=0.0')", "say('t=0.7')", "say('t=0.7')"]
    assert [c.purpose for c in gen.calls] == ["repair"] * 3


def test_a_batched_backend_is_asked_once_and_every_candidate_is_logged():
    llm = _Batched()
    gen = CodeGenerator(llm)
    codes = gen.generate_many(_messages(gen), "put the red block in the blue bowl", "repair", [0.0, 0.7, 0.7])
    assert llm.calls == [(0.0, 0.7, 0.7)]
    assert [c.strip() for c in codes] == ["say('k=0')", "say('k=1')", "say('k=2')"]
    assert [c.purpose for c in gen.calls] == ["repair#0", "repair#1", "repair#2"]
    assert [c.stats["completion_tokens"] for c in gen.calls] == [3, 4, 5]
    assert all(c.stats["batched"] == 3 for c in gen.calls)
