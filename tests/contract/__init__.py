"""Contract suites: one per port; every adapter passes the same tests and supplies only fixtures.

To run a suite against a new adapter, add a module here (name it `test_<port>_<engine>_real.py` for a real engine
and mark it `pytest.mark.integration`), subclass the suite and override its fixture(s):

- `event_bus_contract.EventBusContract`: `make_bus` -> a factory of new, unstarted `EventBus` instances that reach
  the same durable backend (a second instance is "the service after a restart"). `reports_lag = False` if the
  backend cannot tell a group's lag.
- `document_store_contract.DocumentStoreContract`: `make_store` -> a factory of `DocumentStore` instances on the same
  database.
- `blob_store_contract.BlobStoreContract`: `make_blob_store` -> a factory of `BlobStore` instances on the same
  storage, and `fetch_url` -> an async function that fetches a download URL as a browser would.
- `messaging_contract.MessagingContract` (outbox + idempotent consumers): `adapter_specs` -> `AdapterSpecs(store=...,
  bus=...)`, each a `FactorySpec("module:callable", {json kwargs})`, because some tests SIGKILL a subprocess
  (`crash_worker.py`) that builds the same adapters. The bus must give a killed consumer's partitions to another
  instance of the group within `support.WAIT_LIMIT` (a short lease, or a short Kafka session timeout in the kwargs).

Topic, group, collection and blob names are unique per test, so the suites can share one long-lived server.
"""
