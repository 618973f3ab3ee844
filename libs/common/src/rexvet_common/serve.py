"""One service process: `python -m rexvet_common.serve <package>.app:app --host H --port P`.

The runner starts one of these per service. Each watches its parent: if the runner dies without stopping it (killed
with SIGKILL, say), the service stops itself instead of running on unowned.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time
from typing import Any

import uvicorn

from rexvet_common.errors import ConfigurationError
from rexvet_common.http.slow_clients import header_timeout_protocol
from rexvet_common.settings import PlatformSettings

PARENT_CHECK_SECONDS = 1.0


def _stop_when_orphaned(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def main() -> None:
    parser = argparse.ArgumentParser(description="serve one rexvet service")
    parser.add_argument("app", help="module:attribute of the ASGI app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--watch-parent", action="store_true", help="exit when the starting process is gone")
    args = parser.parse_args()
    if args.watch_parent:
        threading.Thread(target=_stop_when_orphaned, args=(os.getppid(),), daemon=True).start()
    # log_config=None: the app's lifespan installs the JSON log handler that uvicorn's loggers propagate to.
    platform = PlatformSettings()
    uvicorn.run(
        args.app,
        host=args.host,
        port=args.port,
        log_config=None,
        **slow_client_limits(platform),
        **tls_options(platform),
    )


def slow_client_limits(platform: PlatformSettings) -> dict[str, Any]:
    """uvicorn's settings against slow or idle clients, from REXVET_HTTP_*."""
    return {
        "timeout_graceful_shutdown": 5,
        "timeout_keep_alive": platform.http_keep_alive_seconds,
        "http": header_timeout_protocol(platform.http_header_timeout_seconds),
        "h11_max_incomplete_event_size": platform.http_max_header_bytes,
    }


def tls_options(platform: PlatformSettings) -> dict[str, Any]:
    """uvicorn's https settings from REXVET_TLS_CERT_FILE / REXVET_TLS_KEY_FILE: both, or neither (plain http)."""
    cert, key = platform.tls_cert_file, platform.tls_key_file
    if cert is None and key is None:
        return {}
    if cert is None or key is None:
        raise ConfigurationError("REXVET_TLS_CERT_FILE and REXVET_TLS_KEY_FILE go together: set both or neither")
    for name, path in (("REXVET_TLS_CERT_FILE", cert), ("REXVET_TLS_KEY_FILE", key)):
        if not path.is_file():
            raise ConfigurationError(f"{name} names {path}, which is not a readable file")
    return {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}


if __name__ == "__main__":
    main()
