"""Readiness probes for the local servers, standard library only (infra.sh runs before `uv sync` may have happened).

python3 probe.py tcp HOST PORT      exit 0 when something accepts connections
python3 probe.py mongo HOST PORT    exit 0 when a MongoDB-wire server answers {ping: 1} with ok: 1
python3 probe.py http URL           exit 0 when an HTTP server answers at all (S3 answers 403 without a signature)
python3 probe.py kafka-id           print a new KRaft cluster id (base64url of 16 random bytes, no padding)
"""

from __future__ import annotations

import base64
import socket
import struct
import sys
import urllib.error
import urllib.request
import uuid

TIMEOUT_S = 2.0
OP_MSG = 2013


def tcp(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_S):
            return True
    except OSError:
        return False


def _bson_ping() -> bytes:
    # {ping: int32 1, $db: "admin"} written out by hand: two elements are not worth a BSON library here.
    db = b"admin\x00"
    body = b"\x10ping\x00" + struct.pack("<i", 1) + b"\x02$db\x00" + struct.pack("<i", len(db)) + db + b"\x00"
    return struct.pack("<i", len(body) + 4) + body


def mongo(host: str, port: int) -> bool:
    doc = _bson_ping()
    payload = struct.pack("<I", 0) + b"\x00" + doc  # flagBits, section kind 0 (body)
    header = struct.pack("<iiii", 16 + len(payload), 1, 0, OP_MSG)
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_S) as sock:
            sock.sendall(header + payload)
            raw = b""
            while len(raw) < 4 or len(raw) < struct.unpack("<i", raw[:4])[0]:
                chunk = sock.recv(65536)
                if not chunk:
                    return False
                raw += chunk
    except OSError:
        return False
    # ok: 1 comes back as a double (type 0x01) on MongoDB and FerretDB.
    return struct.unpack("<i", raw[12:16])[0] == OP_MSG and b"\x01ok\x00" + struct.pack("<d", 1.0) in raw


def http(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP status means the server is up and parsing requests
    except (OSError, ValueError):
        return False


def kafka_cluster_id() -> str:
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    kind, args = argv[0], argv[1:]
    if kind == "tcp" and len(args) == 2:
        return 0 if tcp(args[0], int(args[1])) else 1
    if kind == "mongo" and len(args) == 2:
        return 0 if mongo(args[0], int(args[1])) else 1
    if kind == "http" and len(args) == 1:
        return 0 if http(args[0]) else 1
    if kind == "kafka-id" and not args:
        print(kafka_cluster_id())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
