"""The fuzz tier (`-m fuzz`): schemathesis over every service's own OpenAPI document, in-process, with the service's
token and without one: no answer is a server error, and every answer matches the document (status body and media
type). Bounded and seeded: `EXAMPLES` valid and `EXAMPLES` invalid cases per operation, derandomized, so a run is
the same run every time.

On main 66e70ab schemathesis found 23 answers that were 500 in evidence, and every refusal was "undocumented"
(problem+json where the document said application/json): both are what this tier keeps from coming back.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from .conftest import GUARDED_SERVICES, SERVICES, running

pytestmark = pytest.mark.fuzz

EXAMPLES = 25
# Valid requests (they reach the endpoints' own work) and invalid ones (they test every refusal on the way).
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
SENT = ("headers", "params", "json", "content", "data", "files")


def cases_of(operation: Any, mode: GenerationMode) -> list[Any]:
    """`EXAMPLES` cases of one operation, the same ones every run (derandomized, no example database)."""
    drawn: list[Any] = []

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def collect(case: Any) -> None:
        drawn.append(case)

    try:
        collect()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, f"no valid request to {operation.path} can be made from the document"
        # An operation without parameters or body has no invalid request to make.
    return drawn


async def send(client: httpx.AsyncClient, case: Any, headers: dict[str, str]) -> httpx.Response | None:
    """The answer to `case`; None for an invalid case that no HTTP client can even encode (a number as a file)."""
    options = case.as_transport_kwargs(base_url=str(client.base_url), headers=headers)
    try:
        request = client.build_request(
            case.method, case.formatted_path, **{k: v for k, v in options.items() if k in SENT}
        )
        request.read()  # a generated multipart body is a stream: read it once, so the checks can look at it again
    except (TypeError, AttributeError, ValueError):
        return None
    return await client.send(request)


# The verifier's endpoints are public: its run without a token is the run with one.
RUNS = [(service, True) for service in SERVICES] + [(service, False) for service in GUARDED_SERVICES]


@pytest.mark.parametrize(("service", "with_token"), RUNS, ids=[f"{s}-{'token' if t else 'no-token'}" for s, t in RUNS])
async def test_no_server_error_and_no_answer_outside_the_document(
    service: str, with_token: bool, tmp_path: Path
) -> None:
    async with running(service, tmp_path) as endpoint:
        document = (await endpoint.client.get("/openapi.json")).json()
        schema = schemathesis.openapi.from_dict(document)
        headers = endpoint.headers if with_token else {}
        failures: list[str] = []
        sent = 0
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), f"the OpenAPI document has an operation schemathesis cannot read: {result}"
            operation = result.ok()
            cases = [case for mode in MODES for case in cases_of(operation, mode)]
            for case in cases:
                response = await send(endpoint.client, case, headers)
                if response is None:
                    continue
                sent += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except Exception as failure:  # schemathesis raises a group of its failures
                    first = str(failure).split("\n\n")
                    reason = first[1] if len(first) > 1 else str(failure)
                    failures.append(f"{case.method} {operation.path} -> {response.status_code}: {reason[:200]}")
        assert sent >= EXAMPLES, f"only {sent} requests were sent"
        summary = "\n".join(f"{count} x {line}" for line, count in Counter(failures).most_common(20))
        assert not failures, f"{len(failures)} of {sent} answers failed the checks:\n{summary}"
