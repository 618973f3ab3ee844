"""The public pages' rendering: Jinja2 templates shipped in the package, every value autoescaped.

The pages carry no script and no inline style, so their Content-Security-Policy can forbid both; the one
stylesheet is served by the service itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from rexvet_credentials.checks import VERIFICATION_CHECKS
from rexvet_credentials.report import Check, CheckOutcome, Outcome, Severity, VerificationReport
from rexvet_verifier.summary import CredentialSummary

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

# each check's title is its registry entry's (rexvet_credentials.checks)
CHECK_TITLES = VERIFICATION_CHECKS.titles()


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one outcome is shown: a symbol, a word and a CSS class. Only `verified`/`passed` is ever a green tick."""

    symbol: str
    label: str
    css: str


OVERALL = {
    Outcome.VERIFIED: Verdict("✓", "Verified", "ok"),
    Outcome.FAILED: Verdict("✗", "Not valid", "bad"),
    Outcome.INCOMPLETE: Verdict("?", "Could not be fully verified", "unsure"),
}


def check_verdict(check: Check) -> Verdict:
    if check.outcome is CheckOutcome.PASSED:
        return Verdict("✓", "passed", "ok")
    if check.severity is Severity.WARNING:
        label = "warning" if check.outcome is CheckOutcome.FAILED else "not checked"
        return Verdict("!", label, "warn")
    if check.outcome is CheckOutcome.FAILED:
        return Verdict("✗", "failed", "bad")
    return Verdict("?", "not checked", "unsure")


class PageRenderer:
    def __init__(self) -> None:
        self._env = Environment(
            loader=PackageLoader("rexvet_verifier", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, template: str, **values: Any) -> str:
        return self._env.get_template(template).render(**values)

    def form(self, *, error: str | None = None, max_bytes: int, url: str = "") -> str:
        return self.render("form.html", error=error, max_mebibytes=max_bytes / (1024 * 1024), url=url)

    def result(
        self, report: VerificationReport, warnings: list[dict[str, str]], summary: CredentialSummary | None = None
    ) -> str:
        rows = [{"title": CHECK_TITLES.get(c.id, c.id), "check": c, "verdict": check_verdict(c)} for c in report.checks]
        overall = OVERALL[report.outcome]
        return self.render("result.html", report=report, overall=overall, rows=rows, warnings=warnings, summary=summary)


def stylesheet() -> bytes:
    return files("rexvet_verifier").joinpath("static/verifier.css").read_bytes()
