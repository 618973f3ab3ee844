"""Where a JSON body goes wrong is said in lines and columns of characters, as an editor shows them."""

from __future__ import annotations

import pytest

from rexvet_common.json_text import MalformedJson, decode_json, too_deep_at

pytestmark = pytest.mark.unit


def test_valid_json_is_decoded() -> None:
    assert decode_json(b'{"a": [1, "\xc3\xa4"]}') == {"a": [1, "ä"]}


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        (b'{"a": 1,}', 1, 9),
        (b'{\n  "a": 1\n  "b": 2\n}', 3, 3),
        ('{"ä": "ö", x}'.encode(), 1, 12),  # characters, not bytes: ä and ö are two bytes each
        (b"", 1, 1),
    ],
)
def test_the_first_error_is_located(body: bytes, line: int, column: int) -> None:
    with pytest.raises(MalformedJson) as raised:
        decode_json(body)
    assert (raised.value.line, raised.value.column) == (line, column)
    assert f"at line {line}, column {column}" in raised.value.message


def test_bytes_that_are_not_utf8_are_located_at_the_first_bad_byte() -> None:
    with pytest.raises(MalformedJson) as raised:
        decode_json(b'{\n "\xc3\xa4": "\xff"}')
    assert (raised.value.line, raised.value.column) == (2, 8)
    assert "0xff is not UTF-8" in raised.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 64 + "]" * 64, None),  # exactly the limit
        ("[" * 65 + "]" * 65, 64),  # the bracket that opens level 65
        ('{"a": [' + ", ".join(["{}"] * 100) + "]}", None),  # many brackets (over the limit in number), shallow
        ('["' + "[" * 100 + '"]', None),  # brackets inside a string do not nest
        ('{"k": "' + "{" * 70 + '", "v": ' + "[" * 65 + "]" * 65 + "}", 7 + 70 + 8 + 63),  # the object is level 1
    ],
)
def test_depth_is_found_where_it_is_and_only_there(text: str, expected: int | None) -> None:
    assert too_deep_at(text) == expected
