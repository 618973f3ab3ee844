"""Base58btc (`rexvet_credentials.multikey`): the published vectors; every length a proof or key uses round-trips."""

from __future__ import annotations

import random

import pytest

from rexvet_credentials.multikey import b58decode, b58encode

pytestmark = pytest.mark.unit

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

# draft-msporny-base58 and Bitcoin's test vectors
VECTORS = [
    (b"", ""),
    (b"\0", "1"),
    (b"\0\0\0", "111"),
    (b"a", "2g"),
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (b"The quick brown fox jumps over the lazy dog.", "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"),
    (bytes.fromhex("0000287fb4cd"), "11233QC4"),
    (bytes.fromhex("00eb15231dfceb60925886b67d065299925915aeb172c06647"), "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
]


@pytest.mark.parametrize(("data", "text"), VECTORS)
def test_known_vectors_encode_and_decode(data: bytes, text: str) -> None:
    assert b58encode(data) == text
    assert b58decode(text) == data


def test_random_bytes_of_every_length_round_trip_with_their_leading_zeros() -> None:
    rng = random.Random(58)
    for length in [*range(0, 80), 96, 114, 128]:
        for _ in range(20):
            data = bytes(rng.getrandbits(8) for _ in range(length))
            if rng.random() < 0.3:
                data = b"\0" * rng.randint(1, 3) + data
            text = b58encode(data)
            assert set(text) <= set(ALPHABET)
            assert len(text) - len(text.lstrip("1")) == len(data) - len(data.lstrip(b"\0"))
            assert b58decode(text) == data, data.hex()
