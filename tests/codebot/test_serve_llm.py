"""`codebot serve-llm`: the shared OpenAI-compatible llama.cpp server that benchmark workers reach through
the `openai` backend. The real-model test asks for 8 tokens from each of two parallel requests."""
import subprocess
import sys
import threading

import pytest


def test_serve_llm_is_a_cli_command():
    from typer.testing import CliRunner

    from codebot.cli import app

    res = CliRunner().invoke(app, ["serve-llm", "--help"])
    assert res.exit_code == 0 and "--parallel" in res.output, res.output


def test_without_xllamacpp_serve_llm_names_the_llm_extra():
    code = ("import sys; sys.modules['xllamacpp'] = None\n"
            "from typer.testing import CliRunner\n"
            "from codebot.cli import app\n"
            "res = CliRunner().invoke(app, ['serve-llm', '--port', '0'])\n"
            "print(res.exit_code, res.output)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("2 ") and "codebot[llm]" in out.stdout, out.stdout


@pytest.mark.llm
def test_the_openai_backend_gets_answers_from_two_parallel_slots():
    pytest.importorskip("xllamacpp")
    from codebot.llm.openai_compat import OpenAICompatLLM
    from codebot.llm.serve import start_server

    served = start_server(port=0, parallel=2, ctx_per_slot=512)
    try:
        assert served.base_url.startswith("http://127.0.0.1:") and served.base_url.endswith("/v1")
        replies: dict[int, str] = {}

        def ask(i: int) -> None:
            # a bound, not a pause: the reply returns as soon as it is generated (two slots on a loaded CPU)
            llm = OpenAICompatLLM(base_url=served.base_url, model=served.model, timeout_s=300, retries=0)
            replies[i] = llm.complete([{"role": "user", "content": f"Reply with the number {i}."}], max_tokens=8)

        threads = [threading.Thread(target=ask, args=(i,)) for i in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(330)
        assert not any(t.is_alive() for t in threads), "a completion request never returned within 330 s"
        assert set(replies) == {1, 2} and all(r.strip() for r in replies.values()), replies
    finally:
        served.close()
