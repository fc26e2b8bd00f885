"""The HTTP load of bench_campaigns, in a process of its own (not the server's): reads a JSON
plan from stdin, sends its requests over plain HTTP/1.1 (one connection each, as browsers
submitting a form would), and prints one JSON line with each response's status, latency and
what the plan's regular expression found in it.

`burst`: every request at once (all connections opened together), the wall time from the
first send to the last answer. `serial`: one after the other, each after the last answered."""

import asyncio
import json
import re
import sys
import time
from typing import Any


async def _send(host: str, port: int, request: dict[str, Any], find: re.Pattern | None) -> dict:
    body = request.get("body", "").encode()
    headers = {
        "Host": f"{host}:{port}",
        "Connection": "close",
        "User-Agent": "sway-bench",
        **request.get("headers", {}),
    }
    if body:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(body)),
        }
    head = f"{request['method']} {request['path']} HTTP/1.1\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    began = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port, limit=2**20)
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    answer = await reader.read()  # to the end: the server closes the connection
    ended = time.perf_counter()
    writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    header_block, _, content = rest.partition(b"\r\n\r\n")
    location = re.search(rb"(?im)^location:\s*(\S+)", header_block)
    found = find.search(content.decode(errors="replace")) if find else None
    return {
        "status": int(status_line.split()[1]) if status_line else 0,
        "ms": round((ended - began) * 1000, 2),
        "began": began,
        "ended": ended,
        "location": location[1].decode() if location else None,
        "found": found[1] if found else None,
    }


async def _run(plan: dict[str, Any]) -> dict[str, Any]:
    host, port = plan["host"], plan["port"]
    find = re.compile(plan["find"], re.S) if plan.get("find") else None
    requests = plan["requests"]
    if plan["mode"] == "burst":
        results = await asyncio.gather(*(_send(host, port, r, find) for r in requests))
    else:
        results = [await _send(host, port, r, find) for r in requests]
    wall = max(r["ended"] for r in results) - min(r["began"] for r in results)
    for result in results:
        del result["began"], result["ended"]
    return {"wall_seconds": round(wall, 3), "results": results}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_run(json.load(sys.stdin)))))
