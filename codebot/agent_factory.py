"""The one way front-ends (the `codebot` CLI, codebot_node's pipeline, the MCP session, a bench worker,
`codebot replay`) build an agent: `agent_config(...)` is the only place an AgentConfig is constructed,
`twin_config(...)` the config of one whose workers run the sim twin of a robot, `build_agent(config)`
builds the Agent; the LLM backend's options come from `llm_options` (command-line values by name) or
`llm_options_from_path` (one path parameter, as a ROS node takes it).

    agent = build_agent(agent_config(llm="replay", llm_opts=llm_options("replay", replay_file="r.jsonl")))
"""
from __future__ import annotations

from dataclasses import fields
from typing import Any, Callable

from codebot.agent import Agent, AgentConfig
from codebot.targets import target_traits

EventSink = Callable[[str, dict], None]


def llm_options(llm: str, **cli_values: Any) -> dict[str, Any]:
    """make_llm options for backend `llm` from the command line's LLM options, by the name of each
    field of the backend's Config (see codebot.llm.config)."""
    from codebot.llm.config import options_from_cli

    return options_from_cli(llm, cli_values)


def llm_options_from_path(llm: str, path: str | None) -> dict[str, Any]:
    """Options from one path parameter (codebot_node's `llm_path`): the recorded completions for the
    replay backend, the model otherwise; none without a path."""
    if not path:
        return {}
    return {"path": path} if llm == "replay" else {"model": path}


def agent_config(**values: Any) -> AgentConfig:
    """An AgentConfig from field values (the only place one is constructed outside tests); an unknown
    field is a TypeError naming it."""
    known = {f.name for f in fields(AgentConfig)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise TypeError(f"unknown agent option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if isinstance(values.get("groups"), list):
        values["groups"] = tuple(values["groups"])
    return AgentConfig(**values)


def build_agent(config: AgentConfig, *, llm=None, on_event: EventSink | None = None) -> Agent:
    """An Agent on `config` (from agent_config, twin_config or config_from_record); `llm` an
    already-built backend (tests, replay, a session's shared model), else the agent makes it."""
    return Agent(config, llm=llm, on_event=on_event)


def twin_config(twin_state: str, **values: Any) -> AgentConfig:
    """The config of an agent whose sandbox workers run the twin target (the tabletop synced to the
    robot state that the file `twin_state` holds); the twin declares itself judged, so the agent
    matches tasks and judges as on the simulator."""
    from codebot.ros.dispatch.twin import TWIN_TARGET

    return agent_config(target=TWIN_TARGET, target_config={"twin_state": str(twin_state)}, **values)


def config_from_record(record: dict, **overrides: Any) -> AgentConfig:
    """The AgentConfig a trace record was run with (its known fields), with `overrides`; a target that
    declares `replays_on` (the twin: its robot state is gone) replays on that one."""
    known = {f.name for f in fields(AgentConfig)}
    values = {k: v for k, v in (record.get("config") or {}).items() if k in known}
    replays_on = target_traits(values["target"]).replays_on if "target" in values else None
    if replays_on:
        values["target"] = replays_on
    values.update(overrides)
    return agent_config(**values)
