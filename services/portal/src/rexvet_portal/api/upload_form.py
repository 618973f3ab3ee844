"""The evidence form (`multipart/form-data`) read as it arrives: its text fields first, then its file as a stream.

The form puts the file input last, so the CSRF token, the title and the description are known before the file's
first byte: the portal checks them, creates the evidence and streams the file's bytes on to the evidence service
while the browser is still sending them. Nothing is spooled to the portal's disk or held in memory beyond a chunk.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

MAX_FIELD_BYTES = 64 * 1024  # a text field (the description is at most 5000 characters)
ENVELOPE_ALLOWANCE = 64 * 1024  # the text fields, boundaries and part headers around the file


class UnreadableForm(Exception):
    """Not a multipart form the portal's page sent: broken framing, a field too long, a body past the limit."""


class FileTooLarge(Exception):
    """The body passed the file limit (with the envelope's allowance)."""


@dataclass
class FilePart:
    filename: str
    content_type: str
    chunks: AsyncIterator[bytes]


@dataclass
class UploadForm:
    fields: dict[str, str]
    file: FilePart | None  # None when the form came without a chosen file


class _Parts:
    """The parser's events in the order they happened (several parts may end and begin within one chunk):
    ("headers", {name: value}), ("data", bytes), ("part_end", None), ("end", None)."""

    def __init__(self) -> None:
        self.queue: deque[tuple[str, object]] = deque()
        self._headers: dict[bytes, bytes] = {}
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
            "on_part_end": lambda: self.queue.append(("part_end", None)),
            "on_end": lambda: self.queue.append(("end", None)),
        }

    def _part_begin(self) -> None:
        self._headers = {}

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._field.strip().lower()] = self._value.strip()
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        self.queue.append(("headers", self._headers))

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if end > start:
            self.queue.append(("data", bytes(data[start:end])))


Feed = Callable[[], Awaitable[bool]]


async def _next_event(events: _Parts, feed: Feed) -> tuple[str, object]:
    while not events.queue:
        if not await feed():
            raise UnreadableForm("the form ends before its closing boundary: it was cut")
    return events.queue.popleft()


async def read_upload_form(content_type: str, stream: AsyncIterable[bytes], *, max_file_bytes: int) -> UploadForm:
    """The text fields up to the first file part, and that file's bytes as a stream (`FileTooLarge` past the
    limit, while streaming too; `UnreadableForm` for anything the page's form would not send)."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary", b"")
    if not boundary or len(boundary) > 70:
        raise UnreadableForm("the form has no multipart boundary")
    events = _Parts()
    parser = MultipartParser(boundary, events.callbacks())  # type: ignore[arg-type]
    chunks = aiter(stream)
    limit = max_file_bytes + ENVELOPE_ALLOWANCE
    read = 0

    async def feed() -> bool:
        nonlocal read
        try:
            chunk = await anext(chunks)
        except StopAsyncIteration:
            return False
        read += len(chunk)
        if read > limit:
            raise FileTooLarge(f"the form is larger than the limit of {max_file_bytes} bytes")
        try:
            parser.write(chunk)
        except MultipartParseError as exc:
            raise UnreadableForm(f"the form cannot be read: {exc}") from exc
        return True

    fields: dict[str, str] = {}
    while True:
        kind, value = await _next_event(events, feed)
        if kind == "end":
            return UploadForm(fields, None)
        if kind != "headers":
            continue
        assert isinstance(value, dict)
        _, disposition = parse_options_header(value.get(b"content-disposition", b""))
        name = disposition.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in disposition:
            filename = disposition[b"filename"].decode("utf-8", "replace")
            if not filename:  # the file input left empty: browsers still send its (empty) part
                return UploadForm(fields, None)
            part_type = value.get(b"content-type", b"application/octet-stream").decode("latin-1")
            return UploadForm(fields, FilePart(filename, part_type, _file_bytes(events, feed)))
        pieces: list[bytes] = []
        size = 0
        while True:
            kind, data = await _next_event(events, feed)
            if kind != "data":
                break
            assert isinstance(data, bytes)
            size += len(data)
            if size > MAX_FIELD_BYTES:
                raise UnreadableForm(f"the field {name!r} is longer than {MAX_FIELD_BYTES} bytes")
            pieces.append(data)
        fields[name] = b"".join(pieces).decode("utf-8", "replace")


async def _file_bytes(events: _Parts, feed: Feed) -> AsyncIterator[bytes]:
    while True:
        kind, data = await _next_event(events, feed)
        if kind != "data":
            return
        assert isinstance(data, bytes)
        yield data
