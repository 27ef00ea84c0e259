"""LLM backends behind one protocol, registered by name (lazy "module:Class" entries).

    llm = make_llm("local")                     # llama.cpp via xllamacpp on the default GGUF
    llm = make_llm("openai", base_url=..., api_key=..., model=...)
    llm = make_llm("replay", path="replies.jsonl", record=False)
    text = llm.complete(messages_or_prompt, stop=None, max_tokens=512, temperature=0.0, grammar=None)

`messages_or_prompt` is either a chat (list of {"role", "content"}) or a raw completion prompt (str).
"""
from __future__ import annotations

from typing import Any, Protocol, Sequence, Union, runtime_checkable

from codebot.registry import Registry, UnknownNameError

Message = dict  # {"role": "system"|"user"|"assistant", "content": str}
Prompt = Union[str, Sequence[Message]]

LLM_BACKENDS = Registry("LLM backend", "codebot.llm_backends")
LLM_BACKENDS.builtin("local", "codebot.llm.local:LocalLLM")
LLM_BACKENDS.builtin("openai", "codebot.llm.openai_compat:OpenAICompatLLM")
LLM_BACKENDS.builtin("replay", "codebot.llm.replay:ReplayLLM")


class LLMError(RuntimeError):
    """A backend could not produce a completion (server error, missing model, replay miss...)."""


@runtime_checkable
class LLM(Protocol):
    name: str

    def complete(self, prompt: Prompt, stop: Sequence[str] | None = None, max_tokens: int = 512,
                 temperature: float = 0.0, grammar: str | None = None) -> str: ...


def register_llm(name: str, entry_point: str, replace: bool = False) -> None:
    LLM_BACKENDS.register(name, entry_point, replace=replace)


def make_llm(name: str = "local", **opts: Any) -> LLM:
    """Instantiate a registered backend; options go to its constructor (None values are dropped)."""
    cls = LLM_BACKENDS.get(name)  # UnknownNameError (a ValueError) names the registered backends
    return cls(**{k: v for k, v in opts.items() if v is not None})


def as_messages(prompt: Prompt) -> list[Message]:
    """A chat for backends that only speak chat: a raw prompt becomes one user message."""
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}]
    out = []
    for m in prompt:
        if not isinstance(m, dict) or "role" not in m or "content" not in m:
            raise LLMError(f"chat messages must be dicts with 'role' and 'content', got {m!r:.80}")
        out.append({"role": str(m["role"]), "content": str(m["content"])})
    return out


def chatml(messages: Sequence[Message], assistant_prefix: str = "") -> str:
    """Qwen/ChatML rendering of a chat, ending in an open assistant turn (optionally pre-filled)."""
    parts = [f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in as_messages(messages)]
    return "".join(parts) + "<|im_start|>assistant\n" + assistant_prefix


def prompt_text(prompt: Prompt) -> str:
    """One string for hashing, logging and traces."""
    if isinstance(prompt, str):
        return prompt
    return "\n".join(f"[{m['role']}]\n{m['content']}" for m in as_messages(prompt))


__all__ = ["LLM", "LLMError", "LLM_BACKENDS", "UnknownNameError", "Message", "Prompt", "as_messages", "chatml",
           "make_llm", "prompt_text", "register_llm"]
