"""The MongoDB-wire document store against the document store contract, on the local FerretDB (`make infra-up`)."""

from __future__ import annotations

import pytest

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore

from .document_store_contract import DocumentStoreContract, StoreFactory
from .real_engines import MONGO_URL, TEST_DATABASE, require_mongo

pytestmark = pytest.mark.integration


class TestMongoDocumentStore(DocumentStoreContract):
    @pytest.fixture
    def make_store(self) -> StoreFactory:
        require_mongo()
        # Every test uses collections of its own (unique names), so one database serves them all.
        return lambda: MongoDocumentStore(MONGO_URL, database=TEST_DATABASE, server_selection_timeout_ms=5000)
