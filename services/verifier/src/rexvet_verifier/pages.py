"""The public pages' rendering: Jinja2 templates shipped in the package, every value autoescaped, in six languages.

The pages carry no script and no inline style, so their Content-Security-Policy can forbid both; the one
stylesheet is served by the service itself. The words are the pages' own, through gettext (catalogs under
`locales/`, machinery shared with the portal: rexvet_common.web_i18n). Each check's outcome is worded in the page's
language from its id and code (outcome_sentences.py); only a code without a sentence yet, and what the credential
itself says, stay as written, in English, marked so. The JSON API's report is not touched by any of this: it stays
English, for programs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import PackageLoader, select_autoescape

from rexvet_common.web_i18n.languages import LocaleFormat
from rexvet_common.web_i18n.pages import translated_environments
from rexvet_common.web_i18n.shared_templates import with_shared_templates
from rexvet_credentials.checks import VERIFICATION_CHECKS
from rexvet_credentials.report import Check, CheckOutcome, Outcome, Severity, VerificationReport
from rexvet_verifier.domain.summary import CredentialSummary
from rexvet_verifier.outcome_sentences import OutcomeText, outcome_text

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

# each check's title is its registry entry's (rexvet_credentials.checks), translated when the page is rendered;
# the catalogs' completeness test reads the same registry, so a new check cannot go untranslated
CHECK_TITLES = VERIFICATION_CHECKS.titles()


def N_(message: str) -> str:
    """Marks a message for the catalogs without translating it yet: it is translated when a page is rendered."""
    return message


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one outcome is shown: a symbol, a word and a CSS class. Only `verified`/`passed` is ever a green tick."""

    symbol: str
    label: str  # English; the page shows its translation
    css: str


OVERALL = {
    Outcome.VERIFIED: Verdict("✓", N_("Verified"), "ok"),
    Outcome.FAILED: Verdict("✗", N_("Not valid"), "bad"),
    Outcome.INCOMPLETE: Verdict("?", N_("Could not be fully verified"), "unsure"),
}


def check_verdict(check: Check) -> Verdict:
    if check.outcome is CheckOutcome.PASSED:
        return Verdict("✓", N_("passed"), "ok")
    if check.severity is Severity.WARNING:
        label = N_("warning") if check.outcome is CheckOutcome.FAILED else N_("not checked")
        return Verdict("!", label, "warn")
    if check.outcome is CheckOutcome.FAILED:
        return Verdict("✗", N_("failed"), "bad")
    return Verdict("?", N_("not checked"), "unsure")


@dataclass(frozen=True, slots=True)
class FormError:
    """Why the form is shown again: `code` picks a sentence in the person's language, `detail` is the engine's."""

    detail: str
    code: str | None = None
    status: int = 400


def _page_words(_: Callable[[str], str], language: str) -> dict[str, Any]:
    """Per-language helpers; the sentences are named with `_` so that the catalogs' extraction finds them."""
    fmt = LocaleFormat(language)

    def when(value: str | None) -> str:
        """A date the credential states (ISO 8601), as the language writes it; as stated when it is not one."""
        try:
            moment = datetime.fromisoformat(value or "")
        except ValueError:
            return value or ""
        if moment.tzinfo is None:
            return fmt.date(moment) if moment.time() == time() else fmt.datetime(moment)
        moment = moment.astimezone(UTC)
        return fmt.date(moment) if moment.time() == time() else f"{fmt.datetime(moment)} UTC"

    reasons = {
        "empty_form": _("Paste a credential or choose a badge image, then press Verify."),
        "bad_multipart": _("The form arrived incomplete: send it again."),
        "bad_url": _("Give the full address, starting with https://."),
        "too_large": _("The credential or image is larger than this verifier accepts: send a smaller one."),
        "not_json": _("The text is neither a credential in JSON nor a VC-JWT."),
        "unreachable": _("The address could not be reached, or it does not hold a credential."),
        "refused": _("This verifier does not fetch credentials from that address."),
        "image": _("The image carries no credential that can be read: choose the badge image its issuer gave you."),
    }

    def describe(check: Check, issuer_id: str | None) -> OutcomeText:
        """A check's outcome in the page's language (the engine's English message for a code with no sentence)."""
        return outcome_text(check, issuer_id=issuer_id, gettext=_, fmt=fmt, when=when)

    return {"when": when, "reasons": reasons, "describe": describe}


# an image that carries no readable credential (rexvet_credentials.baking's codes)
IMAGE_CODES = frozenset({"not_baked", "invalid_image", "unsupported_image", "wrong_image", "baked_url"})


def form_reason(error: FormError) -> str:
    """Which of the translated sentences of `_page_words` explains an error."""
    code = error.code or ""
    if error.status == 413:
        return "too_large"
    if code in {"empty_form", "bad_multipart", "bad_url"}:
        return code
    if code in IMAGE_CODES or code.startswith("baked_"):
        return "image"
    if code.startswith("fetch_refused") or code == "fetch_invalid_url":
        return "refused"
    if code.startswith("fetch") or error.status == 502:
        return "unreachable"
    return "not_json"


class PageRenderer:
    def __init__(self) -> None:
        self._environments = translated_environments(
            with_shared_templates(PackageLoader("rexvet_verifier", "templates")),
            LOCALES_DIR,
            autoescape=select_autoescape(default=True, default_for_string=True),
            extra_globals=_page_words,
        )

    def render(self, template: str, *, language: str, here: str, **values: Any) -> str:
        return self._environments[language].get_template(template).render(current_path=here, **values)

    def form(self, *, language: str, here: str, error: FormError | None = None, max_bytes: int, url: str = "") -> str:
        reason = form_reason(error) if error is not None else None
        return self.render(
            "form.html", language=language, here=here, error=error, reason=reason, max_bytes=max_bytes, url=url
        )

    def result(
        self,
        report: VerificationReport,
        warnings: list[dict[str, str]],
        summary: CredentialSummary | None = None,
        *,
        language: str,
        here: str,
    ) -> str:
        rows = [{"title": CHECK_TITLES.get(c.id, c.id), "check": c, "verdict": check_verdict(c)} for c in report.checks]
        overall = OVERALL[report.outcome]
        warning_checks = [_warning_check(report, warning) for warning in warnings]
        return self.render(
            "result.html",
            language=language,
            here=here,
            report=report,
            overall=overall,
            rows=rows,
            warnings=warning_checks,
            summary=summary,
        )


def _warning_check(report: VerificationReport, warning: dict[str, str]) -> Check:
    """The check a warning of `warnings_of` comes from, so that the page words it as it words the check's row."""
    for check in report.checks:
        if check.id == warning["check"] and check.code == warning["code"]:
            return check
    terms = {"terms": ", ".join(report.undefined_terms)} if warning["code"] == "undefined_terms" else {}
    return Check(warning["check"], CheckOutcome.FAILED, warning["code"], warning["message"], params=terms)


def stylesheet() -> bytes:
    return files("rexvet_verifier").joinpath("static/verifier.css").read_bytes()
