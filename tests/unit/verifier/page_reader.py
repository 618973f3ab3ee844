"""Reads the verifier's result page as a person would see it: the outcome banner and each check's row."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Block:
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)

    @property
    def css(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


class ResultPage(HTMLParser):
    """`outcome` is the banner (id="outcome"); `rows` the check rows by their data-check."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.outcome: Block | None = None
        self.rows: dict[str, Block] = {}
        self._open: list[tuple[str, Block]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id") == "outcome":
            self.outcome = Block(values)
            self._open.append((tag, self.outcome))
        elif tag == "tr" and "data-check" in values:
            block = Block(values)
            self.rows[values["data-check"]] = block
            self._open.append((tag, block))
        elif self._open and tag == self._open[-1][0]:
            self._open.append((tag, self._open[-1][1]))  # nested element of the same tag: same block

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][1].text.append(data)
