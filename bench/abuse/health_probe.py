"""A /healthz prober in a process of its own, as a kubelet probes from outside: one GET every `interval` seconds on
one kept-alive connection, each latency in ms printed on its own line until stdin closes.

The bench's own process runs the abusive clients and the attacker's servers on the same GIL; a sampler thread there
measures that process's turns as well as the verifier's. From here only the verifier and the machine count."""

from __future__ import annotations

import sys
import threading
import time

import httpx


def main() -> None:
    url, interval = sys.argv[1], float(sys.argv[2])
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    with httpx.Client(base_url=url, timeout=60) as client:
        while not done.is_set():
            started = time.perf_counter()
            client.get("/healthz")
            print(f"{(time.perf_counter() - started) * 1000:.3f}", flush=True)
            done.wait(interval)


if __name__ == "__main__":
    main()
