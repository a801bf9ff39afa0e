"""The official MCP Python SDK (PyPI `mcp`, pinned in .ci/run) as a client of the gateway.

`python mcp_python_client.py http URL` (streamable HTTP) or
`python mcp_python_client.py stdio SEVENDIGITAL_BINARY` (`sevendigital mcp`, configured by the
environment). Lists the tools, reads a release, completes `country` for a resource template,
sets the log level, calls a tool, closes the session, and prints one JSON object of what it saw
(tests/it/mcp_conformance.rs checks it). Any warning the SDK logs (such as "Session termination
failed: 202") is collected under "warnings"; an exception exits non-zero.
"""

import asyncio
import json
import logging
import os
import sys

from mcp import Client, StdioServerParameters
from mcp_types import ResourceTemplateReference


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(f"{record.name}: {record.getMessage()}")


async def main(kind, target):
    collected = Collect()
    logging.getLogger().addHandler(collected)
    logging.getLogger().setLevel(logging.WARNING)
    logs = []

    async def on_log(params):
        logs.append({"level": params.level, "logger": params.logger, "data": params.data})

    if kind == "http":
        server = target
    else:
        # The SDK hands the server a minimal environment: pass the gateway's settings on.
        env = {k: v for k, v in os.environ.items() if k.startswith("SEVENDIGITAL_")}
        server = StdioServerParameters(command=target, args=["mcp"], env=env)
    out = {}
    async with Client(server, mode="legacy", logging_callback=on_log, cache=None) as client:
        out["protocolVersion"] = client.protocol_version
        tools = await client.list_tools()
        out["tools"] = [t.name for t in tools.tools]
        read = await client.read_resource("sevendigital://release/1192901")
        contents = read.contents[0]
        out["release"] = {
            "uri": str(contents.uri),
            "mimeType": contents.mime_type,
            "text": contents.text,
        }
        completion = await client.complete(
            ResourceTemplateReference(uri="sevendigital://release/{releaseId}{?country}"),
            {"name": "country", "value": "g"},
        )
        out["completion"] = completion.completion.values
        await client.set_logging_level("warning")
        # Below `warning`: no log notification; a refused call is a warning.
        await client.call_tool("get-artist-details", {"artistId": "8293"})
        refused = await client.call_tool("search-releases", {"q": "x", "pageSize": 500})
        out["refusedIsError"] = refused.is_error
        for _ in range(100):
            if any(l["level"] == "warning" for l in logs):
                break
            await asyncio.sleep(0.05)
        out["logs"] = logs
    out["warnings"] = collected.records
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
