"""The one file part of a `multipart/form-data` upload (`curl -F file=@x`), streamed: never the envelope, never spooled.

A browser form or `curl -F` wraps the file in a multipart envelope. The file endpoint stores the file's own bytes: it
reads the first part's headers, checks it is a file (its Content-Disposition has a `filename`), then yields the
part's data chunk by chunk as the request arrives. Anything else (a text field, a second part, a body that ends
before the closing boundary) raises while streaming, so the blob store drops what it had started to write.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from rexvet_common.errors import BlobTooLargeError

# What the envelope may add to the file itself: the boundaries and the part's headers. Generous: they are ~200 bytes.
ENVELOPE_ALLOWANCE = 16 * 1024


class NotOneFilePart(Exception):
    """The multipart body is not exactly one file part: the caller should send the file alone (or as one part)."""


class UnreadableMultipart(Exception):
    """The body is announced as multipart but cannot be read as such (no boundary, broken framing)."""


@dataclass(frozen=True)
class FilePart:
    filename: str
    content_type: str | None  # the part's own Content-Type, if it has one
    chunks: AsyncIterator[bytes]  # the file's bytes; raises `NotOneFilePart` if another part follows


def boundary_of(content_type: str) -> bytes:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary", b"")
    if not boundary or len(boundary) > 70:  # RFC 2046: 1 to 70 characters
        raise UnreadableMultipart("a multipart/form-data Content-Type needs a boundary parameter of 1 to 70 characters")
    return boundary


class _Events:
    """What the parser saw in the bytes fed so far, in order, consumed by `single_file_part`."""

    def __init__(self) -> None:
        self.parts = 0
        self.headers: dict[bytes, bytes] = {}
        self.headers_done = False
        self.data: list[bytes] = []
        self.ended = False
        self._field = b""
        self._value = b""

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self.parts += 1

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        if self.parts == 1:
            self.headers[self._field.strip().lower()] = self._value.strip()
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        if self.parts == 1:
            self.headers_done = True

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.parts == 1 and end > start:
            self.data.append(data[start:end])

    def _end(self) -> None:
        self.ended = True


async def single_file_part(content_type: str, stream: AsyncIterable[bytes], *, max_bytes: int) -> FilePart:
    """The body's one file part; reads only as far as that part's headers before returning.

    `max_bytes` bounds the whole body (envelope included): past it `BlobTooLargeError`, while streaming as well.
    """
    events = _Events()
    parser = MultipartParser(boundary_of(content_type), events.callbacks())  # type: ignore[arg-type]
    chunks = aiter(stream)
    read = 0

    async def feed() -> bool:
        """Parse the next chunk of the body; False at its end."""
        nonlocal read
        try:
            chunk = await anext(chunks)
        except StopAsyncIteration:
            return False
        read += len(chunk)
        if read > max_bytes:
            raise BlobTooLargeError(f"the body exceeds the limit of {max_bytes} bytes; nothing was kept")
        try:
            parser.write(chunk)
        except MultipartParseError as exc:
            raise UnreadableMultipart(f"the multipart body cannot be read: {exc}") from exc
        if events.parts > 1:
            raise NotOneFilePart("the multipart body has more than one part: send the file as its only part")
        return True

    while not events.headers_done:
        if not await feed():
            raise UnreadableMultipart("the multipart body ends before its first part's headers do")
    disposition, options = parse_options_header(events.headers.get(b"content-disposition", b""))
    if disposition != b"form-data" or b"filename" not in options:
        name = options.get(b"name", b"").decode("utf-8", "replace")
        raise NotOneFilePart(
            f"the multipart part {name!r} is not a file (its Content-Disposition has no filename): "
            "send the file as the only part, e.g. curl -F file=@report.pdf"
        )
    part_type = events.headers.get(b"content-type")

    async def file_bytes() -> AsyncIterator[bytes]:
        while True:
            while events.data:
                yield events.data.pop(0)
            if events.ended:
                break
            if not await feed():
                raise UnreadableMultipart("the multipart body ends before its closing boundary: the upload was cut")
        # The epilogue after the closing boundary is ignored by the parser, but it is read (and counted).
        while await feed():
            pass

    return FilePart(
        filename=options[b"filename"].decode("utf-8", "replace"),
        content_type=part_type.decode("latin-1") if part_type else None,
        chunks=file_bytes(),
    )
