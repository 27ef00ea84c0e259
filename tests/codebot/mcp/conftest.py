"""Fixtures for the MCP tests: the whole directory needs the mcp SDK and pybullet."""
from __future__ import annotations

import pytest

pytest.importorskip("mcp", reason="needs codebot[mcp] (the mcp SDK)")
pytest.importorskip("pybullet", reason="needs codebot[sim] (pybullet)")

from mcp_helpers import http_server


@pytest.fixture(scope="module")
def http_url(tmp_path_factory):
    work = tmp_path_factory.mktemp("mcp-http") / "work"
    with http_server(work) as (url, proc):
        yield url
        assert proc.poll() is None, "the server died during the tests"
