"""LLM backends: the OpenAI-compatible client against a real local HTTP server started here, the
replay backend (hash keys, when_contains, record mode), the registry, and the model store."""
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from codebot.llm import LLM_BACKENDS, LLMError, chatml, make_llm
from codebot.llm.replay import ReplayMissError, prompt_key


class ChatHandler(BaseHTTPRequestHandler):
    requests: list = []
    fail_next: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ChatHandler.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if ChatHandler.fail_next:
            code = ChatHandler.fail_next.pop(0)
            self.send_response(code)
            self.end_headers()
            self.wfile.write(b'{"error": "boom"}')
            return
        last = body["messages"][-1]["content"]
        reply = {"choices": [{"message": {"role": "assistant", "content": f"say({last!r})"}}],
                 "usage": {"prompt_tokens": 7, "completion_tokens": 3}}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    ChatHandler.requests.clear()
    ChatHandler.fail_next.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ChatHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    thread.join()


def test_openai_backend_speaks_chat_completions(server):
    llm = make_llm("openai", base_url=server, api_key="sk-test", model="tiny")
    out = llm.complete([{"role": "system", "content": "s"}, {"role": "user", "content": "hi"}],
                       stop=["```"], max_tokens=32, temperature=0.0)
    assert out == "say('hi')"
    req = ChatHandler.requests[-1]
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer sk-test"
    assert req["body"]["model"] == "tiny" and req["body"]["max_tokens"] == 32 and req["body"]["stop"] == ["```"]
    assert llm.last_stats["completion_tokens"] == 3


def test_openai_backend_reads_env_and_accepts_raw_prompt(server, monkeypatch):
    monkeypatch.setenv("CODEBOT_OPENAI_BASE_URL", server)
    monkeypatch.setenv("CODEBOT_OPENAI_API_KEY", "")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    llm = make_llm("openai")
    assert llm.complete("hello") == "say('hello')"
    assert ChatHandler.requests[-1]["auth"] is None


def test_openai_backend_retries_server_errors_and_reports_client_errors(server):
    ChatHandler.fail_next.extend([503])
    llm = make_llm("openai", base_url=server, retries=1)
    assert llm.complete("again") == "say('again')"
    ChatHandler.fail_next.extend([400])
    with pytest.raises(LLMError, match="HTTP 400"):
        llm.complete("bad")


def test_openai_backend_unreachable_server_is_a_clear_error():
    llm = make_llm("openai", base_url="http://127.0.0.1:9/v1", retries=0, timeout_s=2)
    with pytest.raises(LLMError, match="cannot reach"):
        llm.complete("x")


def test_replay_by_hash_and_by_content(tmp_path):
    msgs = [{"role": "user", "content": "put the red block in the blue bowl"}]
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"key": prompt_key(msgs, ["```"]), "completion": "A"}) + "\n"
                    + json.dumps({"when_contains": ["green"], "completion": "B"}) + "\n")
    llm = make_llm("replay", path=str(path))
    assert llm.complete(msgs, stop=["```"]) == "A"
    assert llm.complete("the green block") == "B"
    with pytest.raises(ReplayMissError, match="no recorded completion"):
        llm.complete("something else")


def test_replay_record_mode_appends_inner_completions(tmp_path, server):
    path = tmp_path / "rec.jsonl"
    llm = make_llm("replay", path=str(path), record=True, inner="openai", inner_opts={"base_url": server})
    assert llm.complete("first") == "say('first')"
    assert llm.complete("first") == "say('first')"  # second time from the recording
    assert len(ChatHandler.requests) == 1
    lines = path.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["key"] == prompt_key("first")
    assert make_llm("replay", path=str(path)).complete("first") == "say('first')"


def test_replay_file_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    with pytest.raises(LLMError, match="not valid JSON"):
        make_llm("replay", path=str(bad))
    with pytest.raises(LLMError, match="needs a file"):
        make_llm("replay")


def test_registry_and_unknown_backend():
    assert set(LLM_BACKENDS) >= {"local", "openai", "replay"}
    with pytest.raises(ValueError, match="unknown LLM backend"):
        make_llm("nope")


def test_chatml_rendering_ends_in_open_assistant_turn():
    text = chatml([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}], "```python\n")
    assert text == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n```python\n"


def test_model_store_joins_chunks_and_checks_the_hash(tmp_path, monkeypatch):
    import sys
    import types

    from codebot.llm import model_store

    parts = [b"GGUF" + b"a" * 10, b"b" * 7]
    for i, data in enumerate(parts, 1):
        pkg = tmp_path / f"fakechunk{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
        mod = types.ModuleType(f"fakechunk{i}")
        mod.__file__ = str(pkg / "__init__.py")
        monkeypatch.setitem(sys.modules, f"fakechunk{i}", mod)
    good = model_store.ChunkedModel("fake", "fakechunk", 2, hashlib.sha256(b"".join(parts)).hexdigest(), "fake.gguf")
    path = model_store.ensure_model(good, tmp_path / "cache")
    assert path.read_bytes() == b"".join(parts)
    assert model_store.ensure_model(good, tmp_path / "cache") == path  # cached, verified marker
    bad = model_store.ChunkedModel("bad", "fakechunk", 2, "0" * 64, "bad.gguf")
    with pytest.raises(model_store.ModelStoreError, match="sha256"):
        model_store.ensure_model(bad, tmp_path / "cache2")
    assert not (tmp_path / "cache2" / "bad.gguf").exists()
    missing = model_store.ChunkedModel("m", "nochunk_pkg_", 1, "0" * 64, "m.gguf")
    with pytest.raises(model_store.ModelStoreError, match="codebot\\[model\\]"):
        model_store.ensure_model(missing, tmp_path / "cache3")
    with pytest.raises(model_store.ModelStoreError, match="not a GGUF"):
        (tmp_path / "x.bin").write_bytes(b"nope")
        model_store.resolve_model_path(tmp_path / "x.bin")
