"""HR-matching rules: a tiny, safe condition language over an HR event's fields (never `eval`).

A rule is a conjunction of comparisons, written the way the consortium writes them:

    type = mobility.completed and duration_days >= 5
    type = guest.hosted and guest_country != FI
    type = training.attended and topic in [eu-programmes, erasmus] and hours >= 8

Grammar: `clause ("and" clause)*`; `clause = field op value`; `field` is a dotted name; `op` is one of
`= == != > >= < <= in`; `value` is a number, `true`/`false`, a quoted string, a bare word (letters, digits, `._-:@/`)
or, for `in`, a bracketed comma-separated list of those. Every rule must compare `type` with `=`, so that each rule
names the HR event type it recognises.

Evaluation is total: a missing field, or an ordering comparison between a number and a text, makes the clause false
(an HR event that lacks the data cannot prove anything), never an error.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Value = str | int | float | bool
OPERATORS = ("==", "!=", ">=", "<=", "=", ">", "<", "in")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>==|!=|>=|<=|=|>|<)
      | (?P<lbr>\[) | (?P<rbr>\]) | (?P<comma>,)
      | "(?P<dq>[^"]*)" | '(?P<sq>[^']*)'
      | (?P<word>[A-Za-z0-9_.:@/+-]+)
    )""",
    re.VERBOSE,
)
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


class RuleSyntaxError(ValueError):
    """The rule text does not follow the grammar; the message says where and what was expected."""


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Value | tuple[Value, ...]

    def holds(self, event: Mapping[str, Any]) -> bool:
        actual = lookup(event, self.field)
        if actual is _MISSING:
            return False
        if self.op == "in":
            assert isinstance(self.value, tuple)
            return any(_equal(actual, v) for v in self.value)
        assert not isinstance(self.value, tuple)
        if self.op in ("=", "=="):
            return _equal(actual, self.value)
        if self.op == "!=":
            return not _equal(actual, self.value)
        return _ordered(actual, self.op, self.value)

    def text(self) -> str:
        if isinstance(self.value, tuple):
            return f"{self.field} in [{', '.join(_show(v) for v in self.value)}]"
        return f"{self.field} {self.op} {_show(self.value)}"


@dataclass(frozen=True)
class HrRule:
    """A parsed rule; `event_type` is the value its `type = ...` clause asks for."""

    event_type: str
    conditions: tuple[Condition, ...]

    def matches(self, event: Mapping[str, Any]) -> bool:
        return all(condition.holds(event) for condition in self.conditions)

    def text(self) -> str:
        return " and ".join(condition.text() for condition in self.conditions)


class _Missing:
    pass


_MISSING = _Missing()


def lookup(event: Mapping[str, Any], dotted: str) -> Any:
    current: Any = event
    for part in dotted.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return _MISSING
        current = current[part]
    return current


def _equal(actual: Any, expected: Value) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return actual == expected
    return str(actual) == str(expected) if not isinstance(actual, dict | list) else False


def _ordered(actual: Any, op: str, expected: Value) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return False
    if not (isinstance(actual, int | float) and isinstance(expected, int | float)):
        return False
    if op == ">":
        return actual > expected
    if op == ">=":
        return actual >= expected
    if op == "<":
        return actual < expected
    return actual <= expected


def _show(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and not re.fullmatch(r"[A-Za-z0-9_.:@/+-]+", value):
        return f'"{value}"'
    return str(value)


def _tokenise(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            raise RuleSyntaxError(f"unexpected character {stripped[position:].lstrip()[:1]!r} at offset {position}")
        kind = match.lastgroup
        assert kind is not None
        raw = match.group(kind)
        if kind in ("dq", "sq"):
            tokens.append(("str", raw))
        elif kind == "word" and raw == "and":
            tokens.append(("and", raw))
        elif kind == "word" and raw == "in":
            tokens.append(("op", "in"))
        else:
            tokens.append((kind, raw))
        position = match.end()
    return tokens


def _scalar(kind: str, raw: str) -> Value:
    if kind == "str":
        return raw
    if kind != "word":
        raise RuleSyntaxError(f"expected a value, found {raw!r}")
    if raw in ("true", "false"):
        return raw == "true"
    if _NUMBER.match(raw):
        return float(raw) if "." in raw else int(raw)
    return raw


@functools.lru_cache(maxsize=1024)
def parse_rule(text: str) -> HrRule:
    """Parse rule text; `RuleSyntaxError` names what was expected where. Rules are few and immutable: cached."""
    tokens = _tokenise(text)
    if not tokens:
        raise RuleSyntaxError("the rule is empty: write e.g. 'type = mobility.completed and duration_days >= 5'")
    conditions: list[Condition] = []
    i = 0
    while True:
        if i >= len(tokens) or tokens[i][0] != "word" or not _FIELD.match(tokens[i][1]):
            found = tokens[i][1] if i < len(tokens) else "the end"
            raise RuleSyntaxError(f"clause {len(conditions) + 1}: expected a field name, found {found!r}")
        field = tokens[i][1]
        if i + 1 >= len(tokens) or tokens[i + 1][0] != "op":
            found = tokens[i + 1][1] if i + 1 < len(tokens) else "the end"
            raise RuleSyntaxError(
                f"clause {len(conditions) + 1}: expected an operator ({' '.join(OPERATORS)}) after {field!r}, "
                f"found {found!r}"
            )
        op = tokens[i + 1][1]
        i += 2
        if i >= len(tokens):
            raise RuleSyntaxError(f"clause {len(conditions) + 1}: expected a value after {field} {op}")
        value: Value | tuple[Value, ...]
        if op == "in":
            if tokens[i][0] != "lbr":
                raise RuleSyntaxError(f"clause {len(conditions) + 1}: 'in' needs a list like [a, b]")
            items: list[Value] = []
            i += 1
            while i < len(tokens) and tokens[i][0] != "rbr":
                items.append(_scalar(*tokens[i]))
                i += 1
                if i < len(tokens) and tokens[i][0] == "comma":
                    i += 1
            if i >= len(tokens):
                raise RuleSyntaxError(f"clause {len(conditions) + 1}: the list is not closed with ']'")
            if not items:
                raise RuleSyntaxError(f"clause {len(conditions) + 1}: the list after 'in' is empty")
            value = tuple(items)
            i += 1
        else:
            value = _scalar(*tokens[i])
            i += 1
        conditions.append(Condition(field=field, op="=" if op == "==" else op, value=value))
        if i >= len(tokens):
            break
        if tokens[i][0] != "and":
            raise RuleSyntaxError(f"after clause {len(conditions)}: expected 'and', found {tokens[i][1]!r}")
        i += 1
    types = [c for c in conditions if c.field == "type" and c.op == "=" and isinstance(c.value, str)]
    if len(types) != 1:
        raise RuleSyntaxError(
            "the rule must name exactly one HR event type with a clause like 'type = mobility.completed'"
        )
    return HrRule(event_type=str(types[0].value), conditions=tuple(conditions))
