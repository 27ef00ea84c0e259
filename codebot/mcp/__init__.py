"""codebot as an MCP server: any agent (desktop assistant, IDE agent, agent framework) drives the robot
only through codebot's simulation gate. `codebot mcp --transport stdio|http --target sim|ros`.

Importing this package needs nothing optional; the server itself needs the `mcp` extra
(codebot.mcp.server raises MissingExtraError naming it).
"""
from __future__ import annotations

from codebot.mcp.session import GateSession, ServerConfig
from codebot.mcp.verdict import Verdict, dispatch_gate, verdict_of

__all__ = ["GateSession", "ServerConfig", "Verdict", "dispatch_gate", "verdict_of"]
