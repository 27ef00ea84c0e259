"""Errors the gate session raises; codebot.mcp.server turns each into an MCP error (JSON-RPC code +
one clear message). Importable without the `mcp` SDK."""
from __future__ import annotations

# JSON-RPC codes: -32602 is the protocol's "invalid params"; -32000..-32099 are the server's own.
INVALID_PARAMS = -32602
REFUSED = -32001  # the gate (or the e-stop, or a busy robot) refused the request
CANCELLED = -32002
FAILED = -32003  # codebot itself failed (sandbox worker, simulator, robot link)


class McpToolError(Exception):
    code = FAILED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(McpToolError):
    """A tool argument has the wrong type, size or content."""

    code = INVALID_PARAMS


class Refused(McpToolError):
    """The request is well formed but codebot will not do it (e.g. dispatch of an unverified trace)."""

    code = REFUSED
