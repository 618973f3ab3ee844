"""PNG baking: an `iTXt` chunk with keyword `openbadgecredential` (OB 3.0); OB 2.0 used keyword `openbadges`.

Chunks are read and written by pypng, which checks CRCs and chunk structure; this module only builds and reads
the iTXt payload (RFC 2083 / PNG 1.2 section 4.2.3.3).
"""

from __future__ import annotations

import io
import zlib

import png

from rexvet_credentials.baking.common import (
    MAX_BAKED_BYTES,
    BakedCredential,
    BakingError,
    CredentialFormat,
    check_bakeable,
    classify,
)

# More chunks than any baked badge has (libpng writes 8 KiB IDAT chunks: 640 for a 5 MB image); reading is a few
# microseconds of Python per chunk, so a file of 400,000 empty chunks would be over a second of CPU.
MAX_CHUNKS = 16_384

OB3_KEYWORD = b"openbadgecredential"
OB2_KEYWORD = b"openbadges"


def _chunks(image: bytes) -> list[tuple[bytes, bytes]]:
    chunks: list[tuple[bytes, bytes]] = []
    try:
        for kind, data in png.Reader(bytes=image).chunks():
            chunks.append((bytes(kind), bytes(data)))
            if len(chunks) > MAX_CHUNKS:
                raise BakingError(f"the PNG has more than {MAX_CHUNKS} chunks", code="too_many_chunks")
    except (png.Error, ValueError, EOFError) as exc:
        raise BakingError(f"not a valid PNG: {exc}", code="invalid_image") from exc
    return chunks


def _itxt(keyword: bytes, text: str) -> bytes:
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, UTF-8 text
    return keyword + b"\x00\x00\x00" + b"\x00" + b"\x00" + text.encode("utf-8")


def _read_itxt(data: bytes) -> tuple[bytes, str]:
    keyword, sep, rest = data.partition(b"\x00")
    if not sep or len(rest) < 2:
        raise BakingError("malformed iTXt chunk", code="invalid_image")
    compressed, _method, rest = rest[0], rest[1], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_BAKED_BYTES + 1)
        except zlib.error as exc:
            raise BakingError(f"corrupt compressed iTXt chunk: {exc}", code="invalid_image") from exc
        if len(text) > MAX_BAKED_BYTES or inflater.unconsumed_tail:
            raise BakingError("the baked credential is too large", code="baked_content_too_large")
    try:
        return keyword, text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakingError("the baked credential is not UTF-8", code="invalid_image") from exc


def _keyword(kind: bytes, data: bytes) -> bytes | None:
    return data.partition(b"\x00")[0] if kind in (b"iTXt", b"tEXt") else None


def bake_png(image: bytes, credential: str) -> bytes:
    """The image with `credential` in one `openbadgecredential` iTXt chunk (an earlier one is replaced)."""
    check_bakeable(credential)
    chunks = [(k, d) for k, d in _chunks(image) if _keyword(k, d) != OB3_KEYWORD]
    # Before IEND (last chunk): text chunks may go anywhere after IHDR; this keeps the image data untouched.
    chunks.insert(len(chunks) - 1, (b"iTXt", _itxt(OB3_KEYWORD, credential)))
    out = io.BytesIO()
    png.write_chunks(out, chunks)
    return out.getvalue()


def extract_png(image: bytes) -> BakedCredential:
    ob2: str | None = None
    for kind, data in _chunks(image):
        keyword = _keyword(kind, data)
        if keyword == OB3_KEYWORD and kind == b"iTXt":
            _, text = _read_itxt(data)
            fmt = classify(text)
            if fmt is CredentialFormat.URL:
                raise BakingError("an OB 3.0 baked credential must be the credential, not a URL", code="baked_url")
            return BakedCredential(text.strip(), fmt, "3.0", "png")
        if keyword == OB2_KEYWORD and ob2 is None:
            # OB 2.0 bakes iTXt `openbadges`; OB 1.0 bakers used tEXt with the same keyword.
            ob2 = _read_itxt(data)[1] if kind == b"iTXt" else data.partition(b"\x00")[2].decode("latin-1")
    if ob2 is not None:
        return BakedCredential(ob2.strip(), classify(ob2), "2.0", "png")
    raise BakingError("the PNG carries no baked Open Badges credential", code="not_baked")
