"""The HR-matching condition language: parsing, matching, and precise syntax errors; nothing is ever evaluated."""

from __future__ import annotations

import pytest

from rexvet_coaching.domain.hr_rules import RuleSyntaxError, parse_rule

pytestmark = pytest.mark.unit

MOBILITY = "type = mobility.completed and duration_days >= 5"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"type": "mobility.completed", "duration_days": 5}, True),
        ({"type": "mobility.completed", "duration_days": 12.5}, True),
        ({"type": "mobility.completed", "duration_days": 4}, False),
        ({"type": "mobility.completed"}, False),
        ({"type": "mobility.completed", "duration_days": "five"}, False),
        ({"type": "training.attended", "duration_days": 9}, False),
        ({"type": "mobility.completed", "duration_days": True}, False),
    ],
)
def test_mobility_rule(event: dict[str, object], expected: bool) -> None:
    rule = parse_rule(MOBILITY)
    assert rule.event_type == "mobility.completed"
    assert rule.matches(event) is expected


def test_lists_strings_booleans_and_nested_fields() -> None:
    rule = parse_rule(
        "type == training.attended and topic in [erasmus, 'eu programmes'] and certified = true "
        'and host.country != "FI"'
    )
    event = {"type": "training.attended", "topic": "eu programmes", "certified": True, "host": {"country": "EE"}}
    assert rule.matches(event)
    assert not rule.matches({**event, "certified": False})
    assert not rule.matches({**event, "topic": "cooking"})
    assert not rule.matches({**event, "host": {"country": "FI"}})
    assert not rule.matches({k: v for k, v in event.items() if k != "host"})


def test_text_round_trips() -> None:
    rule = parse_rule(MOBILITY)
    assert parse_rule(rule.text()) == rule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("duration_days >= 5", "exactly one HR event type"),
        ("type = a and type = b", "exactly one HR event type"),
        ("type = mobility.completed and", "expected a field name"),
        ("type = mobility.completed or x = 1", "expected 'and'"),
        ("type mobility.completed", "expected an operator"),
        ("type = mobility.completed and x in 3", "'in' needs a list"),
        ("type = mobility.completed and x in [1, 2", "not closed"),
        ("type = mobility.completed and x = 1; import os", "unexpected character ';'"),
        ("__import__('os') = 1", "unexpected character"),
    ],
)
def test_syntax_errors_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(RuleSyntaxError, match=message):
        parse_rule(text)
