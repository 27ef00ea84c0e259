"""The one agent factory the front-ends share: configs, LLM options, the twin, replay of a record."""
from __future__ import annotations

import pytest

from codebot.agent_factory import agent_config, config_from_record, llm_options_from_path, twin_config


def test_agent_config_takes_known_fields_only():
    config = agent_config(llm="replay", attempts=2, groups=["core"])
    assert (config.llm, config.attempts, config.groups, config.target) == ("replay", 2, ("core",), "sim")
    with pytest.raises(TypeError, match="attemps"):
        agent_config(attemps=2)


def test_llm_options_from_one_path():
    assert llm_options_from_path("replay", "r.jsonl") == {"path": "r.jsonl"}
    assert llm_options_from_path("local", "m.gguf") == {"model": "m.gguf"}
    assert llm_options_from_path("local", "") == {}


def test_twin_config_runs_the_twin_and_its_record_replays_on_the_simulator():
    config = twin_config("/tmp/state.json", llm="replay", seed=3)
    assert config.target == "twin" and config.target_config == {"twin_state": "/tmp/state.json"}
    record = {"config": {"target": "twin", "seed": 3, "target_config": {"twin_state": "/tmp/state.json"},
                         "groups": ["core"], "not_a_field": 1}}
    replayed = config_from_record(record, llm="replay")
    assert (replayed.target, replayed.seed, replayed.groups) == ("sim", 3, ("core",))
    assert config_from_record({"config": {"target": "vision"}}).target == "vision"
