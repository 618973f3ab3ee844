"""The MongoDB-wire adapter tells an outage of FerretDB's PostgreSQL (to wait out) from a refusal (an error)."""

from __future__ import annotations

import pytest
from pymongo.errors import OperationFailure

from rexvet_common.adapters.mongo_document_store import _translated
from rexvet_common.errors import BackendUnavailableError, DocumentStoreError

pytestmark = pytest.mark.unit

# What FerretDB 2.7 answered to a find while its PostgreSQL was stopped (the chaos drill's database restart).
POSTGRES_DOWN = (
    "msg_find.go:43 (handler.(*Handler).msgFind): pool_cursors.go:132 (documentdb.(*Pool).Find): pool.go:90 "
    "(documentdb.(*Pool).Acquire): failed to connect to `user=rexvet database=postgres`:\n\t127.0.0.1:41899 "
    "(127.0.0.1): dial error: dial tcp 127.0.0.1:41899: connect: connection refused"
)


def failure(message: str, code: int) -> OperationFailure:
    return OperationFailure(message, code=code, details={"ok": 0.0, "errmsg": message, "code": code})


async def raised_by(exc: Exception) -> Exception:
    with pytest.raises(Exception) as caught:
        async with _translated("read from 'c'"):
            raise exc
    return caught.value


async def test_postgresql_down_under_ferretdb_is_an_outage() -> None:
    assert isinstance(await raised_by(failure(POSTGRES_DOWN, 1)), BackendUnavailableError)
    starting = failure("FATAL: the database system is starting up (SQLSTATE 57P03)", 1)
    assert isinstance(await raised_by(starting), BackendUnavailableError)


async def test_a_restart_of_postgresql_under_ferretdb_is_an_outage() -> None:
    # FerretDB 2.7's answer to reads and writes in flight while its PostgreSQL was restarted: the bare 57P01 text.
    terminated = failure("terminating connection due to administrator command", 1)
    assert isinstance(await raised_by(terminated), BackendUnavailableError)
    crashed = failure("terminating connection because of crash of another server process", 1)
    assert isinstance(await raised_by(crashed), BackendUnavailableError)


async def test_other_refusals_stay_store_errors() -> None:
    refused = await raised_by(failure("unknown operator: $foo", 2))
    assert isinstance(refused, DocumentStoreError) and not isinstance(refused, BackendUnavailableError)
    internal = await raised_by(failure("something else broke", 1))
    assert not isinstance(internal, BackendUnavailableError)
