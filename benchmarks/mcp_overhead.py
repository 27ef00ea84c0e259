"""MCP overhead, measured in one run (issue 16): check_program through the MCP server (a subprocess,
the SDK's own client, over stdio and over streamable HTTP on 127.0.0.1) vs the same call in-process
(GateSession.check_program: the same twin sync, sandbox run and checker, no MCP). Calls alternate
between the paths so drift on a shared machine hits both. Target: MCP <= 1.2x in-process plus a fixed
cost, which is reported as the median round trip of a trivial tool (`status`) and as the difference
of the medians.

Usage: .venv/bin/python benchmarks/mcp_overhead.py [--reps 15] [--transports stdio,http] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "codebot" / "mcp"))

INSTRUCTION = "put the red block in the blue bowl"
PROGRAMS = {"pick_place": "put_first_on_second('red block', 'blue bowl')",  # a real check (~0.4 s of sim)
            "trivial": "say('hello')"}  # almost no sim time: the ratio is mostly fixed cost


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


async def measure(client, session, reps: int) -> dict:
    import anyio

    out: dict = {}
    for label, program in PROGRAMS.items():
        mcp_s, local_s = [], []
        args = {"program": program, "instruction": INSTRUCTION}
        async def through_mcp() -> float:
            t = time.perf_counter()
            result = await client.call_tool("check_program", args)
            assert result.structured_content["trace_id"], result
            return time.perf_counter() - t

        async def in_process() -> float:
            t = time.perf_counter()
            await anyio.to_thread.run_sync(lambda: session.check_program(program, instruction=INSTRUCTION))
            return time.perf_counter() - t

        for i in range(reps + 1):  # the first of each is a warm-up; the order alternates
            if i % 2:
                mcp, local = await through_mcp(), await in_process()
            else:
                local, mcp = await in_process(), await through_mcp()
            if i:
                mcp_s.append(mcp)
                local_s.append(local)
        out[label] = {"mcp_ms": median_ms(mcp_s), "in_process_ms": median_ms(local_s),
                      "ratio": round(statistics.median(mcp_s) / statistics.median(local_s), 3),
                      "difference_ms": round(median_ms(mcp_s) - median_ms(local_s), 2)}
    trips = []
    for i in range(reps * 2 + 1):
        t = time.perf_counter()
        await client.call_tool("status", {})
        if i:
            trips.append(time.perf_counter() - t)
    out["fixed_cost_status_roundtrip_ms"] = median_ms(trips)
    return out


def run_transport(transport: str, reps: int, work: Path) -> dict:
    import anyio
    from mcp import Client
    from mcp_helpers import SCENE_ARGS, http_server, stdio_params

    from codebot.mcp.session import GateSession, ServerConfig

    blocks, bowls = SCENE_ARGS
    session = GateSession(ServerConfig(work_dir=str(work / "in_process"), llm="replay",
                                       scene={"blocks": blocks.split(","), "bowls": bowls.split(",")}))
    session.agent()

    async def main(target):
        with anyio.fail_after(900):
            async with Client(target) as client:
                return await measure(client, session, reps)

    try:
        if transport == "stdio":
            return anyio.run(main, stdio_params(work / "server"))
        with http_server(work / "server") as (url, _proc):
            return anyio.run(main, url)
    finally:
        session.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--transports", default="stdio,http")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    report = {"reps": args.reps, "time": time.strftime("%Y-%m-%d %H:%M:%S")}
    with tempfile.TemporaryDirectory(prefix="codebot-mcp-bench-") as tmp:
        for transport in args.transports.split(","):
            report[transport] = run_transport(transport, args.reps, Path(tmp) / transport)
            print(transport, json.dumps(report[transport]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    for transport in args.transports.split(","):
        r = report[transport]
        p = r["pick_place"]
        print(f"{transport}: check_program (pick-and-place) MCP {p['mcp_ms']} ms vs in-process "
              f"{p['in_process_ms']} ms = {p['ratio']}x ({p['difference_ms']:+.2f} ms); trivial program "
              f"{r['trivial']['ratio']}x ({r['trivial']['difference_ms']:+.2f} ms); "
              f"fixed cost (status round trip) {r['fixed_cost_status_roundtrip_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
