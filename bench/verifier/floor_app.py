"""The HTTP floor for bench/verifier: a bare ASGI app that does what any endpoint taking a credential must do and
nothing more (read the whole body, parse it as JSON, answer JSON of the verifier's report size), served by the same
`rexvet_common.serve` (uvicorn, same protocol and limits) as the verifier. The verifier's throughput over this one's is
the share of the HTTP floor the endpoint reaches.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

# The report the verifier gave for one of the bench's credentials: the floor answers one of the same shape and size.
_REPORT: dict[str, Any] = json.loads(Path(os.environ["REXVET_BENCH_FLOOR_REPORT"]).read_text())


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    status = 200
    if scope["path"] == "/healthz":
        answer = b'{"status":"ok"}'
    else:
        credential = json.loads(body)
        answer = json.dumps({**_REPORT, "credentialId": credential.get("id")}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": answer})
