"""say(): a message from the program to the person, recorded into the episode trace by the backend."""
from __future__ import annotations

from codebot.primitives import context
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.registry import primitive

MAX_MESSAGE = 500  # characters; longer messages are cut so a runaway loop cannot flood the trace


@primitive(examples=["say('Putting the red block in the blue bowl.')"])
def say(msg: str) -> None:
    """Tell the person something; the message is recorded into the trace."""
    if not isinstance(msg, str):
        if isinstance(msg, (int, float, bool, list, tuple, dict)) or msg is None:
            msg = str(msg)
        else:
            raise InvalidArgumentError(f"say() takes text, got {type(msg).__name__}")
    text = msg if len(msg) <= MAX_MESSAGE else msg[:MAX_MESSAGE] + "..."
    context.current().speak(text)
    return None
