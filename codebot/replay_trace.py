"""`codebot replay TRACE`: re-run a recorded episode from its trace record."""
from __future__ import annotations

from typing import Callable

from codebot.agent import EpisodeResult
from codebot.agent_factory import build_agent, config_from_record
from codebot.llm.replay import ReplayLLM, prompt_key
from codebot.reset_config import ResetConfig
from codebot.trace import find_record


def replay_llm_from_record(record: dict) -> ReplayLLM:
    """The episode's own completions, keyed by the hash of the prompt each one answered."""
    entries = [{"key": prompt_key(call["messages"], call.get("stop")), "completion": call["completion"]}
               for call in record.get("llm_calls", [])]
    return ReplayLLM(entries=entries)


def replay_episode(trace: str, index: int = -1, code_only: bool = False, video: str | None = None,
                   on_event: Callable[[str, dict], None] | None = None) -> EpisodeResult:
    record = find_record(trace, index=index)
    if "instruction" not in record:
        raise ValueError(f"{trace}: record has no instruction; is this a codebot trace?")
    scene = ResetConfig.from_plain(record.get("target_reset") or {}).scene
    config = config_from_record(record, llm="replay", llm_opts={}, video=video)
    with build_agent(config, llm=replay_llm_from_record(record), on_event=on_event) as agent:
        if code_only:
            return agent.check_program(record["code"], record["instruction"], scene=scene)
        return agent.run(record["instruction"], scene=scene)
