"""The bitstring of a W3C Bitstring Status List: bits, encoding and decoding.

Encoding (Bitstring Status List v1.0, section 3.1): GZIP the bytes, base64url without padding, prefix the
multibase code `u`. Index 0 is the left-most bit: the most significant bit of the first byte. Lists hold at least
131,072 entries (16 KiB) so that one credential's index does not single out its holder (group privacy).
"""

from __future__ import annotations

import base64
import gzip
import zlib

from rexvet_credentials.errors import CredentialError

MIN_ENTRIES = 131_072
# Decoding never inflates beyond this: a tiny gzip bomb in a fetched list must not exhaust memory.
MAX_DECODED_BYTES = 16 * 1024 * 1024


class StatusListFormatError(CredentialError):
    """An encoded list that is not GZIP + base64url + `u`, or is shorter than the minimum."""

    code = "status_list_malformed"


class Bitstring:
    """A fixed-length string of bits; `status_size` bits per entry (1 for revocation and suspension)."""

    __slots__ = ("_bytes", "length")

    def __init__(self, length: int = MIN_ENTRIES, *, data: bytes | None = None) -> None:
        if length <= 0 or length % 8:
            raise ValueError(f"a bitstring length is a positive multiple of 8, not {length}")
        if data is not None and len(data) * 8 != length:
            raise ValueError("data does not hold exactly `length` bits")
        self.length = length
        self._bytes = bytearray(data) if data is not None else bytearray(length // 8)

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self._bytes[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int, value: bool = True) -> None:
        self._check(index)
        mask = 0x80 >> (index & 7)
        if value:
            self._bytes[index >> 3] |= mask
        else:
            self._bytes[index >> 3] &= ~mask & 0xFF

    def clear(self, index: int) -> None:
        self.set(index, False)

    def value(self, index: int, status_size: int = 1) -> int:
        """Entry `index` of `status_size` bits, read left to right as an unsigned integer."""
        first = index * status_size
        self._check(first + status_size - 1)
        result = 0
        for bit in range(first, first + status_size):
            result = (result << 1) | self.get(bit)
        return result

    def set_value(self, index: int, value: int, status_size: int = 1) -> None:
        if not 0 <= value < (1 << status_size):
            raise ValueError(f"value {value} does not fit in {status_size} bits")
        first = index * status_size
        self._check(first + status_size - 1)
        for offset in range(status_size):
            self.set(first + offset, bool(value >> (status_size - 1 - offset) & 1))

    def set_bits(self) -> list[int]:
        """Indexes of the bits that are set, in order."""
        found: list[int] = []
        for byte_index, byte in enumerate(self._bytes):
            if byte:
                found.extend(byte_index * 8 + bit for bit in range(8) if byte & (0x80 >> bit))
        return found

    def to_bytes(self) -> bytes:
        return bytes(self._bytes)

    def encode(self) -> str:
        # mtime=0 makes the encoding deterministic: republishing an unchanged list yields the same bytes.
        compressed = gzip.compress(bytes(self._bytes), mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(
        cls, encoded: str, *, min_entries: int = MIN_ENTRIES, status_size: int = 1, max_bytes: int = MAX_DECODED_BYTES
    ) -> Bitstring:
        """`max_bytes`: the largest decoded list accepted (inflating stops just past it)."""
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise StatusListFormatError("encodedList must be a multibase base64url string starting with 'u'")
        body = encoded[1:]
        if "=" in body or any(c in body for c in "+/"):
            raise StatusListFormatError("encodedList must be base64url without padding")
        try:
            compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except ValueError as exc:
            raise StatusListFormatError(f"encodedList is not base64url: {exc}") from exc
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = decompressor.decompress(compressed, max_bytes + 1)
        except zlib.error as exc:
            raise StatusListFormatError(f"encodedList is not GZIP data: {exc}") from exc
        if not decompressor.eof:
            if len(data) > max_bytes or decompressor.unconsumed_tail:
                raise StatusListFormatError(
                    f"encodedList inflates beyond {max_bytes} bytes, the largest list accepted",
                    code="status_list_too_large",
                )
            raise StatusListFormatError("encodedList is truncated: the GZIP stream does not end")
        length = len(data) * 8
        if length < min_entries * status_size:
            raise StatusListFormatError(
                f"the list holds {length // status_size} entries, fewer than the minimum {min_entries}",
                code="status_list_too_short",
            )
        return cls(length, data=data)

    def _check(self, index: int) -> None:
        if not 0 <= index < self.length:
            raise IndexError(f"status index {index} is outside the list (0..{self.length - 1})")
