"""The seams' typed records (reset config, run result, LLM backend configs) round-trip through plain
data and JSON, read the formats already on disk, and refuse a bad record with a clear error."""
import json

import pytest

from codebot.agent_factory import llm_options
from codebot.llm.config import BackendConfig, backend_config
from codebot.llm.local import LocalLLM
from codebot.llm.openai_compat import OpenAICompatLLM
from codebot.llm.replay import ReplayLLM
from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.records import RecordError
from codebot.reset_config import ResetConfig
from codebot.sandbox.result import ProgramResult
from codebot.checks.scene import SceneSpec


def json_round_trip(plain):
    return json.loads(json.dumps(plain))


# ------------------------------------------------------------------------------------ reset config
def test_reset_config_round_trips_through_plain_data_and_json():
    reset = ResetConfig(seed=7, scene=SceneSpec(("red",), ("blue",)), robot="panda",
                        settings={"twin_state": "/tmp/state.json"})
    plain = reset.to_plain()
    assert plain == {"seed": 7, "scene": {"blocks": ["red"], "bowls": ["blue"]}, "robot": "panda",
                     "twin_state": "/tmp/state.json"}
    assert ResetConfig.from_plain(json_round_trip(plain)) == reset


def test_reset_config_reads_a_recorded_trace_reset():
    # an agent trace's "target_reset" as written before the typed record existed
    recorded = {"robot": "ur5e", "seed": 0, "scene": {"blocks": ["red", "green"], "bowls": ["blue"]},
                "image": "/data/table.png"}
    reset = ResetConfig.from_plain(recorded)
    assert reset.scene == SceneSpec(("red", "green"), ("blue",)) and reset.settings == {"image": "/data/table.png"}
    assert reset.to_plain() == recorded


def test_reset_config_without_a_robot_leaves_the_workers_and_a_partial_update_keeps_the_rest():
    reset = ResetConfig(seed=3, scene={"blocks": ["red"]})  # a plain scene is read as a SceneSpec
    assert "robot" not in reset.to_plain() and reset.scene == SceneSpec(("red",), ())
    updated = ResetConfig(seed=1, scene=SceneSpec(("red",)), robot="ur5e").updated({"seed": 9})
    assert updated == ResetConfig(seed=9, scene=SceneSpec(("red",)), robot="ur5e")
    assert ResetConfig(seed=1, scene=SceneSpec(("red",))).updated({"scene": None}).scene is None


def test_reset_config_takes_a_numpy_seed_as_an_int():
    import numpy as np

    reset = ResetConfig(seed=np.int64(12))
    assert type(reset.seed) is int and json.dumps(reset.to_plain())


@pytest.mark.parametrize("plain, message", [
    ({"seed": "3"}, "'seed' must be an integer"),
    ({"seed": True}, "'seed' must be an integer"),
    ({"scene": ["red"]}, "scene: expected a dict"),
    ({"robot": 5}, "'robot' must be a string"),
    ("seed=3", "reset config: expected a dict"),
])
def test_bad_reset_config_is_refused_with_the_field_named(plain, message):
    with pytest.raises(RecordError, match=message):
        ResetConfig.from_plain(plain)


def test_reset_config_settings_cannot_shadow_its_fields():
    with pytest.raises(RecordError, match="settings may not hold"):
        ResetConfig(settings={"seed": 4})


# -------------------------------------------------------------------------------------- run result
def _objects():
    return [ObjectInfo("red block", "block", "red", (0.1, 0.2, 0.02), (0.08, 0.18, 0.0), (0.12, 0.22, 0.04)).to_plain()]


def test_run_result_round_trips_through_plain_data_and_json():
    result = ProgramResult(ok=True, call_log=[{"name": "pick_place", "args": ["red block", "blue bowl"]}],
                           said=["done"], result={"n": 1}, has_result=True, objects_before=_objects(),
                           objects_after=_objects(), verdict={"success": True, "reason": "ok", "source": "checker"},
                           calls=1, timings={"exec_s": 0.5})
    assert ProgramResult.from_plain(json_round_trip(result.to_plain())) == result


def test_run_result_reads_a_server_reply_and_leaves_out_its_other_keys():
    reply = {"op": "result", "ok": False, "exit_reason": "timeout", "observe_error": "x",
             "error": {"type": "TimeoutError", "message": "killed"}}
    result = ProgramResult.from_plain(reply)
    assert (result.ok, result.exit_reason, result.error["type"]) == (False, "timeout", "TimeoutError")


@pytest.mark.parametrize("plain, message", [
    ({}, "missing field 'ok'"),
    ({"ok": "yes"}, "'ok' must be true or false"),
    ({"ok": True, "call_log": {}}, "'call_log' must be a list"),
    ({"ok": True, "verdict": "success"}, "'verdict' must be a dict or null"),
    ({"ok": True, "objects_after": [{"name": "red block"}]}, "object record 'red block': missing field 'kind'"),
])
def test_bad_run_result_is_refused_with_the_field_named(plain, message):
    with pytest.raises(RecordError, match=message):
        ProgramResult.from_plain(plain)


# ---------------------------------------------------------------------------------- backend configs
@pytest.mark.parametrize("backend", [LocalLLM, OpenAICompatLLM, ReplayLLM])
def test_each_backend_declares_a_config_that_round_trips(backend):
    config_cls = backend.Config
    assert issubclass(config_cls, BackendConfig) and backend_config(backend.name) is config_cls
    config = config_cls.from_cli({"model": "m.gguf", "openai_model": "gpt", "replay_file": "r.jsonl",
                                  "base_url": "http://127.0.0.1:8000/v1", "record": True})
    assert config_cls.from_plain(json_round_trip(config.to_plain())) == config


def test_config_options_are_the_constructors_keywords():
    import inspect

    for backend in (LocalLLM, OpenAICompatLLM):
        params = set(inspect.signature(backend.__init__).parameters) - {"self"}
        assert set(backend.Config().to_plain()) <= params


def test_cli_options_map_by_field_name_per_backend():
    cli = dict(model="m.gguf", base_url="http://127.0.0.1:8000/v1", api_key="k", openai_model="gpt",
               replay_file="r.jsonl", record=True)
    assert llm_options("local", **cli) == {"model": "m.gguf"}
    assert llm_options("openai", **cli) == {"base_url": "http://127.0.0.1:8000/v1", "api_key": "k", "model": "gpt"}
    assert llm_options("replay", **cli) == {"path": "r.jsonl", "record": True, "inner_opts": {"model": "m.gguf"}}
    assert llm_options("replay", **{**cli, "model": None}) == {"path": "r.jsonl", "record": True}
    assert llm_options("no-such-backend", **cli) == {}  # make_llm reports the unknown name


def test_a_replay_built_from_cli_options_loads_its_file(tmp_path):
    from codebot.llm import make_llm

    path = tmp_path / "replies.jsonl"
    path.write_text("")
    llm = make_llm("replay", **llm_options("replay", model=None, replay_file=str(path), record=False))
    assert isinstance(llm, ReplayLLM) and llm.path == path


def test_unknown_backend_option_is_refused_with_the_known_ones():
    with pytest.raises(RecordError, match="unknown option.*'modle'.*known: model"):
        LocalLLM.Config.from_plain({"modle": "m.gguf"})
