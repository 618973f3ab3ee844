"""find_one and compare-and-swap replace_one by `_id` on two MongoDB-wire servers side by side, in one run.

    uv run --frozen python bench/engines/ferretdb_by_id.py NAME=URL NAME=URL [--docs 300] [--ops 200] [--rounds 3]

Made to compare FerretDB 2 on DocumentDB with FerretDB 1.24 on PostgreSQL (the engine it replaced), but any servers
will do. Each server gets `--docs` documents of 10 KB in a database of its own (dropped afterwards); then, for
`--rounds` rounds, alternating between the servers so that the machine's other load falls on both alike,
`--ops` random `find_one({_id})` and as many `replace_one({_id, _version}, ...)` from one client. It prints ops/s
per server and operation (median over the rounds) and the ratio to the first server.

Measured 2026-12-03 07:15 UTC (2 cores, load average 2, other engineers' tests beside), 300 documents, 200 ops, 3
rounds: FerretDB 2.7 on DocumentDB (PostgreSQL 15) 2,204 find_one/s and 430 read+replace_one/s; FerretDB 1.24 on
PostgreSQL 15 with its GIN companion indexes 908 and 227 (0.41x and 0.53x). On 1.24 the store also paid two more
round trips per replace for its version claims, which 2.7 does not need.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from pymongo import MongoClient

DATABASE = "rexvet_bench_by_id"
PAYLOAD = "x" * 10_000


def prepare(url: str, docs: int) -> MongoClient[dict[str, Any]]:
    client: MongoClient[dict[str, Any]] = MongoClient(url, serverSelectionTimeoutMS=5000)
    client.drop_database(DATABASE)
    client[DATABASE]["docs"].insert_many(
        [{"_id": f"d{n}", "_version": 1, "payload": PAYLOAD, "n": n} for n in range(docs)]
    )
    return client


def one_round(client: MongoClient[dict[str, Any]], docs: int, ops: int, rng: random.Random) -> tuple[float, float]:
    collection = client[DATABASE]["docs"]
    ids = [f"d{rng.randrange(docs)}" for _ in range(ops)]
    start = time.perf_counter()
    for doc_id in ids:
        collection.find_one({"_id": doc_id})
    finds = ops / (time.perf_counter() - start)
    start = time.perf_counter()
    for doc_id in ids:
        current = collection.find_one({"_id": doc_id}, projection={"_version": True})
        assert current is not None
        version = current["_version"]
        result = collection.replace_one(
            {"_id": doc_id, "_version": version}, {"_version": version + 1, "payload": PAYLOAD, "n": 0}
        )
        assert result.matched_count == 1
    # Each replace is preceded by its version read (as the store's callers do): report the pair's rate.
    replaces = ops / (time.perf_counter() - start)
    return finds, replaces


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("servers", nargs="+", help="NAME=mongodb://host:port/ (two or more)")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    servers = [tuple(spec.split("=", 1)) for spec in args.servers]
    if any(len(s) != 2 for s in servers) or len(servers) < 2:
        parser.error("give at least two servers as NAME=URL")
    clients = {name: prepare(url, args.docs) for name, url in servers}
    rng = random.Random(15)
    rates: dict[str, list[tuple[float, float]]] = {name: [] for name in clients}
    try:
        for _ in range(args.rounds):
            for name, client in clients.items():
                rates[name].append(one_round(client, args.docs, args.ops, rng))
    finally:
        for client in clients.values():
            client.drop_database(DATABASE)
            client.close()
    first = next(iter(clients))
    base_find = statistics.median(r[0] for r in rates[first])
    base_replace = statistics.median(r[1] for r in rates[first])
    print(f"{args.docs} documents of 10 KB, {args.ops} operations per round, median of {args.rounds} rounds")
    print(f"{'server':<16} {'find_one/s':>11} {'x':>6} {'read+replace_one/s':>19} {'x':>6}")
    for name in clients:
        find = statistics.median(r[0] for r in rates[name])
        replace = statistics.median(r[1] for r in rates[name])
        print(f"{name:<16} {find:>11.0f} {find / base_find:>6.2f} {replace:>19.0f} {replace / base_replace:>6.2f}")


if __name__ == "__main__":
    main()
