"""Bitstring Status List encoding, decoding and index allocation."""

from __future__ import annotations

import base64
import gzip
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rexvet_credentials.status.allocation import StatusListFull, allocate_index
from rexvet_credentials.status.bitstring import MIN_ENTRIES, Bitstring, StatusListFormatError

pytestmark = pytest.mark.unit


def test_new_list_has_the_minimum_size_and_no_bits_set() -> None:
    bits = Bitstring()
    assert bits.length == MIN_ENTRIES == 131_072
    assert bits.set_bits() == []


def test_index_zero_is_the_left_most_bit() -> None:
    bits = Bitstring()
    bits.set(0)
    bits.set(9)
    raw = bits.to_bytes()
    assert raw[0] == 0b1000_0000
    assert raw[1] == 0b0100_0000


def test_encoding_is_gzip_base64url_without_padding_with_multibase_u() -> None:
    bits = Bitstring()
    bits.set(94567)
    encoded = bits.encode()
    assert encoded.startswith("u")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(raw) * 8 == MIN_ENTRIES
    assert raw[94567 // 8] == 0x80 >> (94567 % 8)


def test_decodes_the_specification_example_of_an_empty_list() -> None:
    # The W3C Bitstring Status List v1.0 example encodedList (all 131,072 bits clear).
    example = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
    bits = Bitstring.decode(example)
    assert bits.length == MIN_ENTRIES
    assert bits.set_bits() == []


def test_set_and_clear() -> None:
    bits = Bitstring()
    bits.set(5)
    assert bits.get(5)
    bits.clear(5)
    assert not bits.get(5)


def test_multi_bit_entries() -> None:
    bits = Bitstring()
    bits.set_value(3, 0b10, status_size=2)
    assert bits.value(3, status_size=2) == 2
    assert bits.get(6) and not bits.get(7)


@pytest.mark.parametrize(
    ("encoded", "code"),
    [
        ("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", "status_list_malformed"),  # no u
        ("u" + base64.b64encode(gzip.compress(bytes(16384))).decode(), "status_list_malformed"),  # padding/std
        ("u" + base64.urlsafe_b64encode(b"not gzip at all").decode().rstrip("="), "status_list_malformed"),
        ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(1000))).decode().rstrip("="), "status_list_too_short"),
    ],
)
def test_bad_encodings_are_refused(encoded: str, code: str) -> None:
    with pytest.raises(StatusListFormatError) as info:
        Bitstring.decode(encoded)
    assert info.value.code == code


def test_truncated_list_is_refused() -> None:
    bits = Bitstring()
    bits.set(42)
    encoded = bits.encode()
    with pytest.raises(StatusListFormatError) as info:
        Bitstring.decode(encoded[: len(encoded) // 2])
    assert info.value.code == "status_list_malformed"


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=MIN_ENTRIES - 1), max_size=200))
def test_round_trip_keeps_exactly_the_set_bits(indexes: set[int]) -> None:
    bits = Bitstring()
    for index in indexes:
        bits.set(index)
    decoded = Bitstring.decode(bits.encode())
    assert decoded.set_bits() == sorted(indexes)
    assert decoded.to_bytes() == bits.to_bytes()


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=4096))
def test_round_trip_of_arbitrary_bytes(data: bytes) -> None:
    # Arbitrary content (not only sparse lists); a lowered minimum lets small lists through the length check.
    bits = Bitstring(len(data) * 8, data=data)
    assert Bitstring.decode(bits.encode(), min_entries=8).to_bytes() == data


def test_allocation_never_collides_and_fills_the_list() -> None:
    rng = random.Random(7)
    size = 4096
    taken: set[int] = set()
    for _ in range(size):
        index = allocate_index(taken, size, taken_count=len(taken), rng=rng)
        assert 0 <= index < size
        assert index not in taken
        taken.add(index)
    with pytest.raises(StatusListFull):
        allocate_index(taken, size, taken_count=len(taken), rng=rng)


def test_allocation_is_spread_over_the_list() -> None:
    # Random, not sequential: 50 allocations from an empty list are not the first 50 indexes.
    taken: set[int] = set()
    for _ in range(50):
        taken.add(allocate_index(taken, MIN_ENTRIES, taken_count=len(taken)))
    assert taken != set(range(50))
    assert max(taken) > 1000
