"""Decoding a JSON request body, with what is wrong and where (line, column) when it is not JSON.

Framework-free: the HTTP layer (`rexvet_common.problems`) turns `MalformedJson` into a 400 problem, whether FastAPI
decoded the body (a route with a JSON body model) or a route read it itself (the verifier's).
"""

from __future__ import annotations

import json
import re
from typing import Any

# Deeper than this is refused before decoding: every recursive step after the decoder (validation, encoders, the
# stores, JSON-LD expansion) has a stack, and a body 1,000 deep reached Python's recursion limit (a 500). Real
# documents (Open Badges credentials included) nest about 6 deep.
MAX_JSON_DEPTH = 64

# A string (skipped whole, escapes included) or a bracket: what the depth scan needs to see, found in C by `re`.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class MalformedJson(ValueError):
    """`line` and `column` count from 1, as editors do; `position` is the character offset (from 0)."""

    def __init__(self, reason: str, *, line: int, column: int, position: int) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        self.position = position
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"the body is not valid JSON: {self.reason} at line {self.line}, column {self.column}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in worker processes too (the verifier's work pool): rebuilt from its fields, not from `args`.
        return (_malformed, (self.reason, self.line, self.column, self.position))

    @classmethod
    def at(cls, document: str, position: int, reason: str) -> MalformedJson:
        """The error at character `position` of `document` (the same arithmetic as `json.JSONDecodeError`)."""
        line = document.count("\n", 0, position) + 1
        column = position - document.rfind("\n", 0, position)
        return cls(reason, line=line, column=column, position=position)

    @classmethod
    def not_utf8(cls, error: UnicodeDecodeError) -> MalformedJson:
        """Bytes that are not UTF-8: where the first bad byte is, counted in the text before it."""
        raw = bytes(error.object)
        prefix = raw[: error.start].decode("utf-8", errors="replace")
        return cls.at(prefix, len(prefix), f"byte 0x{raw[error.start]:02x} is not UTF-8")


def _deeper_than(text: str, max_depth: int) -> bool:
    """Whether the text nests deeper than `max_depth`: its brackets outside strings, found by `re` in C, then one
    pass over those alone (a credential of 6,000 objects is 12,000 brackets, but 70,000 tokens with its strings)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    for bracket in brackets:
        if bracket in "[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


def _malformed(reason: str, line: int, column: int, position: int) -> MalformedJson:
    return MalformedJson(reason, line=line, column=column, position=position)


def too_deep_at(text: str, max_depth: int = MAX_JSON_DEPTH) -> int | None:
    """The position of the first bracket that opens level `max_depth + 1`, None when the text stays within."""
    # A text cannot nest deeper than it has opening brackets (those inside strings only raise the count), and
    # counting is C: a credential (about 30) is answered without the scan, which cost as much as decoding it.
    if text.count("{") + text.count("[") <= max_depth or not _deeper_than(text, max_depth):
        return None
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def decode_json(body: bytes | str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The JSON value in `body` (UTF-8 when bytes); `MalformedJson` naming the first error and where it is.

    Arrays and objects nested deeper than `max_depth` are refused as malformed, before decoding.
    """
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedJson.not_utf8(exc) from exc
    else:
        text = body
    deep = too_deep_at(text, max_depth)
    if deep is not None:
        raise MalformedJson.at(text, deep, f"arrays and objects nest deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except RecursionError as exc:  # not reachable within MAX_JSON_DEPTH; kept so no depth is ever a 500
        raise MalformedJson.at(text, 0, "arrays and objects nest too deep") from exc
    except json.JSONDecodeError as exc:
        raise MalformedJson.at(exc.doc, exc.pos, exc.msg) from exc
