"""The real local model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M via llama.cpp), greedy, must write a
program for "put the red block in the blue bowl" that is verified in sim within 3 attempts.

Slow on a 2-core machine (prompt processing of ~1.5 k tokens), hence the `llm` marker."""
import importlib.util

import pytest

pytestmark = [pytest.mark.llm, pytest.mark.slow, pytest.mark.timeout(1800)]


def _have_local_model() -> bool:
    if importlib.util.find_spec("xllamacpp") is None:
        return False
    from codebot.llm.model_store import ModelStoreError, resolve_model_path

    try:
        resolve_model_path(None)
        return True
    except ModelStoreError:
        return False


@pytest.mark.skipif(not _have_local_model(), reason="needs codebot[llm,model] (xllamacpp + the default GGUF)")
def test_local_model_puts_the_red_block_in_the_blue_bowl_verified(tmp_path):
    from codebot.agent import Agent, AgentConfig

    with Agent(AgentConfig(llm="local", attempts=3, seed=0, trace_dir=str(tmp_path))) as agent:
        ep = agent.run("put the red block in the blue bowl")
    assert ep.success, f"{ep.verdict}\n{ep.turns[-1].feedback}\n{ep.code}"
    assert len(ep.turns) <= 3
    assert ep.turns[-1].outcome["source"] == "checker"
    assert "put_first_on_second" in ep.code or ("pick" in ep.code and "place" in ep.code)
