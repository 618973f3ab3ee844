"""The memo of processed JSON-LD contexts is the loader's declared collaborator, not an attribute set on it later."""

from __future__ import annotations

import pytest

from rexvet_credentials.active_context import EMPTY, ActiveContext
from rexvet_credentials.document_loader import DocumentLoader
from rexvet_credentials.jsonld_context import process
from rexvet_credentials.processed_contexts import BoundedContextMemo, ContextKey

pytestmark = pytest.mark.unit

VC_V2 = "https://www.w3.org/ns/credentials/v2"


def test_a_loader_remembers_what_it_processes_in_the_memo_it_was_given() -> None:
    memo = BoundedContextMemo()
    loader = DocumentLoader(processed_contexts=memo)
    first = process(EMPTY, VC_V2, loader)
    assert len(memo) == 1
    assert process(EMPTY, VC_V2, loader) is first  # processed once, then read from the memo


def test_two_loaders_do_not_share_processed_contexts() -> None:
    # a URL's context is whatever its loader serves for it: one loader's result must not answer for another
    one, other = DocumentLoader(), DocumentLoader()
    assert process(EMPTY, VC_V2, one) is not process(EMPTY, VC_V2, other)


def test_an_uncacheable_context_is_not_remembered() -> None:
    memo = BoundedContextMemo()
    process(EMPTY, VC_V2, DocumentLoader(processed_contexts=memo), cacheable=False)
    assert len(memo) == 0


def test_the_memo_empties_itself_when_full() -> None:
    memo = BoundedContextMemo(max_contexts=2)
    keys: list[ContextKey] = [(n, None, True, False) for n in range(3)]
    contexts = [ActiveContext({}, None, None) for _ in keys]
    for key, context in zip(keys, contexts, strict=True):
        memo.put(key, context)
    assert len(memo) == 1 and memo.get(keys[2]) is contexts[2] and memo.get(keys[0]) is None
