"""What an evidence file is, told by its first bytes (magic numbers, `puremagic`), not by what the uploader declared.

Evidence files are served back to coaches from our origin: a declared `text/html`, `image/svg+xml` or
`application/javascript` file would be a stored script. So an upload is typed by its content against an allow-list
(documents, images, plain text); a declared type must agree with the content; anything else is refused (415).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import puremagic

# How much of the file is looked at: every signature we accept sits in its first few hundred bytes.
SNIFF_BYTES = 8192

TEXT_TYPES = frozenset({"text/plain", "text/csv", "text/markdown"})
OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."
ALLOWED = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        f"{OOXML}wordprocessingml.document",
        f"{OOXML}spreadsheetml.sheet",
        f"{OOXML}presentationml.presentation",
        f"{ODF}text",
        f"{ODF}spreadsheet",
        f"{ODF}presentation",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        *TEXT_TYPES,
    }
)
# Names some clients declare for the same types, and the names puremagic gives a few of them.
ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
    "application/excel": "application/vnd.ms-excel",
    "application/mspowerpoint": "application/vnd.ms-powerpoint",
}
UNDECLARED = frozenset({"", "application/octet-stream"})


class RefusedFileType(Exception):
    """The content is not of an accepted type, or not of the declared one; the message says what to send."""


@dataclass(frozen=True)
class FileType:
    media_type: str  # what is stored and served back


def allowed_list() -> list[str]:
    return sorted(ALLOWED)


def file_type(prefix: bytes, declared: str, *, whole: bool) -> FileType:
    """The type to keep for a file that starts with `prefix` (`whole`: that is all of it), declared as `declared`."""
    declared = ALIASES.get(declared, declared)
    if declared not in UNDECLARED and declared not in ALLOWED:
        raise RefusedFileType(f"{declared} files are not accepted; send one of: {', '.join(allowed_list())}")
    found = _candidates(prefix)
    if declared not in UNDECLARED:
        if declared in found or (not found and declared in TEXT_TYPES and _is_text(prefix, whole=whole)):
            return FileType(declared)
        seen = _describe(found, prefix, whole=whole)
        raise RefusedFileType(
            f"the file was declared as {declared} but its content is {seen}; declare the type it really has "
            f"(accepted: {', '.join(allowed_list())})"
        )
    accepted = sorted(found & ALLOWED)
    if len(accepted) == 1:
        return FileType(accepted[0])
    if not found and _is_text(prefix, whole=whole):
        return FileType("text/plain")
    if len(accepted) > 1:
        raise RefusedFileType(f"the file could be any of {', '.join(accepted)}: declare its Content-Type")
    raise RefusedFileType(
        f"the file's content is {_describe(found, prefix, whole=whole)}, which is not accepted; "
        f"send one of: {', '.join(allowed_list())}"
    )


def _candidates(prefix: bytes) -> set[str]:
    try:
        matches = puremagic.magic_string(prefix)
    except puremagic.PureError:
        return set()
    return {ALIASES.get(match.mime_type, match.mime_type) for match in matches if match.mime_type}


def _is_text(prefix: bytes, *, whole: bool) -> bool:
    """UTF-8 without NUL or other control characters but tab and line ends (a cut last character is fine)."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(prefix, final=whole)
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 32 and char not in "\t\n\r\f" for char in text)


def _describe(found: set[str], prefix: bytes, *, whole: bool) -> str:
    if found:
        return " or ".join(sorted(found)[:3])
    return "plain text" if _is_text(prefix, whole=whole) else "of no type we recognise"
